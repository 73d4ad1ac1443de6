from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "greenbridge.dashboard"
    verbose_name = _("Dashboards and the demo")
