"""The notices API: the same filters and paging as the search page."""

import functools
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django_countries import countries
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from greenbridge.core.bounds import CODE_MAX, LIST_MAX, QUERY_MAX, Code, Day, Id, Money, Page
from greenbridge.reference import green
from greenbridge.reference.cpv import normalise_cpv
from greenbridge.tenders.models import Notice, NoticeStatus, NoticeType
from greenbridge.tenders.selectors import SORTS, NoticeFilters, notice_get, notices_search

router = Router(tags=["notices"])
MAX_PAGE_SIZE = 100


class NoticeOut(Schema):
    id: int
    source: str
    source_id: str
    ocid: str
    notice_type: str
    title: str
    language: str
    buyer_name: str
    buyer_country: str
    cpv_codes: list[str]
    green_sectors: list[str]
    value_amount: Decimal | None
    value_currency: str
    deadline: datetime | None
    published: datetime | None
    status: str
    url: str


class NoticeDetailOut(NoticeOut):
    description: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    buyer_id: str
    procedure_type: str
    nuts_codes: list[str]
    ojs_number: str
    lots: list[dict[str, Any]]
    awards: list[dict[str, Any]]
    green_flags: list[str]


class NoticePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[NoticeOut]


class NoticeQuery(Schema):
    """The search page's filters, with the same bounds (greenbridge.core.bounds)."""

    q: str = Field("", max_length=QUERY_MAX)
    exact: bool = Field(
        False,
        description="Only the words as written: not also the CPV codes whose labels (in any language) have them, "
        "nor their translations",
    )
    country: list[Code] = Field(default_factory=list, max_length=LIST_MAX, description="ISO 3166-1 alpha-2, repeatable")
    cpv: list[Code] = Field(
        default_factory=list, max_length=LIST_MAX, description="CPV code; includes every code under it"
    )
    sector: list[Code] = Field(default_factory=list, max_length=LIST_MAX)
    value_min: Money | None = None
    value_max: Money | None = None
    deadline_from: Day | None = None
    deadline_to: Day | None = None
    open: bool = False
    type: list[Code] = Field(default_factory=list, max_length=LIST_MAX)
    status: list[Code] = Field(default_factory=list, max_length=LIST_MAX)
    source: list[Code] = Field(default_factory=list, max_length=LIST_MAX)
    sort: str = Field("", max_length=CODE_MAX)
    page: Page = 1
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)

    # Each filter's values are checked here, so that a wrong one is a 422 naming the field, as the bounds are;
    # an empty value (`country=`) is no filter.
    @field_validator("country", "cpv", "sector", "type", "status", "source", mode="after")
    @classmethod
    def _given(cls, values: list[str]) -> list[str]:
        return [v.strip() for v in values if v.strip()]

    @field_validator("country", mode="after")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        return [_one_of(v.upper(), country_codes(), "a country's ISO 3166-1 alpha-2 code, such as MD") for v in values]

    @field_validator("cpv", mode="after")
    @classmethod
    def _codes(cls, values: list[str]) -> list[str]:
        codes = [normalise_cpv(v) for v in values]
        if None in codes:
            raise ValueError("a CPV code has 8 digits, like 90400000 or 90400000-1")
        return codes

    @field_validator("sector", mode="after")
    @classmethod
    def _sectors(cls, values: list[str]) -> list[str]:
        return [_one_of(v, [s.slug for s in green.sectors()]) for v in values]

    @field_validator("type", mode="after")
    @classmethod
    def _types(cls, values: list[str]) -> list[str]:
        return [_one_of(v, NoticeType.values) for v in values]

    @field_validator("status", mode="after")
    @classmethod
    def _statuses(cls, values: list[str]) -> list[str]:
        return [_one_of(v, [s for s in NoticeStatus.values if s]) for v in values]

    @field_validator("sort", mode="after")
    @classmethod
    def _sort(cls, value: str) -> str:
        return _one_of(value, SORTS) if value else value


@functools.cache
def country_codes() -> frozenset[str]:
    return frozenset(countries.countries) | {"XK"}  # Kosovo, which sources use


def _one_of(value: str, allowed, what: str = "") -> str:
    if value not in allowed:
        raise ValueError(f"“{value}” is not {what or 'one of ' + ', '.join(allowed)}")
    return value


@router.get("/notices", response=NoticePage, summary="Search notices")
def list_notices(request: HttpRequest, query: Query[NoticeQuery]):
    filters = NoticeFilters(
        q=query.q,
        exact=query.exact,
        countries=query.country,
        cpv=query.cpv,
        sectors=query.sector,
        value_min=query.value_min,
        value_max=query.value_max,
        deadline_from=query.deadline_from,
        deadline_to=query.deadline_to,
        open_only=query.open,
        notice_types=query.type,
        statuses=query.status,
        sources=query.source,
        sort=query.sort,
    )
    qs = notices_search(user=request.user, filters=filters)
    start = (query.page - 1) * query.page_size
    return {
        "count": qs.count(),
        "page": query.page,
        "page_size": query.page_size,
        "results": list(qs[start : start + query.page_size]),
    }


@router.get("/notices/{notice_id}", response=NoticeDetailOut, summary="One notice")
def get_notice(request: HttpRequest, notice_id: Id):
    try:
        return notice_get(user=request.user, pk=notice_id)
    except Notice.DoesNotExist:
        return get_object_or_404(Notice, pk=-1)
