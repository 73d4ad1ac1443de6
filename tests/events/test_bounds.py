"""What organisers type into an event stays within the bounds the model fields define (greenbridge.core.bounds
and events.models): a typo is refused in plain words, never stored (and never a server error)."""

import importlib

import pytest

from greenbridge.events.models import Event

pytestmark = pytest.mark.django_db

EVENT = {
    "kind": "b2b",
    "status": "draft",
    "title": "Chișinău water brokerage",
    "slug": "",
    "timezone": "Europe/Chisinau",
    "starts": "2027-03-10T09:00",
    "ends": "2027-03-10T13:00",
    "matchmaking": "on",
    "meeting_minutes": "20",
    "request_expiry_hours": "48",
    "sessions-TOTAL_FORMS": "1",
    "sessions-INITIAL_FORMS": "0",
    "sessions-0-name": "Morning",
    "sessions-0-day": "2027-03-10",
    "sessions-0-start": "09:30",
    "sessions-0-end": "12:30",
    "sessions-0-tables": "6",
    "questions-TOTAL_FORMS": "0",
    "questions-INITIAL_FORMS": "0",
}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("meeting_minutes", "99999999999999999999", "A meeting lasts from 5 to 240 minutes."),
        ("request_expiry_hours", "100000", "Ensure this value is less than or equal to 2160."),
        ("capacity", "9999999999", "Ensure this value is less than or equal to 100000."),
        ("max_meetings", "40000", "Ensure this value is less than or equal to 1000."),
        ("starts", "9999-03-10T09:00", "Choose a date from 1950 to 2100."),
        ("registration_closes", "1900-01-01T00:00", "Choose a date from 1950 to 2100."),
        ("sessions-0-day", "9999-12-31", "Choose a date from 1950 to 2100."),
        ("sessions-0-tables", "99999", "Ensure this value is less than or equal to 1000."),
    ],
)
def test_an_event_typo_is_refused_in_plain_words(client_for, orgs, field, typed, message):
    data = {**EVENT, "organiser": orgs["cluster"].pk, field: typed}
    if field == "starts":
        data["ends"] = "9999-03-10T13:00"
    response = client_for("manager").post("/events/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.filter(title=EVENT["title"]).exists()
    assert client_for("manager").post("/events/new/", {**EVENT, "organiser": orgs["cluster"].pk}).status_code == 302


def test_numbers_stored_before_the_bounds_are_brought_within_them_and_the_pages_show(client_for, demo):
    """An event saved by an older version with a meeting length of 10**15 minutes (SQLite kept it) failed
    every page cutting it into slots; the migration that brings stored numbers within the bounds fixes it."""
    from django.apps import apps
    from django.db import connection

    clamp = importlib.import_module("greenbridge.events.migrations.0005_clamp_stored_numbers").clamp
    event, session = demo.event, demo.event.sessions.first()
    huge = "1000000000000000" if connection.vendor == "sqlite" else "32767"  # what each database keeps
    with connection.cursor() as cur:
        cur.execute(f"UPDATE events_event SET meeting_minutes = {huge} WHERE id = %s", [event.pk])  # noqa: S608
        cur.execute(f"UPDATE events_session SET tables = {huge} WHERE id = %s", [session.pk])  # noqa: S608
    clamp(apps, None)
    event.refresh_from_db()
    session.refresh_from_db()
    assert (event.meeting_minutes, session.tables) == (240, 1000)
    for role, path in [
        ("anonymous", ""),
        ("sme", "me/"),
        ("sme", "participants/"),
        ("sme", "agenda/"),
        ("manager", "manage/"),
        ("manager", "manage/schedule/"),
        ("manager", "manage/edit/"),
    ]:
        assert client_for(role).get(f"/events/{event.slug}/{path}").status_code == 200, path
