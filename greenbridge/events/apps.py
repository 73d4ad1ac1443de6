from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "greenbridge.events"
    verbose_name = "Events and matchmaking"
