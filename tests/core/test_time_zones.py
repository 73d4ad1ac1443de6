"""Times are shown in the reader's time zone: theirs, else their organisation's country's, else UTC."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client

from greenbridge.core import timezones
from tests.conftest import make_notice

DEADLINE = datetime(2027, 3, 1, 22, 30, tzinfo=UTC)


def test_a_country_gives_its_main_zone_and_a_choice_wins():
    assert timezones.of_country("UA") == "Europe/Kyiv"
    assert timezones.of_country("md") == "Europe/Chisinau"
    assert timezones.of_country("XX") is None
    assert timezones.of_country("") is None
    assert timezones.chosen("", ["XX", "RO", "MD"]) == "Europe/Bucharest"
    assert timezones.chosen("America/Mexico_City", ["RO"]) == "America/Mexico_City"
    assert timezones.chosen("Mars/Olympus", ["MD"]) == "Europe/Chisinau"
    assert timezones.chosen(None, []) == settings.TIME_ZONE == "UTC"


def deadline_shown(client: Client, notice) -> str:
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    start = page.index('<span class="deadline')
    return page[start : page.index("</time>", start)].rsplit(">", 1)[1]


@pytest.mark.django_db
def test_a_deadline_is_shown_in_the_zone_of_the_readers_organisation(client_for, users):
    notice = make_notice("tz-1", buyer_country="UA", deadline=DEADLINE)
    assert deadline_shown(client_for("anonymous"), notice) == "1 March 2027, 22:30 UTC"
    # Helios Solar is in Moldova: the deadline is after midnight there.
    assert deadline_shown(client_for("other_sme"), notice) == "2 March 2027, 00:30 EET"
    # The platform's secretariat is in Brussels.
    assert deadline_shown(client_for("operator"), notice) == "1 March 2027, 23:30 CET"
    # Someone whose organisations give no zone reads the site's.
    client = Client()
    client.force_login(users["operator"].__class__.objects.create_user("n", "n@example.org", "pw-n-1234"))
    assert deadline_shown(client, notice) == "1 March 2027, 22:30 UTC"


@pytest.mark.django_db
def test_the_picker_keeps_the_choice_on_the_account_and_refuses_what_is_not_a_zone(client_for, users):
    notice = make_notice("tz-2", buyer_country="UA", deadline=DEADLINE)
    client = client_for("sme")
    page = client.get("/time-zone/?next=/notices/").content.decode()
    assert '<option value="Europe/Bucharest" selected>' in page
    assert '<input type="hidden" name="next" value="/notices/">' in page

    response = client.post("/time-zone/", {"time_zone": "America/Mexico_City", "next": f"/notices/{notice.pk}/"})
    assert response.status_code == 302
    assert response.url == f"/notices/{notice.pk}/"
    users["sme"].refresh_from_db()
    assert users["sme"].time_zone == "America/Mexico_City"
    assert deadline_shown(client, notice) == "1 March 2027, 16:30 CST"
    # The choice follows the person to their next sign-in.
    assert deadline_shown(client_for("sme"), notice) == "1 March 2027, 16:30 CST"

    response = client.post("/time-zone/", {"time_zone": "Mars/Olympus", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == "/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "“Mars/Olympus” is not a time zone; nothing was changed."
    ]
    users["sme"].refresh_from_db()
    assert users["sme"].time_zone == "America/Mexico_City"


@pytest.mark.django_db
def test_someone_not_signed_in_chooses_for_their_session_only(client):
    response = client.post("/time-zone/", {"time_zone": "Europe/Kyiv", "next": "/notices/"})
    assert response.status_code == 302
    assert client.session[timezones.SESSION_KEY] == "Europe/Kyiv"
    assert "Times in Europe/Kyiv" in client.get("/notices/").content.decode()


@pytest.mark.django_db
def test_forwarded_notices_are_mailed_with_times_in_the_members_zone(users, orgs, mailoutbox):
    from greenbridge.matching import services

    notice = make_notice("tz-3", buyer_country="UA", deadline=DEADLINE)
    services.notice_forward(cluster=orgs["cluster"], members=[orgs["other_sme"]], notice=notice)
    assert services.forwards_deliver()["forward_emails"] == 1
    [message] = mailoutbox
    assert "deadline 2 March 2027, 00:30 EET" in " ".join(message.body.split())
