from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "greenbridge.matching"
    verbose_name = "Matching and alerts"
