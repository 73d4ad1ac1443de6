"""E-mails to participants: registration status, reminder, meeting requests and answers, the agenda.

Each is one template pair under events/email/ (<kind>_subject.txt, <kind>.txt), rendered in the person's
language; the confirmation, reminder and agenda carry an .ics to add to a calendar.
"""

from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.urls import reverse

from greenbridge.core.mail import send_to_user

from .calendar import agenda_calendar, event_calendar
from .models import MeetingRequest, Registration
from .selectors import agenda_of


def _send(kind: str, user, context: dict, ics: Callable[[], bytes] | None = None) -> None:
    event = context["event"]
    context = {
        **context,
        "event_url": f"{settings.BASE_URL}{event.get_absolute_url()}",
        "my_url": f"{settings.BASE_URL}{reverse('events:mine', args=[event.slug])}",
    }
    send_to_user(user, f"events/email/{kind}", context, [(f"{event.slug}.ics", ics, "text/calendar")] if ics else [])


def registration_status(registration_pk: int) -> None:
    r = Registration.objects.select_related("event", "user", "organisation").get(pk=registration_pk)
    ics = partial(event_calendar, r.event) if r.status == Registration.Status.APPROVED else None
    _send("registration", r.user, {"event": r.event, "registration": r}, ics)


def reminder(r: Registration) -> None:
    _send("reminder", r.user, {"event": r.event, "registration": r}, partial(event_calendar, r.event))


def outcomes_request(r: Registration) -> None:
    _send("outcomes", r.user, {"event": r.event, "registration": r})


def meeting_request(request_pk: int) -> None:
    req = MeetingRequest.objects.select_related("event", "sender__organisation", "receiver__user").get(pk=request_pk)
    _send("request", req.receiver.user, {"event": req.event, "request": req})


def meeting_request_answered(request_pk: int) -> None:
    req = MeetingRequest.objects.select_related("event", "receiver__organisation", "sender__user").get(pk=request_pk)
    _send("answer", req.sender.user, {"event": req.event, "request": req})


def agenda(registration_pk: int, *, changed: bool) -> None:
    r = Registration.objects.select_related("event", "user", "organisation").get(pk=registration_pk)
    meetings = agenda_of(registration=r, published=True)
    _send(
        "agenda",
        r.user,
        {"event": r.event, "registration": r, "meetings": meetings, "changed": changed},
        partial(agenda_calendar, r, meetings),
    )
