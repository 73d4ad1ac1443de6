from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "greenbridge.orgs"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .services import remember_time_zone

        # At sign-in, the person's time zone (theirs, else their organisation's country's) goes in the session.
        user_logged_in.connect(remember_time_zone, dispatch_uid="orgs-time-zone")
