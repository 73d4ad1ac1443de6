"""Template tags of the E-watch's pages."""

from typing import Any

from django import template

from greenbridge.core.templatetags.greenbridge import country_name, sort_key
from greenbridge.tenders.models import Notice

register = template.Library()


@register.simple_tag
def notice_countries(selected: Any = None) -> list[tuple[str, str]]:
    """(code, name) of the countries that have notices, plus any selected one, sorted by name.
    One grouped query, whatever the number of notices."""
    codes = set(Notice.objects.exclude(buyer_country="").order_by().values_list("buyer_country", flat=True).distinct())
    codes |= {str(c).upper() for c in (selected or []) if c}
    return sorted(((c, country_name(c)) for c in codes), key=lambda item: sort_key(item[1]))


@register.filter
def procedure_label(value: Any) -> str:
    """ "neg-w-call" -> "Negotiated procedure with a prior call for competition", in the reader's language."""
    from greenbridge.tenders.procedures import procedure_label as label

    return label(value)


@register.filter
def procedure_hint(value: Any) -> str:
    """Who may bid under the procedure, in a sentence ("" when its code does not say)."""
    from greenbridge.tenders.procedures import procedure_hint as hint

    return hint(value)
