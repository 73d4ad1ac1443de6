from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "greenbridge.helpdesk"
    verbose_name = "Help desk (queues, tickets, service levels)"

    def ready(self) -> None:
        # The help desk sits above orgs: it adds its tickets to an organisation's timeline through orgs' signal.
        from greenbridge.orgs.signals import timeline

        from .selectors import timeline_of

        timeline.connect(timeline_of, dispatch_uid="helpdesk-timeline")
