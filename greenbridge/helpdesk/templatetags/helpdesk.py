"""Template helpers of the help desk's pages. `{% load helpdesk %}`."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def working_time(seconds: float | None) -> str:
    """Working seconds in words, to the minute: "45 min", "3 h 20 min", "26 h"; "–" for no figure."""
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return _("%(m)s min") % {"m": minutes}
    if not minutes:
        return _("%(h)s h") % {"h": hours}
    return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}


@register.filter
def percent(value: float | None) -> str:
    """A share in per cent without decimals ("87%"); "–" for no figure."""
    if value is None:
        return "–"
    return _("%(n)s%%") % {"n": round(value)}
