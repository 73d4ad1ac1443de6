from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import timezones


class User(AbstractUser):
    """A person. Platform operators are `is_staff`; everything else comes from memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    # Blank: the zone of their organisation's country (core.timezones).
    time_zone = models.CharField(
        _("time zone"), max_length=timezones.MAX_LENGTH, blank=True, validators=[timezones.validate]
    )
    # The interface language they last read the site in (core.http.ReaderLanguageMiddleware): e-mails to them,
    # whoever's action sends them, are written in it. Blank: not signed in since; the site's language.
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)

    def __str__(self) -> str:
        return self.full_name or self.email or self.username

    def get_full_name(self) -> str:
        """The name people typed (`full_name`); Django's first and last names are not asked for."""
        return self.full_name or super().get_full_name()
