"""The market figures API: public, as the pages (the figures come from public notices)."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from greenbridge.core.bounds import LIST_MAX, Code, Year

from .selectors import GROUP_KEYS, make_slice, market_figures, market_rows, parties

router = Router(tags=["market"])


class SliceQuery(Schema):
    """A market: buyer countries × green sectors × CPV code prefixes × years of publication × notice kinds."""

    country: list[Code] = Field(default_factory=list, max_length=LIST_MAX, description="ISO 3166-1 alpha-2")
    sector: list[Code] = Field(default_factory=list, max_length=LIST_MAX)
    cpv: list[Code] = Field(
        default_factory=list, max_length=LIST_MAX, description="2 to 8 digits: the main code starts with them"
    )
    year_from: Year | None = None
    year_to: Year | None = None
    kind: list[Code] = Field(default_factory=list, max_length=LIST_MAX, description="planning, competition, award")


class StatsQuery(SliceQuery):
    by: list[Code] = Field(
        default_factory=lambda: ["year"], max_length=4, description="country, year, sector, cpv_division"
    )


class StatsRow(Schema):
    country: str | None
    year: int | None
    sector: str | None
    cpv_division: str | None
    notices: int
    competitions: int
    awards: int
    value_eur_total: float | None
    value_eur_median: float | None
    tenderers_mean: float | None
    single_bid_share: float | None
    foreign_winner_share: float | None
    open_procedure_share: float | None
    submission_days_median: float | None


class Party(Schema):
    name: str
    count: int
    value_eur: float


class FiguresOut(Schema):
    notices: int
    competitions: int
    awards: int
    value_eur_total: float | None
    value_eur_median: float | None
    estimated_eur_total: float | None
    estimated_eur_median: float | None
    awarded_eur_total: float | None
    awarded_eur_median: float | None
    tenderers_mean: float | None
    tenderers_median: float | None
    single_bid_share: float | None
    foreign_winner_share: float | None
    sme_winner_share: float | None
    open_procedure_share: float | None
    non_open_share: float | None
    short_period_share: float | None
    without_call_share: float | None
    submission_days_median: float | None
    months: list[int]
    top_buyers_by_value: list[Party]
    top_buyers_by_count: list[Party]
    top_winners_by_value: list[Party]
    top_winners_by_count: list[Party]


def _slice(query: SliceQuery):
    try:
        return make_slice(
            countries=query.country,
            sectors=query.sector,
            cpv=query.cpv,
            year_from=query.year_from,
            year_to=query.year_to,
            kinds=query.kind,
        )
    except ValueError as e:
        raise HttpError(400, str(e)) from None


@router.get("/market/stats", response=list[StatsRow], summary="Market figures per group (as `market stats`)")
def market_stats(request: HttpRequest, query: Query[StatsQuery]) -> list[dict[str, Any]]:
    if not query.by or any(k not in GROUP_KEYS for k in query.by) or len(set(query.by)) != len(query.by):
        raise HttpError(400, f"by: one or more of {', '.join(GROUP_KEYS)}, each once")
    return market_rows(_slice(query), query.by)


@router.get("/market/figures", response=FiguresOut, summary="Every figure of one market")
def market_figures_api(request: HttpRequest, query: Query[SliceQuery]) -> dict[str, Any]:
    market = _slice(query)
    return market_figures(market).details() | parties(market)
