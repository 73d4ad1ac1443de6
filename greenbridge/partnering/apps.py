from django.apps import AppConfig


class PartneringConfig(AppConfig):
    name = "greenbridge.partnering"
    verbose_name = "Partnering opportunities and partnerships"
