"""The cohort benchmark: where an SME stands among organisations like it, never shown for fewer than five."""

import pytest
from django.urls import reverse
from django.utils import timezone

from greenbridge.assessments.models import Assessment
from greenbridge.assessments.selectors import MIN_COHORT, cohort_position
from greenbridge.assessments.services import load_questionnaire
from greenbridge.orgs.models import Organisation


@pytest.fixture
def questionnaire(small, db):
    return load_questionnaire(small).questionnaire


def submitted(org, questionnaire, overall, days_ago=10) -> Assessment:
    return Assessment.objects.create(
        organisation=org,
        questionnaire=questionnaire,
        taken_on=timezone.localdate() - timezone.timedelta(days=days_ago),
        status=Assessment.Status.SUBMITTED,
        overall=overall,
        band="low",
        dimension_scores={"energy": overall},
    )


def company(name, nace="36.00", size="small", country="RO") -> Organisation:
    return Organisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), kind="sme", country=country, size_class=size, nace_codes=[nace]
    )


def test_position_among_organisations_like_it(questionnaire):
    me = company("Me")
    mine = submitted(me, questionnaire, 60)
    for n, score in enumerate([20, 40, 60, 80]):
        submitted(company(f"Peer {n}"), questionnaire, score)
    submitted(company("Other sector", nace="43.21"), questionnaire, 99)
    cohort = cohort_position(assessment=mine)
    assert cohort.by == ("sector", "size", "country")
    assert cohort.organisations == 5
    # Below 60: 20 and 40; tied: itself and one peer, counted half.
    assert cohort.overall.percentile == pytest.approx(100 * (2 + 2 / 2) / 5)
    assert cohort.overall.median == 60
    assert cohort.dimensions["energy"].percentile == pytest.approx(60)


def test_only_the_latest_assessment_of_each_organisation_counts(questionnaire):
    me = company("Me")
    mine = submitted(me, questionnaire, 50)
    peers = [company(f"Peer {n}") for n in range(4)]
    for peer in peers:
        submitted(peer, questionnaire, 10, days_ago=200)
        submitted(peer, questionnaire, 90, days_ago=5)
    cohort = cohort_position(assessment=mine)
    assert cohort.organisations == 5
    assert cohort.overall.percentile == pytest.approx(10)  # 4 peers at 90, itself tied once


def test_a_cohort_under_five_is_widened_or_not_shown(questionnaire):
    me = company("Me")
    mine = submitted(me, questionnaire, 50)
    for n in range(3):
        submitted(company(f"Same {n}"), questionnaire, 40)
    assert cohort_position(assessment=mine) is None  # 4 organisations on the whole platform
    submitted(company("Medium one", size="medium"), questionnaire, 70)
    cohort = cohort_position(assessment=mine)
    # Sector + size + country has 4: the narrowest cohort of five is the sector and country.
    assert cohort.by == ("sector", "country")
    assert cohort.organisations == MIN_COHORT


def test_the_results_page_shows_the_cohort_and_never_another_organisations_scores(client_for, orgs, questionnaire):
    orgs["sme"].size_class, orgs["sme"].country, orgs["sme"].nace_codes = "small", "RO", ["36.00"]
    orgs["sme"].save()
    mine = submitted(orgs["sme"], questionnaire, 55)
    for n, score in enumerate([11, 22, 33, 44]):
        submitted(company(f"Peer {n}"), questionnaire, score)
    html = client_for("sme").get(reverse("assessments:detail", kwargs={"pk": mine.pk})).content.decode()
    assert "Better than 90% of the 5 organisations like yours (median 33/100)." in html
    assert "Water supply; sewerage, waste management and remediation activities (E)" in html
    for score in ("11", "22", "44"):
        assert f">{score}<" not in html


def test_the_results_page_queries_do_not_grow_with_the_cohort(client_for, orgs, questionnaire):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    orgs["sme"].size_class, orgs["sme"].country, orgs["sme"].nace_codes = "small", "RO", ["36.00"]
    orgs["sme"].save()
    mine = submitted(orgs["sme"], questionnaire, 55)
    client = client_for("sme")
    url = reverse("assessments:detail", kwargs={"pk": mine.pk})
    counts = []
    for batch in range(2):
        for n in range(5 if batch == 0 else 40):
            submitted(company(f"Peer {batch}-{n}"), questionnaire, n)
        if batch == 0:
            client.get(url)  # the process's code-list caches (NACE levels and labels) filled, as in a running server
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert counts[1] <= 21  # the page, the cohort, the review, the permissions it asks, whose reader it is


def test_a_cohort_too_large_for_a_list_of_ids_gives_the_same_figures(questionnaire, monkeypatch):
    from greenbridge.assessments import selectors

    me = company("Me")
    mine = submitted(me, questionnaire, 60)
    for n, score in enumerate([20, 40, 60, 80, 90]):
        submitted(company(f"Peer {n}"), questionnaire, score)
    small_list = cohort_position(assessment=mine)
    monkeypatch.setattr(selectors, "MAX_ID_LIST", 3)
    assert cohort_position(assessment=mine) == small_list
