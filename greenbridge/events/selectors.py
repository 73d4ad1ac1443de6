"""Reads of events, registrations, requests and meetings, scoped to who asks."""

from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from greenbridge.matching.models import Watch
from greenbridge.orgs import recommend
from greenbridge.orgs.models import Membership, Organisation
from greenbridge.orgs.rules import is_cluster_staff

from .models import Event, Meeting, MeetingRequest, Outcome, Registration
from .rules import ORGANISER_ROLES
from .slots import event_slots, slot_id


def events_visible(*, user, past: bool = False) -> QuerySet[Event]:
    """Upcoming (or past) events: published and cancelled ones for everyone, drafts for their organisers."""
    now = timezone.now()
    # Public: not a draft, and organised by a cluster or BSO the operators verified (the twin of the rule
    # events.view_event); an unverified organiser's events are seen only by its own staff.
    visible = ~Q(status=Event.Status.DRAFT) & Q(organisers__in=Organisation.objects.trusted())
    if user.is_authenticated:
        organised = Membership.objects.filter(user=user, role__in=ORGANISER_ROLES).values("organisation")
        visible |= Q(organisers__in=organised)
    events = Event.objects.filter(visible, **({"ends__lt": now} if past else {"ends__gte": now}))
    events = events.distinct().prefetch_related("organisers")
    return events.order_by("-starts" if past else "starts")


