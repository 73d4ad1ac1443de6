"""Budgets, values and dates of the marketplace stay within the bounds their model fields define
(greenbridge.core.bounds): a typo is refused in plain words on the form, never stored."""

import pytest
from django.utils import timezone

from greenbridge.partnering.models import Opportunity, Partnership
from tests.partnering.test_partnering import _form

pytestmark = pytest.mark.django_db

MONEY = "Enter an amount from 0 to 9,999,999,999,999.99, with at most two decimals."
DAY = "Choose a date from 1950 to 2100."


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("budget", "99999999999999999999", MONEY),
        ("budget", "1e309", MONEY),
        ("budget", "-3", MONEY),
        ("budget", "12.345", MONEY),
        ("planned_for", "9999-01-01", DAY),
        ("planned_for", "1900-01-01", DAY),
    ],
)
def test_an_opportunity_typo_is_refused(client_for, demo, field, typed, message):
    before = Opportunity.objects.count()
    response = client_for("sme").post("/opportunities/new/", _form(**{field: typed}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Opportunity.objects.count() == before
    assert client_for("sme").post("/opportunities/new/", _form(budget="1 250 000.50")).status_code == 302
    assert Opportunity.objects.get(title=_form()["title"]).budget == 1250000.50


@pytest.mark.parametrize(("field", "typed", "message"), [("value", "1E+20", MONEY), ("date", "0999-12-31", DAY)])
def test_a_partnership_typo_is_refused(client_for, demo, field, typed, message):
    data = {
        "kind": "commercial",
        "title": "Supply of a treatment unit to Ungheni",
        "organisations": [demo.orgs["procurer"].pk],
        "date": timezone.localdate().isoformat(),
        "stage": "signed",
        "value": "120000",
        "currency": "EUR",
    }
    response = client_for("sme").post("/partnerships/new/", {**data, field: typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Partnership.objects.filter(title=data["title"]).exists()
