"""The service-level clock of a ticket, in its queue's business hours (hours.py).

First response: due the queue's first-response target after the ticket was opened. Resolution: the clock runs
while the ticket is open and stops while it waits for the requester; `Ticket.clock_used` keeps the working time
used while it ran, `clock_since` when it last started (None: stopped), so that the due time is always
`add(clock_since, target - clock_used)` and nothing needs replaying. A queue without a calendar counts every
hour; a priority without a service level has no due times.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from .hours import BusinessHours, parse_week
from .models import Queue, ServiceLevel, Ticket

ALWAYS = BusinessHours(week=parse_week("mon-sun 00:00-24:00"))


class Clocks:
    """The business hours and service levels of queues, read once for a batch of tickets."""

    def __init__(self) -> None:
        self._hours: dict[int | None, BusinessHours] = {None: ALWAYS}
        self._levels: dict[tuple[int, str], ServiceLevel | None] | None = None

    def hours(self, queue: Queue) -> BusinessHours:
        key = queue.calendar_id
        if key not in self._hours:
            self._hours[key] = queue.calendar.business_hours()
        return self._hours[key]

    def level(self, queue: Queue, priority: str) -> ServiceLevel | None:
        return self._by_key().get((queue.pk, priority))

    def levels(self) -> list[ServiceLevel]:
        return list(self._by_key().values())

    def _by_key(self) -> dict[tuple[int, str], ServiceLevel]:
        if self._levels is None:
            self._levels = {
                (s.queue_id, s.priority): s
                for s in ServiceLevel.objects.select_related("queue__calendar").order_by("pk")
            }
        return self._levels


def start(ticket: Ticket, at: datetime, clocks: Clocks | None = None) -> None:
    """A new ticket: both clocks start at `at`."""
    ticket.clock_used, ticket.clock_since = 0.0, at
    refresh(ticket, clocks or Clocks(), opened=at)


def stop(ticket: Ticket, at: datetime, clocks: Clocks | None = None) -> None:
    """Waiting for the requester: the working time used so far is kept, the resolution has no due time meanwhile."""
    if ticket.clock_since is None:
        return
    clocks = clocks or Clocks()
    ticket.clock_used += clocks.hours(ticket.queue).between(ticket.clock_since, at)
    ticket.clock_since = None
    ticket.resolution_due = None


def resume(ticket: Ticket, at: datetime, clocks: Clocks | None = None) -> None:
    """The requester answered (or the ticket was reopened): the clock runs again from `at`."""
    if ticket.clock_since is not None:
        return
    ticket.clock_since = at
    refresh(ticket, clocks or Clocks())


def refresh(ticket: Ticket, clocks: Clocks, *, opened: datetime | None = None) -> None:
    """Due times from the clock (after a change of priority or queue too)."""
    level = clocks.level(ticket.queue, ticket.priority)
    hours = clocks.hours(ticket.queue)
    if level is None:
        ticket.first_response_due = ticket.resolution_due = None
        return
    opened = opened or ticket.created
    if ticket.first_response_at is None and opened is not None:
        ticket.first_response_due = hours.add(opened, level.first_response_minutes * 60)
    if ticket.clock_since is not None:
        left = max(0.0, level.resolution_minutes * 60 - ticket.clock_used)
        ticket.resolution_due = hours.add(ticket.clock_since, left)


def active_dues(ticket: Ticket) -> list[datetime]:
    """The due times in force: the first response's while unanswered, the resolution's while the clock runs."""
    first = ticket.first_response_due if ticket.first_response_at is None else None
    return [d for d in (first, ticket.resolution_due) if d is not None]


def state(ticket: Ticket, now: datetime, clocks: Clocks) -> str:
    """ "breached", "warning" (within the level's warning time of a due time) or "ok"; "none" without a level."""
    if ticket.status in Ticket.DONE:
        return "ok"
    level = clocks.level(ticket.queue, ticket.priority)
    if level is None:
        return "none"
    dues = active_dues(ticket)
    if any(d <= now for d in dues):
        return "breached"
    hours = clocks.hours(ticket.queue)
    if any(hours.between(now, d) <= level.warn_minutes * 60 for d in dues):
        return "warning"
    return "ok"


def breached(ticket: Ticket, now: datetime, clocks: Clocks) -> bool:
    """Whether the ticket missed a target, so far: marked by the escalation, answered or resolved late, or overdue
    now (a resolved ticket by the working time its clock used)."""
    if ticket.breached_at is not None:
        return True
    if ticket.first_response_due and (ticket.first_response_at or now) > ticket.first_response_due:
        return True
    if ticket.resolution_due and ticket.resolution_due <= now:
        return True
    level = clocks.level(ticket.queue, ticket.priority)
    return bool(level and ticket.status in Ticket.DONE and ticket.clock_used > level.resolution_minutes * 60)


def due_q(now: datetime, clocks: Clocks, *, warning: bool) -> Q:
    """Open tickets with a due time passed (`warning=False`) or within their level's warning time (`warning=True`)
    as one query condition: per service level, the moment its warning time of business hours from now."""
    overdue = Q(first_response_at=None, first_response_due__lte=now) | Q(resolution_due__lte=now)
    if not warning:
        return overdue
    found = Q(pk__in=[])
    for level in clocks.levels():
        horizon = clocks.hours(level.queue).add(now, level.warn_minutes * 60)
        soon = Q(first_response_at=None, first_response_due__lte=horizon) | Q(resolution_due__lte=horizon)
        found |= Q(soon, queue_id=level.queue_id, priority=level.priority)
    return found
