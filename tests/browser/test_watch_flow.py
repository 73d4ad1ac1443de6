"""End to end in a real chromium: an SME creates a watch from the suggestion made from its profile, sees
what it matches and why (live preview, then the inbox), stars a notice and downloads the calendar of its
starred deadlines."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from greenbridge.matching.models import Star, Watch
from tests.conftest import make_notice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def notices():
    now = timezone.now()
    return {
        # AquaPure (the demo SME) lists 45232150 (works for water mains) among its CPV codes.
        "exact": make_notice(
            "md-1",
            title="Rehabilitation of water mains in Ungheni",
            buyer_name="Primăria Ungheni",
            buyer_country="MD",
            cpv_codes=["45232150"],
            deadline=now + timedelta(days=20),
            published=now - timedelta(days=1),
        ),
        "other": make_notice(
            "fr-1",
            title="Fourniture de mobilier scolaire",
            buyer_country="FR",
            cpv_codes=["39160000"],
            deadline=now + timedelta(days=20),
            published=now - timedelta(days=1),
        ),
    }


def test_an_sme_creates_a_watch_from_the_suggestion_stars_a_match_and_gets_the_calendar(
    page, live_server, screenshot, sign_in, users, orgs, notices
):
    sign_in(users["sme"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Watches").first.click()
    page.get_by_role("link", name=f"New watch for {orgs['sme'].name}").click()

    # The editor starts from the profile: its CPV codes are there, and the live preview shows what they find.
    code = page.locator("#id_cpv_codes_chosen").get_by_role("checkbox", name=re.compile(r"^45232150 "))
    assert code.is_checked()
    preview = page.locator("#preview")
    preview.get_by_role("link", name="Rehabilitation of water mains in Ungheni").wait_for()
    assert "the same code as yours" in preview.inner_text()
    assert "mobilier" not in preview.inner_text()
    screenshot("editor-with-preview")

    # A keyword in the SME's own words changes the preview as it is typed.
    page.get_by_label(re.compile(r"^Keywords and phrases")).fill("water mains")
    preview.get_by_text("“water mains” in the title").wait_for()
    page.get_by_label("Name of the watch").fill("Water mains abroad")
    page.get_by_role("button", name="Save the watch").click()
    page.wait_for_url("**/inbox/**")
    assert Watch.objects.filter(organisation=orgs["sme"], name="Water mains abroad").exists()

    # The inbox has the match, with why.
    match = page.get_by_role("article").filter(has_text="Rehabilitation of water mains in Ungheni")
    match.get_by_text("Why this matches").click()
    assert "“water mains” in the title" in match.inner_text()
    assert page.get_by_role("article").filter(has_text="mobilier").count() == 0
    match.get_by_role("button", name="Star").click()
    match.get_by_role("button", name="Starred").wait_for()
    assert Star.objects.filter(user=users["sme"], notice=notices["exact"]).exists()
    screenshot("inbox-starred")

    # The calendar of starred deadlines, at its secret address (no sign-in needed by calendar apps).
    href = page.get_by_role("link", name="Calendar of starred deadlines (.ics)").get_attribute("href")
    response = page.context.request.get(href)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text()
    assert "BEGIN:VCALENDAR" in body
    assert "Rehabilitation of water mains in Ungheni" in body
    assert "mobilier" not in body
