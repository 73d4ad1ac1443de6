from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "greenbridge.strategy"
    verbose_name = "Joint internationalisation strategies"
