"""Events and personal agendas as iCalendar (.ics): to add to Outlook, Google or Apple calendars."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from greenbridge.core.ics import new_calendar

from .models import Event, Meeting, Registration


def _calendar(name: str = "") -> Calendar:
    return new_calendar("Events", name)


def _event_component(event: Event) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"event-{event.pk}@greenbridge")
    item.add("summary", event.title)
    item.add("dtstart", event.starts)
    item.add("dtend", event.ends)
    item.add("dtstamp", timezone.now())
    place = ", ".join(p for p in (event.venue, event.city, event.country.name if event.country else "") if p)
    if place or event.online_url:
        item.add("location", place or event.online_url)
    item.add("url", f"{settings.BASE_URL}{event.get_absolute_url()}")
    item.add("description", event.description[:2000])
    if event.status == Event.Status.CANCELLED:
        item.add("status", "CANCELLED")
    return item


def event_calendar(event: Event) -> bytes:
    cal = _calendar()
    cal.add_component(_event_component(event))
    return cal.to_ical()


def events_calendar(events: Iterable[Event]) -> bytes:
    cal = _calendar("GreenBridge events")
    for event in events:
        cal.add_component(_event_component(event))
    return cal.to_ical()


def agenda_calendar(registration: Registration, meetings: Iterable[Meeting]) -> bytes:
    """The event and each of a participant's meetings (with whom, at which table)."""
    cal = _calendar()
    cal.add_component(_event_component(registration.event))
    length = registration.event.meeting_minutes
    for m in meetings:
        item = CalendarEvent()
        item.add("uid", f"meeting-{m.pk}-{registration.pk}@greenbridge")
        table = _("Table %(table)s") % {"table": m.published_table}
        item.add("summary", f"{m.partner.organisation} · {table}")
        item.add("dtstart", m.published_starts)
        item.add("dtend", m.published_starts + timedelta(minutes=length))
        item.add("dtstamp", timezone.now())
        item.add("location", " · ".join(p for p in (registration.event.venue, table) if p))
        item.add("description", f"{m.partner.user} ({m.partner.organisation})")
        cal.add_component(item)
    return cal.to_ical()
