"""Market figures for a slice: buyer countries × green sectors / CPV codes (any level) × years × notice kinds,
from the facts (models.py), each figure as figures.py defines it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from greenbridge.tenders.models import NoticeSector

from .figures import AWARD_COLUMNS, NOTICE_COLUMNS, Figures
from .models import AwardFact, NoticeFact

# The grouping keys of `market stats --by` -> the facts' column.
GROUP_KEYS = {"country": "country", "year": "year", "sector": "sectors", "cpv_division": "division"}


@dataclass(frozen=True)
class Slice:
    """A market: every notice whose buyer is in one of `countries`, in one of `sectors`, with a main CPV code
    under one of `cpv` (2 to 8 digits), published in `year_from`..`year_to`, of one of `kinds`. An empty
    criterion does not filter."""

    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    cpv: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    kinds: tuple[str, ...] = ()

    def filter(self, facts: QuerySet) -> QuerySet:
        if self.countries:
            facts = facts.filter(country__in=self.countries)
        if self.year_from is not None:
            facts = facts.filter(year__gte=self.year_from)
        if self.year_to is not None:
            facts = facts.filter(year__lte=self.year_to)
        if self.kinds:
            facts = facts.filter(kind__in=self.kinds)
        if self.cpv:
            # A prefix as a range of the index ("4521" -> "4521" <= cpv < "4521:"; ":" sorts after "9").
            q = Q()
            for prefix in self.cpv:
                q |= Q(cpv__gte=prefix, cpv__lt=prefix + ":")
            facts = facts.filter(q)
        if self.sectors:
            facts = facts.filter(notice_id__in=NoticeSector.objects.filter(sector__in=self.sectors).values("notice_id"))
        return facts


def notice_facts(market: Slice) -> QuerySet[NoticeFact]:
    return market.filter(NoticeFact.objects.all())


def award_facts(market: Slice) -> QuerySet[AwardFact]:
    return market.filter(AwardFact.objects.all())


def market_figures(market: Slice) -> Figures:
    """The figures of one slice."""
    figures = Figures()
    for row in notice_facts(market).values_list(*NOTICE_COLUMNS):
        figures.add_notice(*row)
    for row in award_facts(market).values_list(*AWARD_COLUMNS):
        figures.add_award(*row)
    return figures


def _keys(values: Sequence[Any], by: Sequence[str], sectors: Iterable[str]) -> list[tuple]:
    """The groups a fact counts in: a notice counts in each of its green sectors (only those of the slice when it
    names some); without a sector, in no sector's group."""
    if "sector" not in by:
        return [tuple(values)]
    i = by.index("sector")
    wanted = set(sectors)
    return [
        (*values[:i], sector, *values[i + 1 :]) for sector in str(values[i]).split() if not wanted or sector in wanted
    ]


def market_rows(market: Slice, by: Sequence[str]) -> list[dict[str, Any]]:
    """`market stats`: a row per group of `by` (country, year, sector, cpv_division) with the slice's keys first
    (the keys not grouped on are None) and the summary figures, ordered by the keys."""
    columns = [GROUP_KEYS[k] for k in by]
    groups: dict[tuple, Figures] = {}
    n = len(columns)
    for row in notice_facts(market).values_list(*columns, *NOTICE_COLUMNS):
        for key in _keys(row[:n], by, market.sectors):
            (groups.get(key) or groups.setdefault(key, Figures())).add_notice(*row[n:])
    for row in award_facts(market).values_list(*columns, *AWARD_COLUMNS):
        for key in _keys(row[:n], by, market.sectors):
            (groups.get(key) or groups.setdefault(key, Figures())).add_award(*row[n:])
    rows = []
    for key in sorted(groups, key=lambda k: tuple((v is None, v) for v in k)):
        named = dict(zip(by, key, strict=True))
        slice_keys = {k: (named.get(k) if named.get(k) not in ("", None) else None) for k in GROUP_KEYS}
        rows.append(slice_keys | groups[key].summary())
    return rows
