"""End to end in a real chromium: Helios finds AquaPure's technology offer in the marketplace and expresses
interest; AquaPure accepts contact and both see each other's details; AquaPure records the partnership
that came of it, with a signed PDF, and the cluster manager (AquaPure shares its data) downloads it.
Then, after the demo event, both sides of a meeting tell how it went and the organisers see the rate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from greenbridge.events import services as event_services
from greenbridge.partnering.models import Interest, Partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_interest_accepted_contact_and_a_partnership_with_evidence(
    page, live_server, screenshot, sign_in, demo, tmp_path
):
    users, orgs, offer = demo.users, demo.orgs, demo.opportunities["uv_offer"]

    sign_in(users["other_sme"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Opportunities", exact=True).first.click()
    page.get_by_label("Words").fill("drinking-water")
    page.get_by_role("button", name="Search").click()
    screenshot("marketplace-search")
    page.get_by_role("link", name=offer.title).click()
    page.get_by_role("link", name="Express interest").click()
    page.get_by_label("Message").fill("We install solar pumps and could power your units off-grid in Moldova.")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Sent. You will hear by e-mail when the owner answers.").wait_for()
    interest = Interest.objects.get(opportunity=offer, organisation=orgs["other_sme"])

    sign_in(users["sme"])
    page.goto(f"{live_server.url}/opportunities/mine/")
    page.get_by_text("1 to answer").wait_for()
    page.get_by_role("link", name=offer.title).click()
    screenshot("interest-received")
    page.get_by_role("button", name="Accept contact").click()
    page.get_by_text(users["other_sme"].email).first.wait_for()
    interest.refresh_from_db()
    assert interest.status == Interest.Status.ACCEPTED

    # AquaPure records what came of it, with the signed document.
    page.get_by_role("link", name="Record a partnership that came of it").click()
    page.get_by_label("Kind").select_option("technology_transfer")
    page.get_by_label("Title").fill("Solar-powered treatment units for Moldovan villages")
    page.get_by_label("Stage").select_option("signed")
    page.get_by_label("Value").fill("45000")
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% signed agreement\n%%EOF\n")
    page.get_by_label("Evidence").set_input_files(str(pdf))
    screenshot("partnership-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Partnership recorded.").wait_for()
    partnership = Partnership.objects.get(title="Solar-powered treatment units for Moldovan villages")
    assert partnership.opportunity == offer
    assert set(partnership.organisations.all()) == {orgs["sme"], orgs["other_sme"]}

    sign_in(users["manager"])
    page.goto(f"{live_server.url}/partnerships/")
    screenshot("partnerships-of-the-cluster")
    page.get_by_role("link", name=partnership.title).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the document").click()
    assert download.value.suggested_filename.startswith("agreement")


def test_both_sides_tell_how_the_meeting_went_and_organisers_see_the_rate(page, live_server, screenshot, sign_in, demo):
    event = demo.event
    meeting = event_services.meeting_request_accept(request=event.meeting_requests.get())
    event_services.schedule_run(event=event, time_limit=5)
    event_services.schedule_publish(event=event)
    past = timezone.now() - timedelta(hours=2)
    type(meeting).objects.filter(pk=meeting.pk).update(starts=past, published_starts=past)

    for role, held, interest in (("sme", "The meeting took place", "agreement"), ("procurer", None, None)):
        sign_in(demo.users[role])
        page.goto(f"{live_server.url}/events/{event.slug}/me/")
        outcome = page.locator(".outcome")
        if held:
            outcome.get_by_label(held).check()
            outcome.get_by_label("What next?").select_option(interest)
            outcome.get_by_label("Note").fill("Pilot of two units in spring.")
            screenshot("meeting-outcome")
        else:
            outcome.get_by_label("The other side did not come").check()
        outcome.get_by_role("button", name="Save").click()
        page.get_by_text("Saved").first.wait_for()

    sign_in(demo.users["manager"])
    page.goto(f"{live_server.url}/events/{event.slug}/manage/")
    page.get_by_role("link", name="Outcomes").click()
    page.get_by_text("100 %").wait_for()
    screenshot("outcomes-for-organisers")
    assert page.get_by_text("Everyone has answered for every meeting.").is_visible()
