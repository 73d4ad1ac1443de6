"""Every change to events, registrations, meeting requests and meetings goes through a function here."""

import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbridge.core.errors import Refused
from greenbridge.orgs.models import Organisation

from . import mail, scheduling
from .models import Event, Meeting, MeetingRequest, Outcome, Registration
from .slots import event_slots, slot_id

log = logging.getLogger(__name__)
REMIND_BEFORE = timedelta(days=2)
OUTCOMES_ASKED_WITHIN = timedelta(days=14)  # an event that ended longer ago is not asked about any more


# -- registrations --------------------------------------------------------------------------------------------


def _places_taken(event: Event) -> int:
    return event.registrations.filter(status__in=Registration.HOLDS_A_PLACE).count()


def _is_full(event: Event) -> bool:
    return event.capacity is not None and _places_taken(event) >= event.capacity


def _admitted(event: Event) -> str:
    """The status of someone given a place: approved, or awaiting the organisers' approval."""
    return Registration.Status.REGISTERED if event.approval_required else Registration.Status.APPROVED


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user: Any,
    organisation: Organisation,
    answers: dict[str, Any] | None = None,
    offer: str = "",
    seeking: str = "",
) -> Registration:
    """Register a person for an organisation: approved, awaiting approval, or on the waiting list when full."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.registration_is_open():
        raise Refused(_("Registration for this event is closed."))
    existing = event.registrations.filter(user=user).first()
    if existing is not None and existing.status not in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
        raise Refused(_("You are already registered for this event."))
    status = Registration.Status.WAITING if _is_full(event) else _admitted(event)
    fields = {
        "organisation": organisation,
        "answers": answers or {},
        "offer": offer,
        "seeking": seeking,
        "status": status,
        "status_changed": timezone.now(),
    }
    if existing is not None:  # registering again after cancelling
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        registration = existing
    else:
        registration = Registration.objects.create(event=event, user=user, **fields)
    transaction.on_commit(lambda: mail.registration_status(registration.pk))
    return registration


@transaction.atomic
def registrations_set_status(*, registrations: list[Registration], status: str) -> int:
    """Organisers approve, decline, mark attended or no-show, several at once; people are told by e-mail when
    their place changes (approved, declined, cancelled). A freed place goes to the waiting list."""
    changed = []
    now = timezone.now()
    for registration in registrations:
        if registration.status == status:
            continue
        registration.status = status
        registration.status_changed = now
        registration.save(update_fields=["status", "status_changed"])
        changed.append(registration)
        if status not in Registration.ACTIVE:
            _withdraw(registration)
    told = {Registration.Status.APPROVED, Registration.Status.DECLINED, Registration.Status.CANCELLED}
    for registration in changed:
        if status in told:
            transaction.on_commit(lambda pk=registration.pk: mail.registration_status(pk))
    if changed:
        _promote_waiting(changed[0].event)
    return len(changed)


@transaction.atomic
def registration_cancel(*, registration: Registration) -> None:
    registrations_set_status(registrations=[registration], status=Registration.Status.CANCELLED)


def _withdraw(registration: Registration) -> None:
    """Someone who no longer takes part: their open requests and their meetings go."""
    now = timezone.now()
    MeetingRequest.objects.filter(
        Q(sender=registration) | Q(receiver=registration), status__in=MeetingRequest.OPEN
    ).update(status=MeetingRequest.Status.CANCELLED, answered=now)
    Meeting.objects.of(registration).update(cancelled=now)


def _promote_waiting(event: Event) -> None:
    """Places freed go to the waiting list, first come first served."""
    if event.capacity is None:
        return
    free = event.capacity - _places_taken(event)
    if free <= 0:
        return
    status = _admitted(event)
    for registration in event.registrations.filter(status=Registration.Status.WAITING).order_by("created")[:free]:
        registration.status = status
        registration.status_changed = timezone.now()
        registration.save(update_fields=["status", "status_changed"])
        transaction.on_commit(lambda pk=registration.pk: mail.registration_status(pk))


def availability_set(*, registration: Registration, unavailable: list[str]) -> None:
    known = {s.id for s in event_slots(registration.event)}
    registration.unavailable = sorted(s for s in set(unavailable) if s in known)
    registration.save(update_fields=["unavailable"])


def reminders_send(*, now=None, failures: Counter | None = None) -> int:
    """Remind approved participants of an event that starts within two days (once). A reminder that cannot be
    sent is logged, counted in `failures["reminders"]` and tried again on the next run; the others go."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.APPROVED,
        reminded__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__starts__gt=now,
        event__starts__lte=now + REMIND_BEFORE,
    )
    sent = 0
    for registration in due.select_related("event", "user", "organisation"):
        try:
            mail.reminder(registration)
        except Exception as exc:  # SMTP down, an address it cannot send to…: tried again on the next run
            log.warning("reminder to %s failed: %r", registration.user, exc)
            if failures is not None:
                failures["reminders"] += 1
            continue
        Registration.objects.filter(pk=registration.pk).update(reminded=now)
        sent += 1
    return sent


