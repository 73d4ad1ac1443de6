"""An engagement's sessions as iCalendar (.ics): attached to the e-mail of each session, and downloadable."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Event

from greenbridge.core.ics import new_calendar

from .models import Engagement, Session


def session_calendar(sessions: Iterable[Session], engagement: Engagement) -> bytes:
    cal = new_calendar("Services", str(engagement.service))
    stamp = timezone.now()
    where = f"{settings.BASE_URL}{engagement.get_absolute_url()}"
    for s in sessions:
        item = Event()
        item.add("uid", f"service-session-{s.pk}@greenbridge")
        item.add("summary", f"{engagement.service.name} · {engagement.organisation.name}")
        item.add("dtstart", s.starts)
        item.add("dtend", s.starts + timedelta(hours=float(s.hours)))
        item.add("dtstamp", stamp)
        item.add("url", where)
        people = [str(p) for p in (engagement.advisor,) if p is not None]
        item.add("description", "\n".join([engagement.service.provider.name, *people, where]))
        cal.add_component(item)
    return cal.to_ical()
