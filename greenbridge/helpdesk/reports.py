"""The help desk's figures, per queue, per advisor and per month: what the clusters report as "SMEs assisted" and
how well they answer. Counts, ratings and the backlog are aggregated by the database; working times are worked
out here from the few columns they need (`values_list`), in each queue's business hours (hours.py, through the
service-level clocks of sla.py), so that a year of 100,000 tickets stays a page, not a batch job.

What each figure is (the user guide says the same in words):

- Opened: tickets created in the month. Resolved: tickets resolved (or closed) in the month, by their latest
  resolution. A ticket merged into another counts nowhere: it was a duplicate.
- First response time: the working time from the ticket's opening to its first public reply, in the month of that
  reply. Resolution time: the working time the service-level clock ran until the resolution (`Ticket.clock_used`),
  so that time spent waiting for the requester does not count, as for the service level; in the month of the
  resolution.
- Median and 90th percentile: linear between the closest ranks, as Excel's PERCENTILE.INC and numpy's default:
  the value at rank (n − 1) × p / 100 counted from 0, between two values in proportion. The median of 1, 2, 3, 4
  is 2.5; the 90th percentile of 1 … 10 is 9.1. No value, no figure (None, never 0).
- Service levels: a first response is met when it came by its due time; missed when later, or when none came and
  the due time passed (counted in the month it fell due, unless the ticket was resolved before it). A resolution is
  met when the clock stayed within the priority's target; missed when over it, or when the ticket is not resolved
  and its due time passed (in the month it fell due, until it is resolved). Tickets without a target count in
  neither. Compliance is met ÷ counted, in per cent.
- Backlog: the tickets not yet resolved now, by the calendar days since they were opened (under 1, 1–3, 3–7, 7–30,
  30 and more); it does not depend on the months chosen.
- Satisfaction: the ratings (1–5) of the tickets resolved in the month: how many, their mean and how many of each.
- Advisor: whom the ticket is assigned to now; "not assigned" is a row of its own.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from greenbridge.core.http import spreadsheet_safe

from . import sla
from .models import Queue, ServiceLevel, Ticket

AGE_LIMITS = (1, 3, 7, 30)  # days: the backlog's buckets are under 1, 1–3, 3–7, 7–30, 30 and more
MAX_MONTHS = 36  # a report covers at most three years
COMMENTS = 10  # the latest comments shown with the ratings


def age_labels() -> list[str]:
    return [_("under 1 day"), _("1–3 days"), _("3–7 days"), _("7–30 days"), _("30 days and more")]


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0–100) of `values` sorted from the smallest, linear between the closest ranks (Excel's
    PERCENTILE.INC, numpy's default); None for no values."""
    if not values:
        return None
    rank = (len(values) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (rank - low)


@dataclass
class Figures:
    """The figures of one row: a month, a queue, an advisor or all of them. Times are working seconds."""

    opened: int = 0
    resolved: int = 0
    first_responses: list[float] = field(default_factory=list)
    resolutions: list[float] = field(default_factory=list)
    first_response_met: int = 0
    first_response_counted: int = 0
    resolution_met: int = 0
    resolution_counted: int = 0
    ratings: list[int] = field(default_factory=lambda: [0] * 5)  # how many 1s, 2s … 5s
    backlog: list[int] = field(default_factory=lambda: [0] * (len(AGE_LIMITS) + 1))  # per age bucket

    @property
    def empty(self) -> bool:
        """Nothing happened in it: nothing opened or resolved, no first answer given, no deadline falling, no
        rating (a question opened in March and answered in April counts in April)."""
        return not (
            self.opened
            or self.resolved
            or self.first_responses
            or self.resolutions
            or self.first_response_counted
            or self.resolution_counted
            or any(self.ratings)
        )

    def add(self, other: Figures) -> None:
        self.opened += other.opened
        self.resolved += other.resolved
        self.first_responses += other.first_responses
        self.resolutions += other.resolutions
        self.first_response_met += other.first_response_met
        self.first_response_counted += other.first_response_counted
        self.resolution_met += other.resolution_met
        self.resolution_counted += other.resolution_counted
        self.ratings = [a + b for a, b in zip(self.ratings, other.ratings, strict=True)]
        self.backlog = [a + b for a, b in zip(self.backlog, other.backlog, strict=True)]

    def finish(self) -> None:
        self.first_responses.sort()
        self.resolutions.sort()

    @property
    def first_response_median(self) -> float | None:
        return percentile(self.first_responses, 50)

    @property
    def first_response_p90(self) -> float | None:
        return percentile(self.first_responses, 90)

    @property
    def resolution_median(self) -> float | None:
        return percentile(self.resolutions, 50)

    @property
    def resolution_p90(self) -> float | None:
        return percentile(self.resolutions, 90)

    @property
    def first_response_compliance(self) -> float | None:
        """Per cent of the first responses counted that were in time; None when none was counted."""
        return 100 * self.first_response_met / self.first_response_counted if self.first_response_counted else None

    @property
    def resolution_compliance(self) -> float | None:
        return 100 * self.resolution_met / self.resolution_counted if self.resolution_counted else None

    @property
    def rated(self) -> int:
        return sum(self.ratings)

    @property
    def satisfaction(self) -> float | None:
        """The mean rating; None when nobody rated."""
        return sum(n * (i + 1) for i, n in enumerate(self.ratings)) / self.rated if self.rated else None

    @property
    def backlog_total(self) -> int:
        return sum(self.backlog)


@dataclass(frozen=True)
class Scope:
    """What a report covers: queues (already those the reader may see, with their calendars), the months from
    `since` to `until` (first days, both included), and one advisor's tickets (`advisor`, a user id) or the
    unassigned ones (`unassigned`), else all."""

    queues: tuple[Queue, ...]
    since: date
    until: date
    advisor: int | None = None
    unassigned: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return zone_of(self.queues)


def zone_of(queues: Iterable[Queue]) -> ZoneInfo:
    """Months are those of the queues' time zone when they share one (a cluster's calendar), else the site's."""
    zones = {q.calendar.time_zone if q.calendar_id else settings.TIME_ZONE for q in queues}
    return ZoneInfo(zones.pop() if len(zones) == 1 else settings.TIME_ZONE)


@dataclass
class Report:
    scope: Scope
    zone: ZoneInfo
    total: Figures
    months: list[tuple[date, Figures]]
    queues: list[tuple[Queue, Figures]]
    advisors: list[tuple[object, Figures]]  # (user, or None for the unassigned tickets)
    comments: list[Ticket]  # the latest rated with a comment


def month_after(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_between(since: date, until: date) -> list[date]:
    months, month = [], since.replace(day=1)
    while month <= until and len(months) < MAX_MONTHS:
        months.append(month)
        month = month_after(month)
    return months


def _month_of(field: str, edges: list[datetime]) -> Case:
    """The index of the month (edges: their starts, then the end of the last) an instant falls in, worked out by the
    database with plain comparisons: no time-zone function of the database per row, no datetime read per row."""
    return Case(
        *[
            When(**{f"{field}__gte": a, f"{field}__lt": b}, then=Value(i))
            for i, (a, b) in enumerate(itertools.pairwise(edges))
        ],
        output_field=IntegerField(),
    )


def report(scope: Scope, *, now: datetime) -> Report:
    """The figures of `scope` as of `now` (see the module's docstring for what each one is).

    Every row read adds to one cell (month, queue, advisor); the cells are then added up into the months, queues,
    advisors and the total, so that a ticket costs one dictionary look-up, however many tables show it."""
    zone = scope.zone
    months = months_between(scope.since, scope.until)
    edges = [datetime.combine(m, time(0), tzinfo=zone) for m in [*months, month_after(months[-1])]]
    start, end = edges[0], edges[-1]
    queues = {q.pk: q for q in scope.queues}
    # Merged duplicates left out with exclude (NOT … IS NOT NULL): a filter on IS NULL would lead SQLite to read
    # every unmerged ticket through that column's index rather than the queues' few through theirs.
    tickets = Ticket.objects.filter(queue_id__in=list(queues)).exclude(merged_into__isnull=False).order_by()
    if scope.unassigned:
        tickets = tickets.filter(assignee__isnull=True)
    elif scope.advisor:
        tickets = tickets.filter(assignee_id=scope.advisor)
    cells: dict[tuple[int | None, int, int | None], Figures] = defaultdict(Figures)

    opened = (
        tickets.filter(created__gte=start, created__lt=end)
        .values_list(_month_of("created", edges), "queue_id", "assignee_id")
        .annotate(n=Count("id"))
    )
    for month, queue_id, assignee_id, n in opened:
        cells[month, queue_id, assignee_id].opened += n

    clocks = sla.Clocks()
    in_time = Case(
        When(first_response_due__isnull=True, then=Value(None)),
        When(first_response_at__lte=F("first_response_due"), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    answered = tickets.filter(first_response_at__gte=start, first_response_at__lt=end).values_list(
        _month_of("first_response_at", edges), "queue_id", "assignee_id", "created", "first_response_at", in_time
    )
    for month, queue_id, assignee_id, created, first, met in answered:
        cell = cells[month, queue_id, assignee_id]
        cell.first_responses.append(clocks.hours(queues[queue_id]).between(created, first))
        if met is not None:
            cell.first_response_counted += 1
            cell.first_response_met += met

    due_by = min(end, now)  # a due time still ahead is neither met nor missed
    unanswered = (
        tickets.filter(first_response_at__isnull=True, first_response_due__gte=start, first_response_due__lt=due_by)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("first_response_due")))
        .values_list(_month_of("first_response_due", edges), "queue_id", "assignee_id")
        .annotate(n=Count("id"))
    )
    for month, queue_id, assignee_id, n in unanswered:
        cells[month, queue_id, assignee_id].first_response_counted += n

    targets = {
        (level.queue_id, level.priority): level.resolution_minutes * 60
        for level in ServiceLevel.objects.filter(queue_id__in=list(queues))
    }
    resolved = tickets.filter(resolved_at__gte=start, resolved_at__lt=end).values_list(
        _month_of("resolved_at", edges), "queue_id", "assignee_id", "priority", "clock_used", "satisfaction"
    )
    for month, queue_id, assignee_id, priority, used, rating in resolved:
        cell = cells[month, queue_id, assignee_id]
        cell.resolved += 1
        cell.resolutions.append(used)
        if (target := targets.get((queue_id, priority))) is not None:
            cell.resolution_counted += 1
            cell.resolution_met += used <= target
        if rating:
            cell.ratings[rating - 1] += 1

    overdue = (
        tickets.open()
        .filter(resolution_due__gte=start, resolution_due__lt=due_by)
        .values_list(_month_of("resolution_due", edges), "queue_id", "assignee_id")
        .annotate(n=Count("id"))
    )
    for month, queue_id, assignee_id, n in overdue:
        cells[month, queue_id, assignee_id].resolution_counted += n

    ages = [now - timedelta(days=d) for d in AGE_LIMITS]
    buckets = [Q(created__gt=ages[0])]
    buckets += [Q(created__lte=newer, created__gt=older) for newer, older in itertools.pairwise(ages)]
    buckets.append(Q(created__lte=ages[-1]))
    backlog = (
        tickets.open()
        .values_list("queue_id", "assignee_id")
        .annotate(**{f"age{i}": Count("id", filter=b) for i, b in enumerate(buckets)})
    )
    for queue_id, assignee_id, *counts in backlog:
        cells[None, queue_id, assignee_id].backlog = list(counts)  # today's: in no month

    comments = list(
        tickets.filter(resolved_at__gte=start, resolved_at__lt=end)
        .exclude(satisfaction_comment="")
        .filter(satisfaction__isnull=False)
        .only("pk", "subject", "satisfaction", "satisfaction_comment", "resolved_at", "queue_id")
        .order_by("-resolved_at", "-pk")[:COMMENTS]
    )

    total = Figures()
    per_month = [Figures() for _ in months]
    per_queue = {pk: Figures() for pk in queues}
    per_advisor: dict[int | None, Figures] = defaultdict(Figures)
    for (month, queue_id, assignee_id), cell in cells.items():
        for row in (total, per_queue[queue_id], per_advisor[assignee_id]):
            row.add(cell)
        if month is not None:
            per_month[month].add(cell)
    people = get_user_model().objects.in_bulk([pk for pk in per_advisor if pk is not None])
    advisors = sorted(
        ((people.get(pk) if pk is not None else None, f) for pk, f in per_advisor.items()),
        key=lambda row: (row[0] is None, str(row[0] or "").casefold()),
    )
    for f in [total, *per_month, *per_queue.values(), *per_advisor.values()]:
        f.finish()
    return Report(
        scope=scope,
        zone=zone,
        total=total,
        months=list(zip(months, per_month, strict=True)),
        queues=[(queues[pk], f) for pk, f in per_queue.items()],
        advisors=advisors,
        comments=comments,
    )


# -- tables for CSV and Excel -------------------------------------------------------------------------------------


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)


def _share(percent: float | None) -> float | None:
    return None if percent is None else round(percent, 1)


def header(first: str) -> list[str]:
    return [
        first,
        _("Opened"),
        _("Resolved"),
        _("First response, median (working hours)"),
        _("First response, 90th percentile (working hours)"),
        _("Resolution, median (working hours)"),
        _("Resolution, 90th percentile (working hours)"),
        _("First responses in time (%)"),
        _("First responses counted"),
        _("Resolutions in time (%)"),
        _("Resolutions counted"),
        _("Satisfaction, mean (1–5)"),
        _("Ratings"),
        *[_("Rated %(n)s") % {"n": n} for n in range(1, 6)],
        *[_("Backlog: %(age)s") % {"age": label} for label in age_labels()],
    ]


def figures_row(label, f: Figures, *, backlog: bool = True) -> list:
    satisfaction = None if f.satisfaction is None else round(f.satisfaction, 2)
    return [
        spreadsheet_safe(label),
        f.opened,
        f.resolved,
        _hours(f.first_response_median),
        _hours(f.first_response_p90),
        _hours(f.resolution_median),
        _hours(f.resolution_p90),
        _share(f.first_response_compliance),
        f.first_response_counted,
        _share(f.resolution_compliance),
        f.resolution_counted,
        satisfaction,
        f.rated,
        *f.ratings,
        *(f.backlog if backlog else [None] * len(f.backlog)),
    ]


TABLES = ("months", "queues", "advisors")


def table(result: Report, name: str) -> list[list]:
    """One of `TABLES` as rows, the header first and the total last; the months carry no backlog (it is now's)."""
    if name == "months":
        rows = [header(_("Month"))]
        rows += [figures_row(date_format(m, "Y-m"), f, backlog=False) for m, f in result.months]
    elif name == "queues":
        rows = [header(_("Queue"))]
        rows += [figures_row(f"{q.name} ({q.organisation.name})", f) for q, f in result.queues]
    else:
        rows = [header(_("Advisor"))]
        rows += [figures_row(str(person) if person else _("Not assigned"), f) for person, f in result.advisors]
    rows.append(figures_row(pgettext("total", "All"), result.total, backlog=name != "months"))
    return rows


def table_title(name: str) -> str:
    return {"months": _("Per month"), "queues": _("Per queue"), "advisors": _("Per advisor")}[name]
