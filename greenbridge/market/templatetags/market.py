from typing import Any

from babel.numbers import format_compact_currency, format_decimal, format_percent
from django import template

from greenbridge.core.templatetags.greenbridge import _babel_locale

register = template.Library()


@register.filter
def eur(value: Any, wrap: str = "") -> str:
    """14234567.0 -> "€14M" (en) / "14 mil. €" (ro): euros in the reader's short form; "–" for no figure.
    `eur:"wrap"`, for a narrow figure tile: the figure may break before its last part ("2,8 млрд" / "EUR"), where
    the language writes a non-breaking space."""
    if value in (None, ""):
        return "–"
    text = format_compact_currency(float(value), "EUR", locale=_babel_locale(), fraction_digits=1)
    if wrap:
        at = max(text.rfind("\xa0"), text.rfind("\u202f"))
        if at > 0:
            text = f"{text[:at]} {text[at + 1 :]}"
    return text


@register.filter
def share(value: Any) -> str:
    """0.3125 -> "31%" in the reader's format; "–" when nothing is known."""
    if value in (None, ""):
        return "–"
    return format_percent(float(value), locale=_babel_locale())


@register.filter
def number(value: Any, digits: int = 1) -> str:
    """A mean or a median in the reader's format, at most `digits` decimals; "–" for none."""
    if value in (None, ""):
        return "–"
    return format_decimal(round(float(value), digits), locale=_babel_locale())
