from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "greenbridge.reference"
    verbose_name = "Reference data"
