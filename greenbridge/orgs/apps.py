from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "greenbridge.orgs"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .services import remember_time_zone

        # At sign-in, the person's time zone (theirs, else their organisation's country's) goes in the session.
        user_logged_in.connect(remember_time_zone, dispatch_uid="orgs-time-zone")
