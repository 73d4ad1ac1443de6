from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    name = "greenbridge.tenders"
    verbose_name = _("Tenders (E-watch)")
