"""Reads of the E-watch. Notices are public open data: every user, signed in or not, may read
them; the selectors still take the user, so that what depends on who asks lives here."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from greenbridge.orgs.rules import is_operator
from greenbridge.orgs.selectors import organisations_of_user
from greenbridge.reference.cpv import cpv_range
from greenbridge.tenders import search
from greenbridge.tenders.models import GENERATED_SOURCE, IngestRun, Notice, NoticeCpv, NoticeSector

EXPORT_FIELDS = (
    "source",
    "source_id",
    "ocid",
    "notice_type",
    "title",
    "description",
    "language",
    "buyer_name",
    "buyer_id",
    "buyer_country",
    "cpv_codes",
    "green_sectors",
    "value_amount",
    "value_currency",
    "deadline",
    "published",
    "procedure_type",
    "status",
    "url",
    "lots",
    "awards",
)
SORTS = ("relevance", *search.ORDERS)
# Columns a list of notices shows (search results, dashboards, the inbox's previews): never the raw document
# nor the descriptions.
LIST_FIELDS = (
    "id",
    "source",
    "source_id",
    "notice_type",
    "title",
    "language",
    "titles",
    "buyer_name",
    "buyer_country",
    "cpv_codes",
    "green_sectors",
    "value_amount",
    "value_currency",
    "deadline",
    "published",
    "status",
    "demo_shift_days",
    "procedure_type",
)


@dataclass
class NoticeFilters:
    q: str = ""
    exact: bool = False  # the words as written only: no codes or translations (tenders.search)
    countries: list[str] = field(default_factory=list)
    cpv: list[str] = field(default_factory=list)  # 8-digit codes; each includes everything under it
    sectors: list[str] = field(default_factory=list)
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    notice_types: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    open_only: bool = False
    sort: str = ""  # default: relevance with a query, else newest first


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min), timezone.get_current_timezone())


def notices_search(*, user: Any, filters: NoticeFilters) -> "QuerySet[Notice] | search.TextSearch":
    qs = Notice.objects.only(*LIST_FIELDS)
    f = filters
    if f.countries:
        qs = qs.filter(buyer_country__in=f.countries)
    if f.cpv:
        cond = Q()
        for code in f.cpv:
            low, high = cpv_range(code)
            cond |= Q(code__gte=low, code__lt=high) if high else Q(code__gte=low)
        qs = qs.filter(Exists(NoticeCpv.objects.filter(cond, notice=OuterRef("pk"))))
    if f.sectors:
        qs = qs.filter(Exists(NoticeSector.objects.filter(notice=OuterRef("pk"), sector__in=f.sectors)))
    if f.value_min is not None:
        qs = qs.filter(value_amount__gte=f.value_min)
    if f.value_max is not None:
        qs = qs.filter(value_amount__lte=f.value_max)
    if f.deadline_from:
        qs = qs.filter(deadline__gte=_day_start(f.deadline_from))
    if f.deadline_to:
        qs = qs.filter(deadline__lt=_day_start(f.deadline_to) + timezone.timedelta(days=1))
    if f.open_only:
        qs = qs.filter(deadline__gte=timezone.now())
    if f.notice_types:
        qs = qs.filter(notice_type__in=f.notice_types)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    qs = qs.filter(source__in=f.sources) if f.sources else qs.exclude(source=GENERATED_SOURCE)
    if search.parse_query(f.q)[0]:
        return search.TextSearch(
            qs, f.q, order=f.sort or "relevance", across_languages=not f.exact, cpv=f.cpv, countries=f.countries
        )
    column, descending = search.ORDERS.get(f.sort, search.ORDERS["-published"])
    if descending:
        return qs.order_by(F(column).desc(nulls_last=True), "-id")
    return qs.order_by(F(column).asc(nulls_last=True), "id")


def notice_get(*, user: Any, pk: int) -> Notice:
    return Notice.objects.defer("raw").get(pk=pk)


def notices_closing_soon(*, user: Any, limit: int = 5) -> QuerySet[Notice]:
    return Notice.objects.only(*LIST_FIELDS).filter(deadline__gte=timezone.now()).order_by("deadline")[:limit]


def notice_export_row(notice: Notice) -> dict[str, Any]:
    """A notice with the normalised fields, in the documented export order (dates ISO 8601)."""
    row: dict[str, Any] = {}
    for name in EXPORT_FIELDS:
        value = getattr(notice, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            # A JSON number: 2-decimal amounts round-trip exactly through float below 10^13.
            value = int(value) if value == value.to_integral_value() else float(value)
        row[name] = value
    return row


def notices_for_export(*, source: str | None = None) -> Iterator[Notice]:
    qs = Notice.objects.order_by("source", "source_id").defer("raw")
    if source:
        qs = qs.filter(source=source)
    return qs.iterator(chunk_size=2000)


def capability_searches(*, user: Any) -> list[tuple[str, str]]:
    """For a signed-in user: (organisation name, query string) of a search for the open notices
    under each of their organisations' capability CPV codes."""
    return [
        (org.name, urlencode({"cpv": org.cpv_codes, "open": "on"}, doseq=True))
        for org in organisations_of_user(user=user).only("name", "cpv_codes")
        if org.cpv_codes
    ]


def notice_stats(*, user: Any) -> dict[str, int]:
    """The notices in numbers, for the home page: open for bids, in total, buyer countries (one query). Real
    notices only: not the demo's generated history."""
    return Notice.objects.exclude(source=GENERATED_SOURCE).aggregate(
        open_notices=Count("pk", filter=Q(deadline__gte=timezone.now())),
        notices=Count("pk"),
        countries=Count("buyer_country", filter=~Q(buyer_country=""), distinct=True),
    )


def ingest_runs(*, user: Any, limit: int = 5) -> list[IngestRun]:
    """For operators: the latest ingestion runs, with their counts and the first reasons items were rejected."""
    if not is_operator(user):
        return []
    return list(IngestRun.objects.order_by("-started", "-id")[:limit])