# -- meeting requests ------------------------------------------------------------------------------------------


def _check_limit(registration: Registration) -> None:
    limits = [n for n in (registration.event.max_meetings, registration.max_meetings) if n is not None]
    if limits and Meeting.objects.of(registration).count() >= min(limits):
        raise Refused(
            _("%(organisation)s has no room for more meetings (at most %(limit)s).")
            % {"organisation": registration.organisation, "limit": min(limits)}
        )


@transaction.atomic
def meeting_request_create(*, sender: Registration, receiver: Registration, message: str = "") -> MeetingRequest:
    event = sender.event
    if receiver.event_id != event.pk or sender.pk == receiver.pk:
        raise Refused(_("You cannot request a meeting with yourself."))
    if not event.booking_is_open():
        raise Refused(_("Meeting requests for this event are closed."))
    if not (sender.is_active and receiver.is_active):
        raise Refused(_("Only approved participants can request meetings."))
    if MeetingRequest.objects.filter(
        Q(sender=sender, receiver=receiver) | Q(sender=receiver, receiver=sender), status__in=MeetingRequest.OPEN
    ).exists():
        raise Refused(
            _("There is already a request between you and %(organisation)s.") % {"organisation": receiver.organisation}
        )
    _check_limit(sender)
    request = MeetingRequest.objects.create(
        event=event,
        sender=sender,
        receiver=receiver,
        message=message.strip(),
        expires=timezone.now() + timedelta(hours=event.request_expiry_hours),
    )
    if event.auto_accept:
        meeting_request_accept(request=request)
    else:
        transaction.on_commit(lambda: mail.meeting_request(request.pk))
    return request


@transaction.atomic
def meeting_request_accept(*, request: MeetingRequest) -> Meeting:
    if request.status != MeetingRequest.Status.PENDING:
        raise Refused(_("This request is no longer waiting for an answer."))
    if request.expires <= timezone.now():
        raise Refused(_("This request has expired."))
    _check_limit(request.receiver)
    _check_limit(request.sender)
    request.status = MeetingRequest.Status.ACCEPTED
    request.answered = timezone.now()
    request.save(update_fields=["status", "answered"])
    meeting = Meeting.objects.create(
        event=request.event, request=request, first=request.sender, second=request.receiver
    )
    transaction.on_commit(lambda: mail.meeting_request_answered(request.pk))
    return meeting


@transaction.atomic
def meeting_request_decline(*, request: MeetingRequest) -> None:
    if request.status != MeetingRequest.Status.PENDING:
        raise Refused(_("This request is no longer waiting for an answer."))
    request.status = MeetingRequest.Status.DECLINED
    request.answered = timezone.now()
    request.save(update_fields=["status", "answered"])
    transaction.on_commit(lambda: mail.meeting_request_answered(request.pk))


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest) -> None:
    """The sender withdraws: a pending request is cancelled; an accepted one cancels its meeting too."""
    if request.status not in MeetingRequest.OPEN:
        raise Refused(_("This request is no longer open."))
    request.status = MeetingRequest.Status.CANCELLED
    request.answered = timezone.now()
    request.save(update_fields=["status", "answered"])
    Meeting.objects.filter(request=request, cancelled__isnull=True).update(cancelled=timezone.now())


def requests_expire(*, now=None, event: Event | None = None) -> int:
    """Unanswered requests past their time expire (hourly task; pages showing requests also ask)."""
    pending = MeetingRequest.objects.filter(status=MeetingRequest.Status.PENDING, expires__lte=now or timezone.now())
    if event is not None:
        pending = pending.filter(event=event)
    return pending.update(status=MeetingRequest.Status.EXPIRED)


# -- meetings and the schedule ------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, event: Event, first: Registration, second: Registration, session=None) -> Meeting:
    """Organisers add a meeting by hand (it needs no request)."""
    if first.pk == second.pk:
        raise Refused(_("A meeting needs two different participants."))
    if Meeting.objects.of(first).filter(Q(first=second) | Q(second=second)).exists():
        raise Refused(_("These two participants already have a meeting."))
    return Meeting.objects.create(event=event, first=first, second=second, session=session)


