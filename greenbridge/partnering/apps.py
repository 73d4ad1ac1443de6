from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartneringConfig(AppConfig):
    name = "greenbridge.partnering"
    verbose_name = _("Partnering opportunities and partnerships")

    def ready(self) -> None:
        from greenbridge.events.signals import participant_page

        from .selectors import participant_page_opportunities

        participant_page.connect(participant_page_opportunities, dispatch_uid="partnering-event-opportunities")
