from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "greenbridge.helpdesk"
    verbose_name = _("Help desk (queues, tickets, service levels)")

    def ready(self) -> None:
        # The help desk sits above orgs: it adds its tickets to an organisation's timeline through orgs' signal.
        from greenbridge.core.signals import side_sections
        from greenbridge.orgs.signals import timeline

        from .sections import ask_about
        from .selectors import timeline_of

        timeline.connect(timeline_of, dispatch_uid="helpdesk-timeline")
        # A notice's, event's, opportunity's or assessment's page offers to ask the company's clusters about it.
        side_sections.connect(ask_about, dispatch_uid="helpdesk-ask-about")
