"""End to end in a real chromium: a company registers for the demo brokerage event, asks AquaPure for a
meeting, AquaPure accepts, the cluster manager runs the scheduler and publishes, and both see the meeting
in their agenda with its time and table."""

import re

import pytest

from greenbridge.events.models import Meeting, Registration

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_register_request_accept_schedule_and_both_see_the_agenda(page, live_server, screenshot, sign_in, demo):
    users, orgs, event = demo.users, demo.orgs, demo.event

    # Helios Solar's person finds the event and registers, answering the organisers' question.
    sign_in(users["other_sme"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Events", exact=True).first.click()
    page.get_by_role("link", name=event.title).click()
    screenshot("event-page")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("What we offer").fill("Photovoltaic plants for public buildings, installed and serviced.")
    page.get_by_label("What we are looking for").fill("Municipalities planning solar plants or wastewater works.")
    page.get_by_label("Moldova").check()
    screenshot("registration-form")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered.").wait_for()
    assert event.registrations.get(user=users["other_sme"]).status == Registration.Status.APPROVED

    # It asks AquaPure for a meeting, from the recommendations or the list.
    page.get_by_role("link", name="Find people to meet").click()
    page.get_by_role("heading", name="Most worth meeting for you").wait_for()
    screenshot("who-to-meet")
    row = page.get_by_role("row").filter(has_text=orgs["sme"].name)
    row.get_by_role("link", name="Request a meeting").click()
    page.get_by_label("Message").fill("We could add solar power to your treatment plants.")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text(f"Your request is sent to {orgs['sme'].name}.").wait_for()

    # AquaPure accepts it on its page.
    sign_in(users["sme"])
    page.goto(f"{live_server.url}/events/{event.slug}/me/")
    request = page.get_by_role("listitem").filter(has_text="We could add solar power")
    screenshot("requests-received")
    request.get_by_role("button", name="Accept").click()
    page.get_by_text("Accepted: the meeting will be in both your agendas once scheduled.").wait_for()

    # The cluster manager schedules and publishes.
    sign_in(users["manager"])
    page.goto(f"{live_server.url}/events/{event.slug}/")
    page.get_by_role("link", name="Manage the event").click()
    page.get_by_role("link", name="Schedule", exact=True).click()
    page.get_by_role("button", name="Run the scheduler").click()
    page.get_by_text(re.compile(r"1 meeting scheduled; 0 idle gaps in all")).wait_for()
    grid = page.locator(".schedule-grid")
    assert "AquaPure" in grid.inner_text()
    screenshot("schedule-grid")
    page.get_by_role("button", name="Publish the schedule").click()
    page.get_by_text(re.compile(r"The schedule is published; 2 participants are told by e-mail.")).wait_for()

    meeting = Meeting.objects.get(event=event)
    for role, partner in (("other_sme", orgs["sme"].name), ("sme", orgs["other_sme"].name)):
        sign_in(users[role])
        page.goto(f"{live_server.url}/events/{event.slug}/me/")
        agenda = page.locator("table.agenda")
        assert partner in agenda.inner_text()
        assert str(meeting.published_table) in agenda.locator("td").nth(1).inner_text()
        screenshot(f"agenda-{role}")
    page.get_by_role("link", name="Print view").click()
    assert orgs["other_sme"].name in page.locator("table.agenda").inner_text()
    screenshot("agenda-print")
