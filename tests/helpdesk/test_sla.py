"""The service-level clock of tickets (helpdesk.sla) in a queue's business calendar, and the calendar's checks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from greenbridge.helpdesk import sla
from greenbridge.helpdesk.models import BusinessCalendar, Queue, ServiceLevel, Ticket
from greenbridge.orgs.models import Organisation

BUCHAREST = ZoneInfo("Europe/Bucharest")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BUCHAREST)


@pytest.fixture
def queue(db):
    cluster = Organisation.objects.create(name="Danube Water Cluster", slug="dwc", kind="cluster", country="RO")
    calendar = BusinessCalendar.objects.create(
        organisation=cluster,
        name="Office",
        time_zone="Europe/Bucharest",
        week="mon-fri 09:00-17:00",
        holidays_country="RO",
        closed_days=["2026-12-31"],
    )
    queue = Queue.objects.create(organisation=cluster, slug="procurement", name="Procurement abroad", calendar=calendar)
    ServiceLevel.objects.create(queue=queue, priority="normal", first_response_minutes=120, resolution_minutes=960)
    return queue


def ticket(queue, priority="normal") -> Ticket:
    return Ticket(queue=queue, subject="ESPD for MTender", priority=priority, status="new")


def test_a_ticket_opened_on_friday_afternoon_is_due_on_monday(queue):
    t = ticket(queue)
    sla.start(t, at(2026, 12, 4, 16, 0))  # Friday
    # 2 working hours: Friday 16-17, Monday 9-10. 16 hours: Friday 1 h, Monday 8 h, Tuesday 7 h.
    assert t.first_response_due == at(2026, 12, 7, 10, 0)
    assert t.resolution_due == at(2026, 12, 8, 16, 0)


def test_public_holidays_and_closed_days_stop_the_clock(queue):
    t = ticket(queue)
    sla.start(t, at(2026, 11, 27, 16, 0))  # Friday; Monday 30 Nov and Tuesday 1 Dec are Romanian holidays
    assert t.first_response_due == at(2026, 12, 2, 10, 0)
    t = ticket(queue)
    sla.start(t, at(2026, 12, 30, 16, 0))  # Wednesday; 31 Dec closed by hand, 1-2 Jan public holidays
    assert t.first_response_due == at(2027, 1, 4, 10, 0)


def test_waiting_for_the_requester_stops_the_resolution_clock(queue):
    t = ticket(queue)
    sla.start(t, at(2026, 12, 7, 10, 0))  # Monday
    assert t.resolution_due == at(2026, 12, 9, 10, 0)  # 16 h: Monday 10-17 (7 h), Tuesday 8 h, Wednesday 9-10
    sla.stop(t, at(2026, 12, 7, 14, 0))  # 4 working hours used
    assert (t.clock_used, t.resolution_due) == (4 * 3600, None)
    sla.resume(t, at(2026, 12, 10, 11, 0))  # Thursday: 12 h left, Thursday 6 h, Friday 6 h
    assert t.resolution_due == at(2026, 12, 11, 15, 0)
    sla.stop(t, at(2026, 12, 10, 12, 0))
    sla.stop(t, at(2026, 12, 10, 16, 0))  # stopping twice counts once
    assert t.clock_used == 5 * 3600


def test_a_pause_after_the_due_time_keeps_the_ticket_due_as_soon_as_it_resumes(queue):
    t = ticket(queue)
    sla.start(t, at(2026, 12, 7, 9, 0))
    sla.stop(t, at(2026, 12, 10, 9, 0))  # 24 working hours used of 16
    sla.resume(t, at(2026, 12, 14, 12, 0))
    assert t.resolution_due == at(2026, 12, 14, 12, 0)


def test_states_warning_before_the_due_time_then_breached(queue):
    clocks = sla.Clocks()
    t = ticket(queue)
    sla.start(t, at(2026, 12, 7, 9, 0), clocks)  # first response due 11:00; warned an hour before
    assert sla.state(t, at(2026, 12, 7, 9, 30), clocks) == "ok"
    assert sla.state(t, at(2026, 12, 7, 10, 0), clocks) == "warning"
    assert sla.state(t, at(2026, 12, 7, 11, 0), clocks) == "breached"
    t.first_response_at = at(2026, 12, 7, 10, 30)
    assert sla.state(t, at(2026, 12, 7, 11, 0), clocks) == "ok"  # answered in time; resolution due Tue 17:00
    t.status = Ticket.Status.RESOLVED
    assert sla.state(t, at(2027, 1, 1, 0, 0), clocks) == "ok"


def test_a_priority_without_a_service_level_has_no_due_time_and_a_queue_without_calendar_counts_every_hour(queue):
    t = ticket(queue, priority="urgent")
    sla.start(t, at(2026, 12, 5, 22, 0))
    assert (t.first_response_due, t.resolution_due) == (None, None)
    assert sla.state(t, at(2026, 12, 6, 22, 0), sla.Clocks()) == "none"
    queue.calendar = None
    queue.save()
    t = ticket(queue)
    sla.start(t, at(2026, 12, 5, 22, 0))  # Saturday night
    assert t.first_response_due == at(2026, 12, 6, 0, 0)


def test_a_calendar_is_refused_with_every_problem_in_words(queue):
    calendar = queue.calendar
    calendar.week = "mon-fri 9-17\nsun 18:00-08:00"
    calendar.time_zone = "Europe/Atlantis"
    calendar.closed_days = ["31/12/2026"]
    with pytest.raises(ValidationError) as refused:
        calendar.full_clean()
    errors = refused.value.message_dict
    assert errors["week"] == [
        "line 1: '9-17' is not a period of time (09:00-17:00)",
        "line 2: '18:00-08:00' ends before it starts (a night shift is written on both days)",
    ]
    assert errors["time_zone"] == ["'Europe/Atlantis' is not a time zone name (such as Europe/Bucharest)"]
    assert errors["closed_days"] == ["Not dates (YYYY-MM-DD): 31/12/2026"]
    calendar.refresh_from_db()
    calendar.holidays_country, calendar.holidays_subdivision = "RO", "B"
    with pytest.raises(ValidationError) as refused:
        calendar.full_clean()
    assert refused.value.message_dict == {"holidays_subdivision": ["Not a region of this country; known: —"]}
