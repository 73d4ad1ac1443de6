"""Template tags of the E-watch's pages."""

from typing import Any

from django import template

from greenbridge.core.templatetags.greenbridge import country_name, sort_key
from greenbridge.tenders.ingest.types import say
from greenbridge.tenders.models import IngestRun, Notice

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


@register.filter
def said(stored: Any, english: Any = "") -> str:
    """What an ingestion stored as data ({"message": …, "params": …}: the error that failed a run) in the reader's
    language; `english`, the text stored with it, for a run stored before it was kept as data (or a damaged one):
    {{ run.error_said|said:run.error }}."""
    return say(stored, english)


@register.filter
def rejections_shown(run: IngestRun, count: Any = None) -> list[dict[str, Any]]:
    """The first `count` rejections of an ingest run, {"position": …, "reason": …}, reasons in the reader's language:
    {% for r in run|rejections_shown:3 %}."""
    return run.rejections_shown(int(count) if count is not None else None)
