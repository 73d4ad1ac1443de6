from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "greenbridge.orgs"
    verbose_name = "Organisations"
