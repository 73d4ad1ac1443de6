from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "greenbridge.helpdesk"
    verbose_name = "Help desk (queues, tickets, service levels)"

    def ready(self) -> None:
        # The help desk sits above orgs: it adds its tickets to an organisation's timeline through orgs' signal.
        from greenbridge.orgs.signals import timeline
        from greenbridge.tenders.signals import notice_page

        from .selectors import timeline_of
        from .views.tickets import ask_about_notice

        timeline.connect(timeline_of, dispatch_uid="helpdesk-timeline")
        # A notice's page offers to ask the company's clusters about it.
        notice_page.connect(ask_about_notice, dispatch_uid="helpdesk-notice-page")
