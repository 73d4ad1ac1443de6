from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "greenbridge.dashboard"
    verbose_name = "Dashboards and the demo"
