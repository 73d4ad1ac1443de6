"""Submission deadlines as iCalendar: one notice's (.ics download) or a person's starred notices (feed)."""

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Event

from greenbridge.core.ics import new_calendar

from .models import Notice


def deadline_calendar(notices: Iterable[Notice], base_url: str, name: str = "") -> bytes:
    cal = new_calendar("E-watch", name)
    stamp = timezone.now()
    for notice in notices:
        if notice.deadline is None:
            continue
        event = Event()
        event.add("uid", f"notice-{notice.pk}-deadline@greenbridge")
        event.add("summary", f"Deadline: {notice.title[:150]}")
        event.add("dtstart", notice.deadline)
        event.add("dtend", notice.deadline)
        event.add("dtstamp", stamp)
        event.add("url", f"{base_url}{notice.get_absolute_url()}")
        event.add("description", f"{notice.buyer_name}\n{notice.url or ''}".strip())
        cal.add_component(event)
    return cal.to_ical()
