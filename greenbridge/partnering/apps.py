from django.apps import AppConfig


class PartneringConfig(AppConfig):
    name = "greenbridge.partnering"
    verbose_name = "Partnering opportunities and partnerships"

    def ready(self) -> None:
        from greenbridge.events.signals import participant_page

        from .selectors import participant_page_opportunities

        participant_page.connect(participant_page_opportunities, dispatch_uid="partnering-event-opportunities")