def registration_of(*, user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return event.registrations.filter(user=user).select_related("organisation").first()


def registrations_for_organisers(*, event: Event, status: str = "") -> QuerySet[Registration]:
    rows = event.registrations.select_related("user", "organisation").annotate(
        meeting_count=Count("meetings_first", filter=Q(meetings_first__cancelled__isnull=True), distinct=True)
        + Count("meetings_second", filter=Q(meetings_second__cancelled__isnull=True), distinct=True)
    )
    return rows.filter(status=status) if status else rows


def participants(*, event: Event) -> QuerySet[Registration]:
    """Approved participants, as other participants see them (organisation, offer, request)."""
    return event.registrations.filter(status__in=Registration.ACTIVE).select_related("organisation", "user")


def requests_of(*, registration: Registration) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(received, sent) meeting requests of a participant, newest first."""
    rows = MeetingRequest.objects.filter(Q(sender=registration) | Q(receiver=registration)).select_related(
        "sender__organisation", "sender__user", "receiver__organisation", "receiver__user"
    )
    rows = list(rows)
    return [r for r in rows if r.receiver_id == registration.pk], [r for r in rows if r.sender_id == registration.pk]


def agenda_of(*, registration: Registration, published: bool = False) -> list[Meeting]:
    """A participant's meetings in time order, each with `partner`. `published`: as last published (what
    participants were told), else as currently planned (organisers' view)."""
    rows = Meeting.objects.of(registration).select_related(
        "first__organisation", "first__user", "second__organisation", "second__user"
    )
    if published:
        rows = rows.filter(published_starts__isnull=False).order_by("published_starts")
    else:
        rows = rows.order_by("starts")
    out = list(rows)
    for m in out:
        m.partner = m.other(registration)
    return out


def country_targets(organisation_ids: list[int]) -> dict[int, frozenset[str]]:
    """The countries each organisation aims at: those its watches look in (two-letter codes)."""
    out: dict[int, set[str]] = {}
    for org_id, countries in Watch.objects.filter(organisation_id__in=organisation_ids, active=True).values_list(
        "organisation_id", "countries"
    ):
        out.setdefault(org_id, set()).update(c for c in countries or [] if isinstance(c, str) and len(c) == 2)
    return {k: frozenset(v) for k, v in out.items()}


def registration_profile(r: Registration, targets: dict[int, frozenset[str]]) -> recommend.Profile:
    return recommend.Profile(r, r.organisation, r.offer, r.seeking, targets.get(r.organisation_id, frozenset()))


def recommendations(*, registration: Registration, limit: int = 10) -> list[recommend.Recommendation]:
    """The participants most worth meeting for this one, best first, with reasons."""
    others = [r for r in participants(event=registration.event) if r.organisation_id != registration.organisation_id]
    targets = country_targets([registration.organisation_id, *(r.organisation_id for r in others)])
    me = registration_profile(registration, targets)
    return recommend.recommend(me, [registration_profile(r, targets) for r in others], limit=limit)


def schedule_grid(*, event: Event):
    """The organiser's grid: for each slot, the meeting at each table, with conflicts flagged (someone in
    two meetings at once, two meetings at a table, a participant's unavailable slot)."""
    slots = event_slots(event)
    meetings = list(
        event.meetings.filter(cancelled__isnull=True).select_related(
            "first__organisation", "second__organisation", "first", "second"
        )
    )
    by_slot: dict[str, list[Meeting]] = {}
    unscheduled = []
    for m in meetings:
        if m.starts is None:
            unscheduled.append(m)
        else:
            by_slot.setdefault(slot_id(m.starts), []).append(m)
    rows, conflicts = [], 0
    max_tables = max((s.session.tables for s in slots), default=0)
    known = {s.id for s in slots}
    for slot in slots:
        here = by_slot.get(slot.id, [])
        cells: list[list[Meeting]] = [[] for _ in range(max_tables)]
        for m in here:
            if m.table and m.table <= len(cells):
                cells[m.table - 1].append(m)
        busy = Counter(r.pk for m in here for r in (m.first, m.second))
        at_table = Counter(m.table for m in here if m.table)
        for m in here:
            people = (m.first, m.second)
            m.conflicts = [("double", r) for r in people if busy[r.pk] > 1]
            m.conflicts += [("unavailable", r) for r in people if slot.id in r.unavailable]
            if at_table[m.table] > 1 and m.table <= len(cells):
                m.conflicts.append(("table", None))
        conflicts += sum(1 for m in here if m.conflicts)
        rows.append({"slot": slot, "cells": cells[: slot.session.tables], "free": slot.session.tables})
    stray = [m for sid, ms in by_slot.items() if sid not in known for m in ms]  # the slot no longer exists
    return {
        "rows": rows,
        "tables": range(1, max_tables + 1),
        "unscheduled": unscheduled + stray,
        "conflicts": conflicts,
    }


def unpublished_changes(*, event: Event) -> int:
    """Meetings whose slot or table differs from what participants were told (or that were cancelled since)."""
    rows = event.meetings.filter(Q(cancelled__isnull=True) | Q(published_starts__isnull=False)).values_list(
        "starts", "table", "published_starts", "published_table", "cancelled"
    )
    return sum(
        1
        for starts, table, p_starts, p_table, cancelled in rows
        if (cancelled and p_starts) or (not cancelled and (starts, table) != (p_starts, p_table))
    )


def outcomes_of(*, registration: Registration) -> dict[int, Outcome]:
    """A participant's own outcomes, by meeting."""
    return {o.meeting_id: o for o in registration.outcomes.all()}


def outcome_report(*, event: Event) -> dict:
    """For organisers: how many sides told how their meetings went (the response rate), how many meetings took
    place, what comes next, partnerships recorded, and who has not answered yet."""
    meetings = list(
        event.meetings.filter(cancelled__isnull=True, published_starts__isnull=False).select_related(
            "first__organisation", "second__organisation"
        )
    )
    outcomes = Outcome.objects.filter(meeting__in=meetings).select_related("registration__organisation")
    by_side = {(o.meeting_id, o.registration_id): o for o in outcomes}
    by_meeting: dict[int, list[Outcome]] = {}
    for o in by_side.values():
        by_meeting.setdefault(o.meeting_id, []).append(o)
    sides = 2 * len(meetings)
    answered = sum(len(v) for v in by_meeting.values())
    held = sum(1 for v in by_meeting.values() if any(o.held == Outcome.Held.HELD for o in v))
    no_show = sum(1 for v in by_meeting.values() if v and all(o.held == Outcome.Held.NO_SHOW for o in v))
    interest = Counter(o.interest for v in by_meeting.values() for o in v if o.interest)
    told: Counter = Counter(o.registration_id for v in by_meeting.values() for o in v)
    owed: Counter = Counter(r.pk for m in meetings for r in (m.first, m.second))
    people = {r.pk: r for m in meetings for r in (m.first, m.second)}
    silent = sorted(
        ({"registration": people[pk], "meetings": n, "answered": told[pk]} for pk, n in owed.items() if told[pk] < n),
        key=lambda row: str(row["registration"].organisation),
    )
    return {
        "meetings": len(meetings),
        "sides": sides,
        "answered": answered,
        "response_rate": answered / sides if sides else None,
        "both_sides": sum(1 for v in by_meeting.values() if len(v) == 2),
        "held": held,
        "no_show": no_show,
        "interest": [(value, label, interest[value]) for value, label in Outcome.Interest.choices],
        "partnerships": event.partnerships.count(),  # recorded by partnering (its Partnership.event)
        "silent": silent,
        # (meeting, first side's outcome or None, second side's)
        "rows": [(m, by_side.get((m.pk, m.first_id)), by_side.get((m.pk, m.second_id))) for m in meetings],
    }


# ---- dashboards -------------------------------------------------------------------------------------

TAKING_PART = (Registration.Status.REGISTERED, Registration.Status.WAITING, *Registration.ACTIVE)


def registrations_upcoming(*, user, organisation: Organisation, now=None, limit: int = 5) -> list[Registration]:
    """The organisation's registrations (any of its people's) for events not over yet, soonest first. Only for its
    own people (the rule events.view_registration)."""
    now = now or timezone.now()
    rows = (
        Registration.objects.filter(
            organisation=organisation,
            organisation__memberships__user=user,
            status__in=TAKING_PART,
            event__ends__gte=now,
        )
        .select_related("event", "user")
        .order_by("event__starts", "event_id", "id")
    )
    return list(rows[:limit])


def meetings_upcoming(*, user, organisation: Organisation, now=None, limit: int = 5) -> list[Meeting]:
    """The organisation's next meetings as published to participants (time and table), soonest first, each with
    `mine` (its side) and `partner` (the other side). Only for its own people."""
    now = now or timezone.now()
    mine = Registration.objects.filter(organisation=organisation, organisation__memberships__user=user)
    rows = (
        Meeting.objects.filter(cancelled__isnull=True, published_starts__gte=now)
        .filter(Q(first__in=mine) | Q(second__in=mine))
        .select_related("event", "first__organisation", "second__organisation")
        .order_by("published_starts", "id")
    )
    out = list(rows[:limit])
    for m in out:
        m.mine = m.first if m.first.organisation_id == organisation.pk else m.second
        m.partner = m.other(m.mine)
    return out


def requests_awaiting(*, user, organisation: Organisation, now=None) -> list[MeetingRequest]:
    """Meeting requests the organisation's people received and have not answered, still open, oldest first. Only
    for its own people."""
    now = now or timezone.now()
    return list(
        MeetingRequest.objects.filter(
            receiver__organisation=organisation,
            receiver__organisation__memberships__user=user,
            status=MeetingRequest.Status.PENDING,
            expires__gt=now,
            event__ends__gte=now,
        )
        .select_related("event", "sender__organisation", "receiver")
        .order_by("expires", "id")
    )


def events_needing_action(*, user, cluster: Organisation, now=None, recent_days: int = 30) -> list[dict]:
    """For a cluster's staff (organisers): its events not over, or over in the last `recent_days`, with what needs
    doing — registrations to approve, meetings to schedule, a schedule to publish, meeting requests waiting,
    outcomes to collect after the event. Events with nothing to do are left out. Four queries whatever the number
    of events."""
    if not is_cluster_staff(user, cluster):
        return []
    now = now or timezone.now()
    events = list(
        Event.objects.filter(organisers=cluster, ends__gte=now - timezone.timedelta(days=recent_days))
        .exclude(status=Event.Status.CANCELLED)
        .annotate(
            to_approve=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
        )
        .order_by("starts", "id")
    )
    if not events:
        return []
    ids = [e.pk for e in events]
    pending = dict(
        MeetingRequest.objects.filter(event__in=ids, status=MeetingRequest.Status.PENDING, expires__gt=now)
        .values_list("event")
        .annotate(n=Count("pk"))
        .order_by()
    )
    unscheduled: Counter = Counter()
    changes: Counter = Counter()
    published: Counter = Counter()
    for event_id, starts, table, p_starts, p_table, cancelled in Meeting.objects.filter(event__in=ids).values_list(
        "event", "starts", "table", "published_starts", "published_table", "cancelled"
    ):
        if cancelled is None and starts is None:
            unscheduled[event_id] += 1
        if (cancelled and p_starts) or (not cancelled and (starts, table) != (p_starts, p_table)):
            changes[event_id] += 1  # as unpublished_changes counts them
        if cancelled is None and p_starts is not None:
            published[event_id] += 1
    told = Counter(
        dict(
            Outcome.objects.filter(
                meeting__event__in=ids, meeting__cancelled__isnull=True, meeting__published_starts__isnull=False
            )
            .values_list("meeting__event")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    out = []
    for e in events:
        over = e.ends < now
        row = {
            "event": e,
            "over": over,
            "to_approve": e.to_approve,
            "requests": pending.get(e.pk, 0) if not over else 0,
            "unscheduled": unscheduled[e.pk] if not over else 0,
            "unpublished": changes[e.pk] if not over else 0,
            "outcomes_missing": 2 * published[e.pk] - told[e.pk] if over else 0,
            "outcomes_sides": 2 * published[e.pk],
        }
        row["draft"] = e.status == Event.Status.DRAFT and not over
        if any(row[k] for k in ("to_approve", "requests", "unscheduled", "unpublished", "outcomes_missing", "draft")):
            out.append(row)
    return out


def meeting_counts(*, user, cluster: Organisation, organisations: list[Organisation], since) -> dict[int, int]:
    """For a cluster's staff: how many meetings (not cancelled) each organisation has at the cluster's events that
    end after `since` (the organisers see them). One query."""
    if not is_cluster_staff(user, cluster):
        return {}
    ids = {o.pk for o in organisations}
    counts: Counter = Counter()
    for first, second in Meeting.objects.filter(
        event__organisers=cluster, event__ends__gte=since, cancelled__isnull=True
    ).values_list("first__organisation", "second__organisation"):
        for org_id in {first, second} & ids:
            counts[org_id] += 1
    return dict(counts)


def b2p_events(*, user, now=None, limit: int = 5) -> list[Event]:
    """Upcoming B2P sessions (public buyers meet suppliers) the user may see, soonest first."""
    return list(events_visible(user=user).filter(kind=Event.Kind.B2P)[:limit])


def event_count(*, user) -> int:
    """Upcoming events the user may see."""
    return events_visible(user=user).count()
