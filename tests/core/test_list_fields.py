"""Every list a form edits comes back from the form unchanged: the form is drawn for an existing object, sent
back as a browser sends it (tests.conftest.form_data), and the stored list is identical. Then the list fields
of core/forms.py on their own: what they accept, normalise and refuse."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from greenbridge.core.forms import CountriesField, CpvCodesField, LanguagesField, ListField, NaceCodesField
from greenbridge.events.models import Event
from greenbridge.matching import services as matching_services
from greenbridge.matching.models import Watch
from greenbridge.partnering.models import Opportunity
from tests.conftest import form_data

pytestmark = pytest.mark.django_db

ORGANISATION_LISTS = {
    "cpv_codes": ["45252100", "42912300", "45232150"],
    "nace_codes": ["36.00", "E", "38.32"],
    "green_sectors": ["water", "wastewater", "circular_economy"],
    "languages": ["uk", "ro", "en"],
    # The bug report: "ISO 14001" came back as "ISO, 14001". Commas and semicolons inside an item stay too.
    "certifications": ["ISO 14001", "EMAS, registered 2019", "B Corp; since 2021", "ISO 50001:2018"],
}


def _save_unchanged(client, url: str, form_id: str | None = None, action: str | None = None):
    page = client.get(url)
    assert page.status_code == 200
    return client.post(action or url, form_data(page.content.decode(), form_id))


@pytest.mark.parametrize("field", ORGANISATION_LISTS)
def test_an_organisation_profile_saved_unchanged_keeps_each_list(client_for, orgs, field):
    org = orgs["sme"]
    setattr(org, field, ORGANISATION_LISTS[field])
    org.save()
    before = {name: getattr(org, name) for name in ORGANISATION_LISTS}
    response = _save_unchanged(client_for("sme"), f"/orgs/{org.slug}/edit/")
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert {name: getattr(org, name) for name in ORGANISATION_LISTS} == before
    assert getattr(org, field) == ORGANISATION_LISTS[field]


WATCH_LISTS = {
    "cpv_codes": ["45316110", "34928500"],
    "keywords": ["street lighting", "освітлення вулиць", "éclairage public"],
    "exclude_keywords": ["Scottish Water", "maintenance only"],
    "countries": ["EAP", "RO", "XK"],
    "green_sectors": ["energy_efficiency", "smart_city"],
    "notice_types": ["planning", "competition"],
}


@pytest.fixture
def cluster_watch(orgs, users):
    return matching_services.watch_save(
        organisation=orgs["cluster"],
        user=users["manager"],
        data={**WATCH_LISTS, "forward_to": [orgs["sme"].pk, orgs["other_sme"].pk]},
        name="Street lighting for our members",
    )


@pytest.mark.parametrize("field", [*WATCH_LISTS, "forward_to"])
def test_a_watch_saved_unchanged_keeps_each_list(client_for, cluster_watch, orgs, field):
    before = cluster_watch.spec_data()
    assert before["countries"] == WATCH_LISTS["countries"]
    response = _save_unchanged(client_for("manager"), f"/watches/{cluster_watch.pk}/", form_id="watch-form")
    assert response.status_code == 302, response.content.decode()[:2000]
    watch = Watch.objects.get(pk=cluster_watch.pk)
    assert watch.spec_data() == before
    if field == "forward_to":
        assert set(watch.forward_to.values_list("pk", flat=True)) == {orgs["sme"].pk, orgs["other_sme"].pk}
    else:
        assert getattr(watch, field) == WATCH_LISTS[field]


@pytest.mark.parametrize("field", ["languages", "breaks"])
def test_an_event_saved_unchanged_keeps_its_languages_and_session_breaks(client_for, demo, field):
    event = demo.event
    event.languages = ["en", "ro", "uk"]
    event.save()
    session = event.sessions.get(name="Morning")
    session.breaks = [["10:30", "10:45"], ["11:00", "11:20"]]
    session.save()
    response = _save_unchanged(client_for("manager"), f"/events/{event.slug}/manage/edit/")
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    session.refresh_from_db()
    assert event.languages == ["en", "ro", "uk"]
    assert session.breaks == [["10:30", "10:45"], ["11:00", "11:20"]]


def test_a_new_event_starts_with_no_language_and_shows_names_publicly(client_for, client, demo):
    page = client_for("manager").get("/events/new/").content.decode()
    assert "[]" not in form_data(page).get("languages", [])
    assert "[]" not in page.split('id="id_languages"')[1].split("</ul>")[0]
    detail = client.get(demo.event.get_absolute_url()).content.decode()
    assert "<dd>English, Romanian, Russian</dd>" in detail
    uk = client.get(demo.event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "<dd>Англійська, румунська, російська</dd>" in uk


OPPORTUNITY_LISTS = {
    "cpv_codes": ["42912300", "45252100"],
    "nace_codes": ["36.00", "37.00"],
    "green_sectors": ["water", "wastewater"],
    "countries": ["MD", "UA", "EG"],
    "cooperation": ["commercial", "technology_transfer"],
}


@pytest.mark.parametrize("field", OPPORTUNITY_LISTS)
def test_an_opportunity_saved_unchanged_keeps_each_list(client_for, demo, field):
    opportunity = demo.opportunities["uv_offer"]
    Opportunity.objects.filter(pk=opportunity.pk).update(**OPPORTUNITY_LISTS)
    response = _save_unchanged(client_for("sme"), f"/opportunities/{opportunity.pk}/edit/")
    assert response.status_code == 302, response.content.decode()[:2000]
    opportunity.refresh_from_db()
    assert {name: getattr(opportunity, name) for name in OPPORTUNITY_LISTS} == OPPORTUNITY_LISTS


def test_a_participants_availability_saved_unchanged_keeps_its_slots(client_for, demo):
    from greenbridge.events.slots import event_slots

    event = demo.event
    registration = event.registrations.get(organisation__slug=demo.orgs["sme"].slug)
    slots = [s.id for s in event_slots(event)]
    registration.unavailable = [slots[1], slots[4]]
    registration.save()
    sme = client_for("sme")
    page = sme.get(f"/events/{event.slug}/me/").content.decode()
    form = page.split('id="availability-title"')[1]
    assert sme.post(f"/events/{event.slug}/me/availability/", form_data(form)).status_code == 302
    registration.refresh_from_db()
    assert registration.unavailable == [slots[1], slots[4]]


# -- the fields on their own ------------------------------------------------------------------------------------


def _post(**lists) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in lists.items():
        data.setlist(name, [values] if isinstance(values, str) else values)
    return data


def test_free_text_items_are_kept_as_typed_one_per_line():
    field = ListField(required=False)
    assert field.clean("ISO 14001\r\n  EMAS, 2019 \n\nISO 14001") == ["ISO 14001", "EMAS, 2019"]
    assert field.widget.format_value(["ISO 14001", "EMAS, 2019"]) == "ISO 14001\nEMAS, 2019"
    assert field.clean([]) == []


def test_list_bounds_are_plain_words():
    with pytest.raises(ValidationError, match="At most 2 items"):
        ListField(max_items=2).clean(["a", "b", "c"])
    with pytest.raises(ValidationError, match="too long: at most 5 characters"):
        ListField(max_length=5).clean(["ISO 14001"])
    with pytest.raises(ValidationError, match="This field is required"):
        ListField().clean([])


def test_codes_come_from_ticked_boxes_and_typed_text_normalised_and_checked():
    field = CpvCodesField(required=False)
    posted = _post(cpv_codes=["45252100"], cpv_codes_typed="90513000 - 6, 45252100 42912300-9")
    assert field.clean(field.widget.value_from_datadict(posted, {}, "cpv_codes")) == [
        "45252100",
        "90513000",
        "42912300",
    ]
    with pytest.raises(ValidationError, match="Not CPV codes: 4525210, 99999999"):
        field.clean(["4525210", "45252100", "99999999"])
    nace = NaceCodesField(required=False)
    assert nace.clean(["36.00", "e"]) == ["36.00", "E"]
    with pytest.raises(ValidationError, match=r"Not NACE Rev\. 2 codes: 99\.99"):
        nace.clean(["99.99"])


def test_a_form_shown_again_after_an_error_shows_each_code_once():
    """A typed code already ticked was two boxes when a form came back with an error elsewhere."""
    from django import forms

    class Form(forms.Form):
        cpv_codes = CpvCodesField(required=False)
        name = forms.CharField()

    posted = _post(cpv_codes=["45252100"], cpv_codes_typed="45252100-3 90513000-6 4525")
    form = Form(posted)
    assert not form.is_valid()  # no name, and "4525" is not a code
    assert form["cpv_codes"].value() == ["45252100", "90513000", "4525"]  # kept, as typed when not a code
    html = str(form["cpv_codes"])
    assert html.count('value="45252100"') == 1


def test_every_box_unticked_empties_the_list():
    field = CpvCodesField(required=False)
    assert field.widget.value_omitted_from_data(_post(), {}, "cpv_codes") is False
    assert field.clean(field.widget.value_from_datadict(_post(), {}, "cpv_codes")) == []


def test_countries_and_languages_are_codes_from_names_in_any_language():
    assert CountriesField(required=False).clean(["Moldova", "Україна", "NOR", "MD"]) == ["MD", "UA", "NO"]
    assert CountriesField(regions=True, required=False).clean(["eap", "RO"]) == ["EAP", "RO"]
    with pytest.raises(ValidationError, match="Not countries: EAP, Atlantis"):
        CountriesField(required=False).clean(["EAP", "Atlantis"])
    assert LanguagesField(required=False).clean(["English", "ukr", "ro"]) == ["en", "uk", "ro"]
    with pytest.raises(ValidationError, match="Unknown languages: Klingonese"):
        LanguagesField(required=False).clean(["Klingonese"])


def test_the_chips_show_names_in_the_readers_language(client_for, orgs):
    from django.utils import translation

    field = CountriesField(regions=True, required=False)
    with translation.override("uk"):
        html = field.widget.render("countries", ["MD", "EAP"], {"id": "id_countries"})
    assert (
        '<input type="checkbox" name="countries" value="MD" checked> <span class="chip__label" title="Молдова">' in html
    )
    assert "Східне партнерство" in html  # the region, by name
    assert '<option value="UA">Україна</option>' in html
    cpv = CpvCodesField(required=False)
    with translation.override("ro"):
        html = cpv.widget.render("cpv_codes", ["45252100"], {"id": "id_cpv_codes"})
    assert '<span class="chip__code">45252100</span>' in html
    assert 'title="Lucrări de construcții de stații de epurare">' in html  # ș and ț as Romanian writes them


def test_an_event_with_a_taken_title_is_told_on_the_title(client_for, demo):
    from greenbridge.events.forms import EventForm

    data = {
        "kind": "b2b",
        "title": "Danube water: energy brokerage",  # the short name made of it is the demo event's
        "slug": "",
        "status": "draft",
        "starts": "2030-05-01T09:00",
        "ends": "2030-05-01T17:00",
        "timezone": "Europe/Chisinau",
        "meeting_minutes": "20",
        "request_expiry_hours": "72",
    }
    form = EventForm(data, instance=Event(), user=demo.users["manager"])
    assert not form.is_valid()
    assert form.errors["title"] == [
        "Another event has this title: make it distinct (add the city or the year), or give it a short name."
    ]
    assert "slug" not in form.errors
    typed = EventForm({**data, "slug": demo.event.slug}, instance=Event(), user=demo.users["manager"])
    assert not typed.is_valid()
    assert typed.errors["slug"] == ["Another event uses this short name; choose another."]
    assert "title" not in typed.errors


@pytest.mark.parametrize("minutes", ["0", "4", "241", "1000"])
def test_meeting_lengths_out_of_reason_are_refused(demo, minutes):
    from greenbridge.events.forms import EventForm

    data = {
        "kind": "b2b",
        "title": "Solar days 2030",
        "status": "draft",
        "starts": "2030-05-01T09:00",
        "ends": "2030-05-01T17:00",
        "timezone": "Europe/Chisinau",
        "meeting_minutes": minutes,
        "request_expiry_hours": "72",
    }
    form = EventForm(data, instance=Event(), user=demo.users["manager"])
    assert not form.is_valid()
    assert form.errors["meeting_minutes"] == ["A meeting lasts from 5 to 240 minutes."]
    assert EventForm({**data, "meeting_minutes": "5"}, instance=Event(), user=demo.users["manager"]).is_valid()


def test_the_empty_choice_of_the_list_adds_nothing_when_the_form_comes_back():
    field = LanguagesField(required=False)
    posted = _post(languages=["ro", ""])
    assert field.widget.value_from_datadict(posted, {}, "languages") == ["ro"]


def test_a_box_to_tick_is_never_called_optional():
    """The event form said "Required (optional)" and its sessions "Delete (optional)"."""
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        required = forms.BooleanField(label="Required", required=False)
        note = forms.CharField(label="Note", required=False)

    form = Form()
    assert "optional" not in render_to_string("core/_field.html", {"field": form["required"]})
    assert "(optional)" in render_to_string("core/_field.html", {"field": form["note"]})