@transaction.atomic
def meeting_move(*, meeting: Meeting, slot: str | None, table: int | None, locked: bool) -> None:
    """Organisers move a meeting to a slot and table (or take it out of the schedule) and lock it there."""
    if slot:
        by_id = {s.id: s for s in event_slots(meeting.event)}
        if slot not in by_id:
            raise Refused(_("That slot is not in this event."))
        target = by_id[slot]
        if table is None or not 1 <= table <= target.session.tables:
            raise Refused(
                _("Choose a table from 1 to %(tables)s for that session.") % {"tables": target.session.tables}
            )
        meeting.starts, meeting.table = target.starts, table
    else:
        meeting.starts = meeting.table = None
    meeting.locked = locked and bool(slot)
    meeting.unscheduled_why = []
    meeting.save(update_fields=["starts", "table", "locked", "unscheduled_why"])


LIVE_EARLY = timedelta(hours=1)  # how long before a meeting its side may say they are running late


def meeting_live_set(*, meeting: Meeting, live: str, now: datetime | None = None) -> None:
    """During the event: running late (from an hour before the meeting), a no-show (once it has started), or on
    time again. Marked weeks before, a no-show would count in the organisers' figures for a meeting still to come."""
    now = now or timezone.now()
    starts = meeting.published_starts
    if live == Meeting.Live.NO_SHOW and (starts is None or now < starts):
        raise Refused(_("A meeting can be marked a no-show once it has started."))
    if live == Meeting.Live.LATE and (starts is None or now < starts - LIVE_EARLY):
        raise Refused(_("A meeting can be marked as running late from an hour before it."))
    meeting.live = live
    meeting.save(update_fields=["live"])


def _pid(registration_id: int) -> str:
    return f"r{registration_id}"


def schedule_input(event: Event) -> tuple[dict[str, Any], list[Meeting], dict[str, str]]:
    """The event's accepted meetings as the solver's input, in the format of `greenbridge schedule solve`;
    with the meetings and each participant id's organisation name."""
    slots = event_slots(event)
    slot_ids = {s.id for s in slots}
    meetings = list(
        event.meetings.filter(cancelled__isnull=True).select_related(
            "session", "first__organisation", "second__organisation"
        )
    )
    people = {r for m in meetings for r in (m.first, m.second)}
    data = {
        "slots": [{"id": s.id, "session": s.session.name, "tables": s.session.tables} for s in slots],
        "tables": max((s.session.tables for s in slots), default=1) or 1,
        "max_meetings_per_session": event.max_meetings_per_session,
        "participants": [
            {
                "id": _pid(r.pk),
                "unavailable": [s for s in r.unavailable if s in slot_ids],
                "max_meetings": min((n for n in (event.max_meetings, r.max_meetings) if n is not None), default=None),
            }
            for r in sorted(people, key=lambda r: r.pk)
        ],
        "meetings": [],
    }
    for m in meetings:
        item: dict[str, Any] = {"id": str(m.pk), "participants": [_pid(m.first_id), _pid(m.second_id)]}
        if m.session is not None:
            item["sessions"] = [m.session.name]
        if m.locked and m.starts and slot_id(m.starts) in slot_ids:
            item["fixed_slot"] = item["preferred_slot"] = slot_id(m.starts)
            item["preferred_table"] = m.table  # and at its table
        elif m.published_starts and slot_id(m.published_starts) in slot_ids:
            item["preferred_slot"] = slot_id(m.published_starts)
            item["preferred_table"] = m.published_table
        data["meetings"].append(item)
    names = {_pid(r.pk): str(r.organisation) for r in people}
    return data, meetings, names


@transaction.atomic
def schedule_run(*, event: Event, time_limit: float = 20.0) -> scheduling.Schedule:
    """Place the accepted meetings: locked ones stay, published ones stay where they can, the rest fill in."""
    data, meetings, names = schedule_input(event)
    try:
        problem = scheduling.Problem.from_data(data)
    except scheduling.ScheduleInvalid as exc:
        raise Refused(_("The schedule cannot be made: %(errors)s") % {"errors": "; ".join(exc.errors)}) from None
    result = scheduling.solve(problem, time_limit=time_limit)
    starts = {s.id: s.starts for s in event_slots(event)}
    why = {u["meeting"]: u["why"] for u in result.unscheduled}
    for m in meetings:
        index = result.placement.get(str(m.pk))
        if index is None:
            m.starts = m.table = None
            # The solver's participants are ids: the reasons name the organisations.
            m.unscheduled_why = [
                {**w, "participant": names.get(w["participant"], "")} if "participant" in w else w
                for w in why.get(str(m.pk), [])
            ]
        else:
            m.starts = starts[problem.slots[index].id]
            m.table = result.tables[str(m.pk)]
            m.unscheduled_why = []
    Meeting.objects.bulk_update(meetings, ["starts", "table", "unscheduled_why"])
    return result


