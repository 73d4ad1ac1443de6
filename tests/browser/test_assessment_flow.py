"""End to end in a real chromium: AquaPure takes the DMA at T1, page by page (a draft kept, a required question
named on submit), sees its radar with T0 under it, where it stands among organisations like it, and the services
for its weakest dimensions; it requests the first; the cluster's advisor accepts it, logs a session and closes it
as delivered; AquaPure rates it; the advisor sees the change on the members' page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from greenbridge.assessments.models import Assessment
from greenbridge.dashboard.demo_cohort import create_demo_cohort
from greenbridge.portfolio.models import Engagement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_an_sme_takes_the_dma_and_sees_the_change_on_its_radar(page, live_server, screenshot, sign_in, demo):
    create_demo_cohort(demo.orgs["cluster"])
    users, orgs = demo.users, demo.orgs
    # AquaPure's demo T1 is removed: it takes it now (and the request the demo made after it).
    demo.assessments["aquapure_dma_t1"].delete()
    Engagement.objects.filter(organisation=orgs["sme"], status=Engagement.Status.REQUESTED).delete()
    sign_in(users["sme"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Take a self-assessment").or_(
        page.get_by_role("link", name="All assessments, or a new one")
    ).first.click()
    page.get_by_label("Questionnaire").select_option("eu-edih-dma-sme")
    page.get_by_label("Stage").select_option("T1")
    page.get_by_role("button", name="Start").click()
    page.get_by_text("0 of 11 questions answered").wait_for()
    screenshot("dma-page-1")

    # Part 1: the grid and the checkboxes.
    q1 = page.locator("#q-Q1")
    q1.get_by_role("row", name="Product/Service design").get_by_role("checkbox").first.check()
    page.locator("#q-Q2").get_by_role("checkbox").nth(0).check()
    page.locator("#q-Q2").get_by_role("checkbox").nth(3).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("2 of 11 questions answered").wait_for()

    # Part 2: a scale; one row left unanswered, saved as a draft and resumed.
    page.locator("#q-Q3").get_by_role("checkbox").nth(0).check()
    q4 = page.locator("#q-Q4")
    for n in range(7):
        q4.locator("tbody tr").nth(n).get_by_role("radio").nth(n % 6).check()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    assessment = Assessment.objects.get(organisation=orgs["sme"], stage="T1")
    assert assessment.answers["Q4"] == {f"Q4.{n + 1}": n % 6 for n in range(7)}

    # Parts 3 to 6, then submit with Q11's last row unanswered: named, nothing lost.
    for part in range(3, 7):
        page.get_by_role("link", name=f"{part}.", exact=False).first.click()
        # The part's own page, not the last one's fields with its "Draft saved." still on it.
        page.wait_for_url(f"**/page/{part}/")
        for box in page.locator("fieldset.question").all():
            checkboxes = box.get_by_role("checkbox")
            if checkboxes.count():
                checkboxes.first.check()
            rows = box.locator("tbody tr").all()
            if part == 6 and rows:
                rows = rows[:-1]  # Q11's last row left unanswered
            for row in rows:
                radios = row.get_by_role("radio")
                if radios.count():
                    radios.last.check()
        page.get_by_role("button", name="Save draft").click()
        page.get_by_text("Draft saved.").wait_for()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Not submitted yet: these questions need an answer").wait_for()
    screenshot("dma-missing")
    page.locator("#q-Q11 tbody tr").last.get_by_role("radio").first.check()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Assessment submitted. Here are your results.").wait_for()
    screenshot("dma-results")
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert page.locator("svg.radar polygon.radar__previous").count() == 1  # T0 drawn under it
    assert page.get_by_text("Better than").count() == 1  # the cohort line
    assert page.get_by_role("columnheader", name="Change").count() == 1

    # The services for its weakest dimensions, each with why: it requests the first of its own cluster's.
    recommended = page.locator("#recommended .result")
    assert recommended.count() >= 1
    first = recommended.filter(has_text=orgs["cluster"].name).first
    assert "/100" in first.locator(".reason").first.inner_text()
    name = first.locator(".result__title").inner_text().strip()
    first.locator(".result__title a").click()
    page.get_by_label("What you need").fill("Our T1 results put this last: what can we do this winter?")
    page.get_by_label("Preferred dates").fill("Mornings in January")
    screenshot("service-request")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Request sent.").wait_for()
    engagement = Engagement.objects.get(organisation=orgs["sme"], service__name=name, status="requested")
    assert engagement.assessment == assessment

    # The advisor answers from the cluster's tools: accepts it, logs a session, closes it as delivered.
    sign_in(users["advisor"])
    page.goto(live_server.url + "/")
    page.locator(f"#panel-{orgs['cluster'].slug} .dash-tools").get_by_role("link", name="Services").click()
    page.get_by_role("link", name="1 request to answer").click()
    page.get_by_role("link", name=name).click()
    page.get_by_label("Advisor").select_option(label=str(users["advisor"]))
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("Request accepted").wait_for()
    held = timezone.localdate() - timedelta(days=1)  # held yesterday: delivered once its sessions have been held
    page.get_by_label("Starts").fill(f"{held.isoformat()}T09:30")
    page.get_by_label("Hours").fill("2")
    page.locator("#id_notes").fill("Walked through two pilots; shared the checklist.")
    page.get_by_label("The company sees the notes").check()
    page.get_by_role("button", name="Add the session").click()
    page.get_by_text("Session added").wait_for()
    page.get_by_label("Close as").select_option("delivered")
    page.get_by_label("Outcome").fill("A pilot chosen: remote monitoring of the Iași plant's pumps.")
    page.get_by_role("button", name="Close it").click()
    page.get_by_text("Engagement closed").wait_for()
    screenshot("engagement-delivered")

    # AquaPure rates it from its dashboard.
    sign_in(users["sme"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=name).first.click()
    page.locator("label.stars-input__star").filter(has_text="4 of 5").click()
    page.get_by_label("Comment").fill("Clear and practical.")
    page.get_by_role("button", name="Send the rating").click()
    page.get_by_text("Thank you: your rating is saved.").wait_for()
    engagement.refresh_from_db()
    assert (engagement.status, engagement.rating, engagement.rating_comment) == ("delivered", 4, "Clear and practical.")
    assert engagement.sessions.get().hours == 2

    # The cluster's advisor sees the change on the members' page.
    sign_in(users["advisor"])
    page.goto(f"{live_server.url}/assessments/cluster/{orgs['cluster'].slug}/")
    t0 = demo.assessments["aquapure_dma_t0"]
    change = round(assessment.overall - t0.overall)
    shown = f"{change:+d}".replace("-", "\u2212")  # a fall with a minus sign
    page.get_by_role("row", name="AquaPure Systems SRL").get_by_text(shown, exact=True).wait_for()
    screenshot("cluster-members")
