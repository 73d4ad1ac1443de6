"""Taking an assessment on the web: start, one page per dimension, draft kept, required questions on submit,
results; who may see it."""

import re
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from greenbridge.assessments.models import Assessment
from greenbridge.assessments.services import load_questionnaire


@pytest.fixture
def questionnaire(small, db):
    small["dimensions"].append(
        {
            "id": "water",
            "name": {"en": "Water", "ro": "Apă"},
            "questions": [
                {
                    "id": "W1",
                    "type": "yes_partly_no",
                    "text": {"en": "Metered?", "ro": "Contorizat?"},
                    "rows": [
                        {"id": "W1.1", "label": {"en": "Mains", "ro": "Rețea"}},
                        {"id": "W1.2", "label": {"en": "Wells", "ro": "Puțuri"}},
                    ],
                },
                {
                    "id": "W2",
                    "type": "number",
                    "text": {"en": "Reused share", "ro": "Cota reutilizată"},
                    "unit": {"en": "%", "ro": "%"},
                    "min": 0,
                    "max": 100,
                    "points": [{"from": 0, "points": 0}, {"from": 50, "points": 4}],
                },
            ],
        }
    )
    return load_questionnaire(small).questionnaire


def start(client, orgs, questionnaire) -> Assessment:
    response = client.post(
        reverse("assessments:start"),
        {"organisation": orgs["sme"].pk, "questionnaire": questionnaire.slug, "stage": "T0", "taken_on": "2026-11-30"},
    )
    assessment = Assessment.objects.get(questionnaire=questionnaire)
    assert response.url == reverse("assessments:page", kwargs={"pk": assessment.pk, "page": 1})
    return assessment


