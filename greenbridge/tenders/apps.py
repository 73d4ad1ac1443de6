from django.apps import AppConfig


class TendersConfig(AppConfig):
    name = "greenbridge.tenders"
    verbose_name = "Tenders (E-watch)"