@transaction.atomic
def schedule_publish(*, event: Event) -> int:
    """Publish the schedule: everyone whose agenda is new or changed gets it by e-mail. Returns how many."""
    meetings = list(event.meetings.filter(cancelled__isnull=True))
    changed: set[int] = set()
    for m in meetings:
        if (m.starts, m.table) != (m.published_starts, m.published_table):
            changed.update((m.first_id, m.second_id))
            m.published_starts, m.published_table = m.starts, m.table
    # Cancelled meetings that were published change their people's agendas too.
    for m in event.meetings.filter(cancelled__isnull=False, published_starts__isnull=False):
        changed.update((m.first_id, m.second_id))
        m.published_starts = m.published_table = None
        meetings.append(m)
    Meeting.objects.bulk_update(meetings, ["published_starts", "published_table"])
    first_time = event.schedule_published is None
    event.schedule_published = timezone.now()
    event.save(update_fields=["schedule_published"])
    for pk in sorted(changed):
        transaction.on_commit(lambda pk=pk: mail.agenda(pk, changed=not first_time))
    return len(changed)


def events_tick(*, now=None) -> dict[str, int]:
    """What runs every hour (cron or Celery beat): requests expire, reminders go out, and participants of
    events that just ended are asked how their meetings went. What cannot be sent is counted in
    `reminder_failures` and `outcome_request_failures`; the others are sent."""
    failures: Counter = Counter()
    counts = {
        "expired": requests_expire(now=now),
        "reminders": reminders_send(now=now, failures=failures),
        "outcome_requests": outcomes_request(now=now, failures=failures),
    }
    return {
        **counts,
        "reminder_failures": failures["reminders"],
        "outcome_request_failures": failures["outcome_requests"],
    }


# -- after the event ---------------------------------------------------------------------------------------------


def outcome_save(
    *, meeting: Meeting, registration: Registration, held: str, interest: str = "", note: str = "", now=None
) -> Outcome:
    """One side tells how a meeting went: held or not, and what comes next. Either side, once it has started;
    saving again changes it."""
    now = now or timezone.now()
    if registration.pk not in (meeting.first_id, meeting.second_id):
        raise Refused(_("This is not one of your meetings."))
    if meeting.cancelled:
        raise Refused(_("This meeting was cancelled."))
    if now < (meeting.published_starts or meeting.starts or meeting.event.starts):
        raise Refused(_("You can tell how the meeting went once it has started."))
    if held not in Outcome.Held.values:
        raise Refused(_("Say whether the meeting took place."))
    if held == Outcome.Held.NO_SHOW:
        interest = ""
    elif interest not in Outcome.Interest.values:
        raise Refused(_("Say what comes next: nothing, a follow-up, or an agreement in progress."))
    outcome, _created = Outcome.objects.update_or_create(
        meeting=meeting, registration=registration, defaults={"held": held, "interest": interest, "note": note.strip()}
    )
    return outcome


def outcomes_request(*, now=None, failures: Counter | None = None) -> int:
    """Once a matchmaking event with a published schedule has ended, ask each participant with meetings how
    they went (once per event; an event that ended more than two weeks ago is left alone). A request that
    cannot be sent is logged and counted in `failures["outcome_requests"]` (not retried)."""
    now = now or timezone.now()
    due = Event.objects.filter(
        matchmaking=True,
        status=Event.Status.PUBLISHED,
        schedule_published__isnull=False,
        outcomes_requested__isnull=True,
        ends__lte=now,
        ends__gt=now - OUTCOMES_ASKED_WITHIN,
    )
    sent = 0
    for event in due:
        met = event.meetings.filter(cancelled__isnull=True, published_starts__isnull=False)
        ids = set(met.values_list("first", flat=True)) | set(met.values_list("second", flat=True))
        for registration in event.registrations.filter(pk__in=ids, status__in=Registration.ACTIVE).select_related(
            "event", "user"
        ):
            try:
                mail.outcomes_request(registration)
            except Exception as exc:  # one failed address does not stop the others; not retried
                log.warning("outcome request to %s failed: %r", registration.user, exc)
                if failures is not None:
                    failures["outcome_requests"] += 1
                continue
            sent += 1
        Event.objects.filter(pk=event.pk).update(outcomes_requested=now)
    return sent