def test_an_sme_takes_an_assessment_page_by_page(client_for, orgs, questionnaire):
    client = client_for("sme")
    assert "small-test" in client.get(reverse("assessments:list")).content.decode()
    assessment = start(client, orgs, questionnaire)
    page1 = reverse("assessments:page", kwargs={"pk": assessment.pk, "page": 1})
    page2 = reverse("assessments:page", kwargs={"pk": assessment.pk, "page": 2})
    html = client.get(page1).content.decode()
    assert "0 of 5 questions answered" in html
    assert 'name="E2__E2.1"' in html

    # Page 1 saved, on to page 2.
    response = client.post(page1, {"E1": ["E1.1", "E1.2"], "E2__E2.1": "4", "action": "next"})
    assert response.url == page2
    assessment.refresh_from_db()
    assert assessment.answers == {"E1": ["E1.1", "E1.2"], "E2": {"E2.1": 4}}
    # Opened again (from the dashboard's "continue where you left off"): at the first page with a question unanswered.
    assert client.get(assessment.get_absolute_url()).url == page2

    # A value off the number's bounds: told, nothing of the page lost, nothing else changed.
    response = client.post(page2, {"W1__W1.1": "yes", "W2": "250", "action": "next"})
    assert response.status_code == 200
    assert "Some answers could not be kept" in response.content.decode()
    assert re.search(r'name="W1__W1.1" value="yes" id="[^"]+" checked', response.content.decode())
    assessment.refresh_from_db()
    assert "W1" not in assessment.answers

    # Submitting with a required question unanswered: named, nothing lost, still a draft.
    response = client.post(page2, {"W1__W1.1": "yes", "W2": "60", "action": "submit"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not submitted yet: these questions need an answer" in html
    assert "Metered?" in html  # W1: a row is unanswered
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    assert assessment.answers["W1"] == {"W1.1": "yes"}
    assert assessment.answers["W2"] == 60

    response = client.post(page2, {"W1__W1.1": "yes", "W1__W1.2": "no", "W2": "60", "action": "submit"})
    assert response.url == reverse("assessments:detail", kwargs={"pk": assessment.pk})
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    # energy (10 + 8) / 2 * 10 = 90; water (5 + 10) / 2 * 10 = 75; overall 82.5
    assert assessment.dimension_scores == {"energy": 90.0, "water": 75.0}
    assert assessment.overall == 82.5
    assert assessment.band == "high"
    html = client.get(response.url).content.decode()
    assert "<svg" in html
    assert "radar__current" in html
    assert "83" in html  # the overall score, rounded
    # A submitted assessment's pages lead to its results.
    assert client.get(page1).url == response.url


def test_the_draft_is_kept_with_save_and_resumed(client_for, orgs, questionnaire):
    client = client_for("sme")
    assessment = start(client, orgs, questionnaire)
    page1 = reverse("assessments:page", kwargs={"pk": assessment.pk, "page": 1})
    response = client.post(page1, {"E3": "Boiler metered since 2024.", "action": "save"})
    assert response.url == page1
    html = client.get(page1).content.decode()
    assert "Boiler metered since 2024." in html
    assert "1 of 5 questions answered" in html


def test_an_advisor_of_the_sharing_cluster_takes_it_on_the_smes_behalf(client_for, orgs, questionnaire):
    assessment = start(client_for("advisor"), orgs, questionnaire)
    assert assessment.organisation == orgs["sme"]
    page1 = reverse("assessments:page", kwargs={"pk": assessment.pk, "page": 1})
    assert client_for("sme").get(page1).status_code == 200
    assert client_for("other_sme").get(page1).status_code == 403
    assert client_for("operator").get(page1).status_code == 403


def test_starting_for_an_organisation_one_may_not_act_for_is_refused(client_for, orgs, questionnaire):
    response = client_for("other_sme").post(
        reverse("assessments:start"),
        {"organisation": orgs["sme"].pk, "questionnaire": "small-test", "stage": "T0", "taken_on": "2026-11-30"},
    )
    assert response.status_code == 400  # not among the organisations offered
    assert not Assessment.objects.filter(questionnaire__slug="small-test").exists()


def test_absurd_dates_and_unknown_pages(client_for, orgs, questionnaire):
    client = client_for("sme")
    response = client.post(
        reverse("assessments:start"),
        {"organisation": orgs["sme"].pk, "questionnaire": "small-test", "stage": "T0", "taken_on": "9999-12-31"},
    )
    assert response.status_code == 400
    assert "Give a date from 2000 to a year from now." in response.content.decode()
    assessment = start(client, orgs, questionnaire)
    assert client.get(reverse("assessments:page", kwargs={"pk": assessment.pk, "page": 9})).status_code == 404


def test_the_cluster_sees_its_sharing_members_assessments_and_exports_them(client_for, orgs, demo):
    url = reverse("assessments:cluster", kwargs={"slug": orgs["cluster"].slug})
    html = client_for("manager").get(url).content.decode()
    assert "AquaPure Systems SRL" in html
    dma_t0, dma_t1 = demo.assessments["aquapure_dma_t0"], demo.assessments["aquapure_dma_t1"]
    change = round(dma_t1.overall - dma_t0.overall)
    assert f"+{change}" in html
    # Helios Solar is a member that does not share its private data: its DMA is not shown.
    assert "Does not share its private data with the cluster." in html
    assert f"/assessments/{demo.assessments['helios_dma_t0'].pk}/" not in html
    export = reverse("assessments:cluster_export", kwargs={"slug": orgs["cluster"].slug, "fmt": "csv"})
    csv_text = client_for("advisor").get(export + "?questionnaire=eu-edih-dma-sme").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("Member,Country,Shares private data,First: stage")
    aqua = next(line for line in lines if line.startswith("AquaPure"))
    assert f",T0,{dma_t0.taken_on.isoformat()},{round(dma_t0.overall, 1)}," in aqua
    helios = next(line for line in lines if line.startswith("Helios"))
    assert helios.startswith("Helios Solar SRL,MD,no,,,")
    xlsx = client_for("manager").get(export.replace(".csv", ".xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    for role in ("sme", "other_sme", "operator"):
        assert client_for(role).get(url).status_code == 403


def test_the_staff_list_is_paged_and_filtered_by_organisation(client_for, orgs, demo):
    """A cluster's staff see every sharing member's assessments: 25 a page, or one member's."""
    import lxml.html

    from greenbridge.dashboard.demo_cohort import create_demo_cohort

    create_demo_cohort(orgs["cluster"])
    advisor = client_for("advisor")
    first = lxml.html.fromstring(advisor.get("/assessments/").content)
    total = int(first.xpath('//h2[@id="mine-heading"]/span')[0].text_content().strip("()"))
    assert total > 25
    assert len(first.xpath('//section[@aria-labelledby="mine-heading"]//tbody/tr')) == 25
    assert first.xpath('//nav[@class="pagination"]//a[@rel="next"]/@href') == ["?page=2"]
    pages = (total + 24) // 25
    last = lxml.html.fromstring(advisor.get(f"/assessments/?page={pages}").content)
    assert len(last.xpath('//section[@aria-labelledby="mine-heading"]//tbody/tr')) == total - 25 * (pages - 1)
    aquapure = lxml.html.fromstring(advisor.get(f"/assessments/?org={orgs['sme'].slug}").content)
    names = {td.text_content() for td in aquapure.xpath('//section[@aria-labelledby="mine-heading"]//tbody/tr/td[1]')}
    assert names == {"AquaPure Systems SRL"}
    assert aquapure.xpath('//select[@id="org"]/option[@selected]/text()') == ["AquaPure Systems SRL"]
    # A company sees only its own: no filter to choose from.
    own = lxml.html.fromstring(client_for("sme").get("/assessments/").content)
    assert not own.xpath('//select[@id="org"]')


def test_the_radar_is_drawn_with_dots_for_decimals_in_every_language(client_for, demo):
    url = reverse("assessments:detail", kwargs={"pk": demo.assessments["aquapure_dma_t1"].pk})
    client = client_for("sme")
    for language in ("ro", "fr", "uk"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<html lang="{language}"' in html
        svg = html[html.index("<svg") : html.index("</svg>")]
        assert re.search(r'points="[\d.]+,[\d.]+ ', svg)
        assert not re.search(r'(x|y|x2|y2|cx|cy)="\d+,\d', svg)


def test_the_radar_leaves_room_beside_it_for_a_label_that_cannot_be_wrapped(client_for, demo):
    # "Людиноцентрична" (one word, on the right) is 0.66 em a letter in DejaVu Sans, the browsers' sans here: with
    # the room of the English labels it ran past the chart's right edge and was cut.
    url = reverse("assessments:detail", kwargs={"pk": demo.assessments["aquapure_dma_t1"].pk})
    page = lxml.html.fromstring(client_for("sme").get(url, HTTP_ACCEPT_LANGUAGE="uk").content)
    svg = page.xpath('//svg[@class="radar"]')[0]
    left, _, width, _ = (float(v) for v in svg.get("viewbox").split())  # lxml.html lower-cases the names
    font = float(svg.xpath(".//text")[0].get("font-size"))
    for text in svg.xpath(".//text"):
        x = float(text.get("x"))
        longest = 0.66 * font * max(len(line.text_content()) for line in text.xpath("./tspan"))
        middle = (x - longest / 2, x + longest / 2)
        start, end = {"start": (x, x + longest), "end": (x - longest, x)}.get(text.get("text-anchor"), middle)
        assert left <= start, text.text_content()
        assert end <= left + width, text.text_content()
    assert "Людиноцентрична" in svg.text_content()
    # The size measured is the size drawn: no style sheet sets another (the page's had 16 over the chart's 15).
    for sheet in ("greenbridge/css/greenbridge.css", "assessments/report.css"):
        rules = re.findall(r"\.radar__label\s*\{([^}]*)\}", Path(finders.find(sheet)).read_text())
        assert not any("font-size" in rule for rule in rules), sheet


def test_the_api_gives_questionnaires_to_all_and_assessments_to_who_may_see_them(client_for, demo):
    listed = client_for("anonymous").get("/api/v1/questionnaires").json()
    assert {q["id"] for q in listed} == {"eu-edih-dma-sme", "green-maturity-sme", "intl-procurement-readiness"}
    dma = next(q for q in listed if q["id"] == "eu-edih-dma-sme")
    assert (dma["version"], dma["questions"], len(dma["dimensions"])) == (1, 11, 6)
    definition = client_for("anonymous").get("/api/v1/questionnaires/eu-edih-dma-sme?version=1").json()["definition"]
    assert definition["dimensions"][0]["questions"][0]["id"] == "Q1"
    t1 = demo.assessments["aquapure_dma_t1"]
    mine = client_for("sme").get("/api/v1/assessments").json()
    assert {a["id"] for a in mine} == {a.pk for k, a in demo.assessments.items() if k.startswith("aquapure")}
    detail = client_for("advisor").get(f"/api/v1/assessments/{t1.pk}").json()
    assert detail["overall"] == pytest.approx(t1.overall)
    assert detail["dimensions"] == pytest.approx(t1.dimension_scores)
    assert detail["answers"] == t1.answers
    assert client_for("other_sme").get(f"/api/v1/assessments/{t1.pk}").status_code == 404
    assert t1.pk not in {a["id"] for a in client_for("other_sme").get("/api/v1/assessments").json()}


def test_the_advisor_comments_both_sides_plan_and_the_sme_agrees(client_for, users, demo):
    t1 = demo.assessments["aquapure_dma_t1"]
    detail = reverse("assessments:detail", kwargs={"pk": t1.pk})
    advisor, sme = client_for("advisor"), client_for("sme")
    # Each reads the page as written for them: "your" for the company, its name for its cluster's advisor.
    assert "Services for your weakest dimensions" in sme.get(detail).content.decode()
    page = advisor.get(detail).content.decode()
    assert "Services for the weakest dimensions of AquaPure Systems SRL" in page
    assert "Comment on each dimension: the company reads your comments." in page

    response = advisor.post(
        reverse("assessments:comment_add", kwargs={"pk": t1.pk}),
        {"dimension": "automation_ai", "text": "Start with a pilot of predictive maintenance on one pumping station."},
    )
    assert response.url == detail + "#review"
    assert t1.comments.get().author == users["advisor"]
    # The SME reads the comments but does not write them; another company does neither.
    assert sme.post(reverse("assessments:comment_add", kwargs={"pk": t1.pk}), {}).status_code == 403
    assert client_for("other_sme").get(detail).status_code == 403

    add = reverse("assessments:action_add", kwargs={"pk": t1.pk})
    advisor.post(
        add,
        {"title": "Data governance clinic", "dimension": "data_management", "owner": users["sme"].pk,
         "due": (timezone.localdate() + timedelta(days=60)).isoformat(), "status": "planned"},
    )  # fmt: skip
    response = sme.post(add, {"title": "x" * 201, "status": "planned", "due": "9999-01-01"})
    assert response.url == detail + "#plan"
    assert t1.actions.count() == 1  # the too-long, far-dated one is refused
    html = sme.get(detail).content.decode()
    assert "Data governance clinic" in html
    assert "Ensure this value has at most 200 characters" in html or "at most 200 characters" in html
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    late = sme.post(add, {"title": "Meter the pumps", "status": "planned", "due": yesterday}, follow=True)
    assert "Due: An action still to do is due today or later." in late.content.decode()
    form = lxml.html.fromstring(late.content).get_element_by_id("id_title")  # what was typed comes back, once
    assert form.value == "Meter the pumps"
    assert not lxml.html.fromstring(sme.get(detail).content).get_element_by_id("id_title").value
    assert t1.actions.count() == 1  # one already late is refused
    sme.post(add, {"title": "Energy audit", "status": "done", "due": yesterday})  # done: its day is a record
    assert t1.actions.filter(title="Energy audit").exists()
    t1.actions.filter(title="Energy audit").delete()

    # The company's dashboard says a plan waits for its agreement; it no longer does once agreed.
    dashboard = sme.get("/").content.decode()
    assert "An action plan proposed to you: read it and agree it" in dashboard
    assert f"/assessments/{t1.pk}/#plan" in dashboard
    sme.post(reverse("assessments:plan_agree", kwargs={"pk": t1.pk}))
    assert "An action plan proposed to you" not in sme.get("/").content.decode()
    t1.refresh_from_db()
    assert t1.plan_agreed_by == users["sme"]
    assert "Agreed by" in sme.get(detail).content.decode()
    # A change afterwards asks for the SME's agreement again; the advisor cannot agree for it.
    action = t1.actions.get()
    advisor.post(reverse("assessments:action_status", kwargs={"pk": t1.pk, "action_pk": action.pk}), {"status": "done"})
    t1.refresh_from_db()
    assert (action.__class__.objects.get().status, t1.plan_agreed_at) == ("done", None)
    assert advisor.post(reverse("assessments:plan_agree", kwargs={"pk": t1.pk})).status_code == 403


def test_the_pdf_report_in_the_readers_language(client_for, demo):
    t1 = demo.assessments["aquapure_dma_t1"]
    url = reverse("assessments:report", kwargs={"pk": t1.pk})
    response = client_for("sme").get(url, HTTP_ACCEPT_LANGUAGE="ro")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].endswith(f'-eu-edih-dma-sme-T1-{t1.taken_on}.pdf"')
    # What goes into it: the page's figures, in Romanian.
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import timezone, translation

    from greenbridge.assessments.views import _results

    request = RequestFactory().get(url)
    request.user = demo.users["sme"]
    with translation.override("ro"):
        html = render_to_string(
            "assessments/report.html", {**_results(request, t1), "generated": timezone.now()}, request=request
        )
    assert "Evaluarea maturității digitale pentru IMM-uri" in html
    assert f">{round(t1.overall)}<" in html
    assert 'class="radar__previous"' in html  # T0 drawn under it, and said so under the chart
    legend = html[html.index("<figcaption>") : html.index("</figcaption>")]
    with translation.override("ro"):
        assert t1.get_stage_display() in legend
    assert "legend--previous" in legend
    # The questionnaire's introduction comes before the results, not after the action plan.
    assert html.index('class="about"') < html.index('class="summary"')
    assert client_for("other_sme").get(url).status_code == 403
    draft = reverse("assessments:report", kwargs={"pk": demo.assessments["aquapure_intl_t0"].pk})
    assert client_for("sme").get(draft).status_code == 404


def test_without_the_portfolio_the_results_page_has_no_services_and_the_plan_names_none(client_for, users, demo):
    """Assessments sit below the portfolio: what it adds comes through assessments.signals, and the page stands
    without it (no recommended services, no service field in the plan form, an action still added)."""
    from greenbridge.assessments import signals

    t1 = demo.assessments["aquapure_dma_t1"]
    detail = reverse("assessments:detail", kwargs={"pk": t1.pk})
    advisor = client_for("advisor")
    with_portfolio = advisor.get(detail).content.decode()
    assert 'id="recommended"' in with_portfolio
    assert 'name="service"' in with_portfolio
    assert signals.results_page.disconnect(dispatch_uid="portfolio-recommended-services")
    assert signals.plan_services.disconnect(dispatch_uid="portfolio-plan-services")
    try:
        html = advisor.get(detail).content.decode()
        assert 'id="recommended"' not in html
        assert 'name="service"' not in html
        advisor.post(
            reverse("assessments:action_add", kwargs={"pk": t1.pk}),
            {"title": "Meter the wells", "status": "planned", "service": "1"},
        )
        assert t1.actions.get(title="Meter the wells").service is None
    finally:
        from django.apps import apps

        apps.get_app_config("portfolio").ready()  # connects them again


@pytest.mark.parametrize(
    ("value", "shown"),
    [(10.0, "+10"), (-5.2, "\u22125"), (2.5, "+3"), (-2.5, "\u22123"), (0.4, "0"), (-0.4, "0"), (None, "")],
)
def test_a_change_of_score_is_whole_with_its_sign(value, shown):
    """Rounded as the scores beside it are (floatformat: half away from zero), with a minus sign, not a hyphen."""
    from greenbridge.assessments.templatetags.assessments import change

    assert change(value) == shown
