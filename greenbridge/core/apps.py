from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "greenbridge.core"
    verbose_name = "GreenBridge"
