from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "greenbridge.portfolio"
    verbose_name = "Service portfolio (support services, requests, engagements)"
