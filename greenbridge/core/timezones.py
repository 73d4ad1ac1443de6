"""The time zone a person reads times in: theirs if they chose one, else their organisation's country's, else the
site's (settings.TIME_ZONE, UTC). It is kept in the session (set at sign-in and by the footer's picker) and
made current for each request by `TimeZoneMiddleware`, so every date and time on the pages, tender deadlines
first, is shown in it. Events keep their own time zone (a meeting is at 10:00 where the event is)."""

from functools import cache
from zoneinfo import available_timezones

from babel.core import get_global
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "time_zone"
MAX_LENGTH = 64  # the longest IANA name is 32 characters


@cache
def names() -> tuple[str, ...]:
    """Every IANA time zone name, sorted (the picker's options)."""
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))))


def is_valid(name: str | None) -> bool:
    return bool(name) and name in _known()


@cache
def _known() -> frozenset[str]:
    return frozenset(available_timezones())


def validate(value: str) -> None:
    """The validator of every model field that holds a time zone (a person's, an event's)."""
    if not is_valid(value):
        message = _("“%(value)s” is not a time zone (for example Europe/Chisinau).")
        raise ValidationError(message, params={"value": value})


def of_country(country: str | None) -> str | None:
    """The main time zone of a country (ISO 3166 alpha-2, or a Country), from CLDR: Europe/Kyiv for UA; None if
    unknown."""
    zones = get_global("territory_zones").get(str(country or "").upper()) or ()
    return next((z for z in zones if is_valid(z)), None)


def chosen(own: str | None, countries: list[str]) -> str:
    """A person's zone: their own choice, else the first of their organisations' countries with one, else the site's."""
    if is_valid(own):
        return own
    for country in countries:
        if zone := of_country(country):
            return zone
    return settings.TIME_ZONE


class TimeZoneMiddleware:
    """Makes the session's time zone current for the request (after the session middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get(SESSION_KEY)
        if is_valid(name):
            timezone.activate(name)
        else:
            timezone.deactivate()
        return self.get_response(request)
