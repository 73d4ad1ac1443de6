"""Look-ups in the code lists, for pickers: by code or by words of a label in any language."""

import functools
import re

from django.db.models import QuerySet

from .models import CpvCode, NaceCode
from .text import QUERY_MAX, fold

_WORDS = re.compile(r"\w+", re.UNICODE)


def _code_search(model, query: str, limit: int) -> QuerySet:
    query = (query or "").strip()[:QUERY_MAX]  # a word is a condition: thousands would overflow SQL
    if not query:
        return model.objects.none()
    compact = query.replace(" ", "").split("-")[0]
    if compact.replace(".", "").isdigit() or (
        model is NaceCode and len(compact) <= 5 and compact[:1].isalpha() and compact[1:].replace(".", "").isdigit()
    ):
        qs = model.objects.filter(code__startswith=compact.upper())
    else:
        words = _WORDS.findall(fold(query))
        if not words:  # "%", "💧": nothing to look for, so nothing found (not every code)
            return model.objects.none()
        qs = model.objects.all()
        for word in words:
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("code")[:limit]


def cpv_search(*, query: str, limit: int = 20) -> QuerySet[CpvCode]:
    return _code_search(CpvCode, query, limit)


def nace_search(*, query: str, limit: int = 20) -> QuerySet[NaceCode]:
    return _code_search(NaceCode, query, limit)


@functools.cache
def _division_sections() -> dict[str, str]:
    return dict(NaceCode.objects.filter(level=2).values_list("code", "parent"))


def nace_section(code: str) -> str:
    """The NACE Rev. 2 section (A…U) of a code of any level ("36.00" -> "E"); "" for an unknown one."""
    if code[:1].isalpha():
        return code[:1].upper()
    return _division_sections().get(code[:2], "")
