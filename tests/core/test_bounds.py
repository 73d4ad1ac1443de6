"""One definition of each bound (greenbridge.core.bounds): the model fields, the forms, the API types and the
watch engine accept and refuse the same values, and say why in plain words."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from pydantic import TypeAdapter
from pydantic import ValidationError as SchemaError

from greenbridge.core.bounds import (
    MONEY_MAX,
    Day,
    DayFormField,
    Money,
    MoneyFormField,
    day_or_none,
    money_or_none,
    parse_id,
)
from greenbridge.events.models import Event
from greenbridge.matching.engine import WatchInvalid, WatchSpec
from greenbridge.matching.models import Watch
from greenbridge.partnering.models import Opportunity, Partnership
from greenbridge.tenders.models import Notice

pytestmark = pytest.mark.django_db

MONEY_FIELDS = [
    Watch._meta.get_field("value_min"),
    Watch._meta.get_field("value_max"),
    Notice._meta.get_field("value_amount"),
    Opportunity._meta.get_field("budget"),
    Partnership._meta.get_field("value"),
]
DAY_FIELDS = [
    Opportunity._meta.get_field("expires"),
    Opportunity._meta.get_field("planned_for"),
    Partnership._meta.get_field("date"),
]
MONEY_MESSAGE = "Enter an amount from 0 to 9,999,999,999,999.99, with at most two decimals."


def test_every_amount_of_money_is_stored_as_numeric_20_2():
    assert str(MONEY_MAX) == "9999999999999.99"
    assert {(f.max_digits, f.decimal_places) for f in MONEY_FIELDS} == {(20, 2)}


@pytest.mark.parametrize(
    "typed",
    ["99999999999999999999", "999999999999999999", "10000000000000", "1e309", "1E+20", "NaN", "-inf", "-1", "1.234"],
)
def test_an_impossible_amount_is_refused_by_the_model_the_form_the_api_and_the_watch(typed):
    for model_field in MONEY_FIELDS:
        with pytest.raises(ValidationError) as refused:
            model_field.clean(typed, None)
        assert refused.value.messages == [MONEY_MESSAGE]
    with pytest.raises(ValidationError) as refused:
        MoneyFormField(required=False).clean(typed)
    assert refused.value.messages == [MONEY_MESSAGE]
    with pytest.raises(SchemaError):
        TypeAdapter(Money).validate_python(typed)
    with pytest.raises(WatchInvalid) as invalid:
        WatchSpec.from_data({"keywords": ["pumps"], "value_min": typed})
    assert list(invalid.value.errors) == ["value_min"]


@pytest.mark.parametrize("typed", ["0", "1500000", "1500000.5", "9999999999999.99"])
def test_an_amount_within_the_bounds_is_accepted_by_all_of_them(typed):
    for model_field in MONEY_FIELDS:
        assert model_field.clean(typed, None) == Decimal(typed)
    assert MoneyFormField().clean(typed) == Decimal(typed)
    assert TypeAdapter(Money).validate_python(typed) == Decimal(typed)
    assert WatchSpec.from_data({"keywords": ["pumps"], "value_max": typed}).value_max == Decimal(typed)


@pytest.mark.django_db
def test_the_largest_amount_is_read_back_exactly():
    """Django reads SQLite's decimals through a float of 15 digits: a budget of 999,999,999,999,999,999 once
    passed every check and came back as no budget at all."""
    from greenbridge.orgs.models import Organisation
    from greenbridge.partnering.models import Opportunity
    from greenbridge.partnering.services import opportunity_save

    org = Organisation.objects.create(name="Budget Holder", slug="budget-holder", kind="procurer")
    need = opportunity_save(
        organisation=org,
        data={
            "kind": "procurement_need",
            "title": "Pumps",
            "summary": "x",
            "budget": MONEY_MAX,
            "expires": date(2027, 1, 1),
        },
    )
    assert Opportunity.objects.get(pk=need.pk).budget == Decimal("9999999999999.99")


def test_an_amount_may_be_typed_with_spaces_between_thousands():
    assert MoneyFormField().clean("1 500 000") == Decimal(1500000)
    assert WatchSpec.from_data({"keywords": ["pumps"], "value_min": "1 500 000"}).value_min == Decimal(1500000)


def test_the_amount_and_date_inputs_tell_the_browser_their_bounds():
    class Form(forms.Form):
        value = MoneyFormField()
        day = DayFormField()

    html = str(Form())
    assert 'type="number" name="value" step="0.01" min="0" max="9999999999999.99"' in html
    assert 'type="date" name="day" min="1950-01-01" max="2100-12-31"' in html


@pytest.mark.parametrize("typed", ["1949-12-31", "2101-01-01", "0001-01-01", "9999-12-31"])
def test_a_date_outside_1950_to_2100_is_refused_by_the_model_the_form_and_the_api(typed):
    for model_field in DAY_FIELDS:
        with pytest.raises(ValidationError) as refused:
            model_field.clean(typed, None)
        assert refused.value.messages == ["Choose a date from 1950 to 2100."]
    with pytest.raises(ValidationError) as refused:
        DayFormField(required=False).clean(typed)
    assert refused.value.messages == ["Choose a date from 1950 to 2100."]
    with pytest.raises(SchemaError):
        TypeAdapter(Day).validate_python(typed)


@pytest.mark.parametrize("typed", ["1950-01-01", "2026-06-30", "2100-12-31"])
def test_a_date_within_the_bounds_is_accepted(typed):
    for model_field in DAY_FIELDS:
        assert model_field.clean(typed, None) == date.fromisoformat(typed)
    assert DayFormField().clean(typed) == date.fromisoformat(typed)
    assert TypeAdapter(Day).validate_python(typed) == date.fromisoformat(typed)


def test_event_times_and_numbers_are_bounded_by_their_model_fields():
    starts = Event._meta.get_field("starts")
    with pytest.raises(ValidationError, match=r"Choose a date from 1950 to 2100\."):
        starts.clean("9999-12-31T10:00:00Z", None)
    assert starts.clean("2027-05-04T10:00:00Z", None).year == 2027
    meeting = Event._meta.get_field("meeting_minutes")  # 5 to 240 (events.models.MEETING_MINUTES)
    assert meeting.clean(240, None) == 240
    for bad in (4, 241):
        with pytest.raises(ValidationError, match=r"A meeting lasts from 5 to 240 minutes\."):
            meeting.clean(bad, None)
    for name, largest in [
        ("capacity", 100_000),
        ("request_expiry_hours", 2160),
        ("max_meetings", 1000),
    ]:
        field = Event._meta.get_field(name)
        assert field.clean(largest, None) == largest
        with pytest.raises(ValidationError, match=f"less than or equal to {largest}"):
            field.clean(largest + 1, None)


def test_ids_typed_in_forms_and_addresses():
    assert parse_id("12") == 12
    assert parse_id(" 7 ") == 7
    assert parse_id("9223372036854775807") == 9223372036854775807
    for bad in ["", "0", "-1", "²", "١٢", "1e3", "9223372036854775808", "9" * 40, None]:
        assert parse_id(bad) is None, bad


def test_data_sources_typos_are_dropped_not_stored():
    assert money_or_none(Decimal("1234.567")) == Decimal("1234.57")
    assert money_or_none(Decimal("1E+25")) is None
    assert money_or_none(Decimal("-5")) is None
    assert money_or_none(Decimal("NaN")) is None
    assert money_or_none(None) is None
    assert day_or_none(datetime(2026, 3, 1, 12)) == datetime(2026, 3, 1, 12)
    assert day_or_none(datetime(9999, 12, 31)) is None
    assert day_or_none(date(1900, 1, 1)) is None


def test_an_id_no_database_integer_holds_is_a_choice_that_is_not_there():
    """SQLite's `IN (…)` raised OverflowError on it: a server error where the form should say the choice is wrong."""
    from greenbridge.core.forms import ModelMultipleChoiceField

    field = ModelMultipleChoiceField(queryset=Notice.objects.all())
    for value in ("99999999999999999999", "-99999999999999999999"):
        with pytest.raises(ValidationError) as refused:
            field.clean([value])
        assert refused.value.code == "invalid_choice"
    with pytest.raises(ValidationError) as refused:
        field.clean(["abc"])
    assert refused.value.code == "invalid_pk_value"  # Django's own check, as before


def test_a_list_item_with_a_nul_character_is_refused_in_plain_words():
    from greenbridge.core.forms import ListField

    with pytest.raises(ValidationError) as refused:
        ListField().clean(["ISO 14001", "ISO\x009001"])
    assert refused.value.messages == ["Null characters are not allowed."]


def test_a_nul_character_in_a_request_is_a_bad_request_with_a_page_that_says_so(client_for):
    """PostgreSQL can neither store nor compare one: a view that reads a parameter itself (the inbox's ?org=, a
    strategy's member by its short name) failed with a server error. The API checks its own input."""
    client = client_for("manager")
    response = client.get("/inbox/", {"org": "aquapure\x00"})
    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()
    assert client.post("/strategies/1/members/", {"organisation_slug": "x\x00", "role": "owner"}).status_code == 400
    assert client.get("/inbox/", {"org": "aquapure"}).status_code == 200
    assert client.get("/api/v1/notices", {"q": "water\x00"}).status_code != 400  # the API's own answer
