from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "greenbridge.helpdesk"
    verbose_name = "Help desk (queues, tickets, service levels)"
