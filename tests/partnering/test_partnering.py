"""The partnering marketplace (publish, search, recommend, express interest, answer), meeting outcomes from
both sides with the organisers' response rates, and partnerships with their evidence documents."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from lxml import html

from greenbridge.core.errors import Refused
from greenbridge.events import services as event_services
from greenbridge.events.models import Outcome
from greenbridge.events.selectors import outcome_report
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.recommend import describe
from greenbridge.orgs.services import organisation_create
from greenbridge.partnering import selectors, services
from greenbridge.partnering.models import Interest, Opportunity, Partnership

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def opp(demo):
    return demo.opportunities


def _form(**overrides):
    data = {
        "kind": "technology_offer",
        "title": "Sludge dewatering units for small towns",
        "summary": "Mobile screw presses for wastewater sludge, rented or sold.",
        "description": "",
        "cpv_codes": "42996000",
        "nace_codes": "37.00",
        "green_sectors": ["wastewater"],
        "countries": ["Moldova", "UA"],
        "cooperation": ["commercial"],
        "currency": "eur",
        "expires": (timezone.localdate() + timedelta(days=200)).isoformat(),
    }
    return {**data, **overrides}


# -- publishing and searching -------------------------------------------------------------------------------------


def test_an_sme_publishes_an_opportunity_that_everyone_finds(client_for, client, orgs):
    response = client_for("sme").post("/opportunities/new/", _form())
    assert response.status_code == 302
    created = Opportunity.objects.get(title="Sludge dewatering units for small towns")
    assert created.organisation == orgs["sme"]
    assert created.countries == ["MD", "UA"]  # names and codes, normalised
    assert created.currency == "EUR"
    assert created.is_open
    page = client.get("/opportunities/?q=sludge+dewatering&sector=wastewater&country=UA&cpv=42996").content.decode()
    assert "Sludge dewatering units" in page
    assert "Containerised drinking-water" not in page  # AquaPure's other offer does not mention sludge
    assert client.get(f"/opportunities/{created.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cpv_codes", "4299600, 90400000", "Not CPV codes: 4299600"),
        ("countries", ["Moldova", "Atlantis"], "Not countries: Atlantis"),
        ("expires", "2020-01-01", "The date has passed"),
        ("currency", "E1R", "A currency is three letters"),
        ("title", "", "This field is required"),
    ],
)
def test_a_wrong_value_is_reported_and_nothing_is_published(client_for, field, value, message):
    before = Opportunity.objects.count()
    response = client_for("sme").post("/opportunities/new/", _form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Opportunity.objects.count() == before


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "procurement_need"}, {"water_need", "solar_need"}),
        ({"cpv": "0933"}, {"solar_need", "solar_offer"}),
        ({"cpv": "38421100-5"}, {"water_need"}),  # a full code with its check digit
        ({"country": "UA"}, {"uv_offer", "service_partner", "research"}),
        ({"sector": "renewable_energy", "q": "schools"}, {"solar_offer"}),
        ({"q": "kindergartens"}, {"solar_need"}),
    ],
)
def test_search_filters(opp, filters, expected):
    found = set(selectors.opportunities_search(selectors.OpportunityFilters(**filters)))
    assert found == {opp[k] for k in expected}


def test_closed_and_expired_opportunities_leave_the_marketplace(client, client_for, opp):
    services.opportunity_close(opportunity=opp["uv_offer"])
    Opportunity.objects.filter(pk=opp["solar_offer"].pk).update(expires=timezone.localdate() - timedelta(days=1))
    listed = set(selectors.opportunities_search(selectors.OpportunityFilters()))
    assert opp["uv_offer"] not in listed
    assert opp["solar_offer"] not in listed
    assert client.get(f"/opportunities/{opp['uv_offer'].pk}/").status_code == 404
    owner_page = client_for("sme").get(f"/opportunities/{opp['uv_offer'].pk}/").content.decode()
    assert "Closed" in owner_page
    with pytest.raises(Refused, match="closed"):
        services.interest_create(
            opportunity=opp["uv_offer"], organisation=opp["solar_offer"].organisation, user=None, message="Hello"
        )


def test_an_anonymous_owner_stays_hidden_until_contact_is_accepted(client, client_for, opp, orgs, users):
    hidden = opp["service_partner"]
    page = client.get(f"/opportunities/{hidden.pk}/").content.decode()
    assert orgs["sme"].name not in page
    assert "name shown once contact is accepted" in page
    assert client.get(f"/api/v1/opportunities/{hidden.pk}").json()["organisation"] is None
    # Its own people see their name in the list (it showed them "SME (name shown once contact is accepted)").
    listed = html.fromstring(client_for("sme").get("/opportunities/").content)
    [card] = listed.xpath(f'//li[.//a[@href="/opportunities/{hidden.pk}/"]]')
    assert orgs["sme"].name in card.text_content()
    assert "name shown once" not in card.text_content()
    interest = services.interest_create(
        opportunity=hidden, organisation=orgs["other_sme"], user=users["other_sme"], message="We service plants."
    )
    services.interest_answer(interest=interest, user=users["sme"], accept=True)
    page = client_for("other_sme").get(f"/opportunities/{hidden.pk}/").content.decode()
    assert orgs["sme"].name in page
    assert users["sme"].email in page


# -- interest --------------------------------------------------------------------------------------------------


def test_interest_reaches_the_owner_who_accepts_and_both_see_contacts(client_for, opp, orgs, users, on_commit):
    offer = opp["uv_offer"]
    with on_commit():
        response = client_for("other_sme").post(
            f"/opportunities/{offer.pk}/interest/", {"message": "We could install your units in Moldova."}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[users["sme"].email]]
    assert "Helios Solar SRL is interested" in mail.outbox[0].subject
    assert "install your units in Moldova" in mail.outbox[0].body

    interest = offer.interests.get()
    owner_page = client_for("sme").get(f"/opportunities/{offer.pk}/").content.decode()
    assert "install your units in Moldova" in owner_page
    assert users["other_sme"].email not in owner_page  # contact details only once accepted
    mail.outbox.clear()
    with on_commit():
        client_for("sme").post(f"/opportunities/interests/{interest.pk}/accept/")
    interest.refresh_from_db()
    assert interest.status == Interest.Status.ACCEPTED
    assert mail.outbox[0].to == [users["other_sme"].email]
    assert users["sme"].email in mail.outbox[0].body  # whom to write to
    assert users["other_sme"].email in client_for("sme").get(f"/opportunities/{offer.pk}/").content.decode()


def test_interest_is_refused_for_your_own_and_twice(opp, orgs, users):
    with pytest.raises(Refused, match="your own"):
        services.interest_create(opportunity=opp["uv_offer"], organisation=orgs["sme"], user=users["sme"], message="x")
    with pytest.raises(Refused, match="already expressed"):
        services.interest_create(
            opportunity=opp["solar_need"], organisation=orgs["other_sme"], user=users["other_sme"], message="again"
        )


def test_only_the_owner_answers_and_only_the_sender_withdraws(client_for, opp, orgs):
    interest = opp["solar_need"].interests.get()  # Helios → Ungheni, pending
    assert client_for("other_sme").post(f"/opportunities/interests/{interest.pk}/accept/").status_code == 403
    assert client_for("sme").post(f"/opportunities/interests/{interest.pk}/withdraw/").status_code == 403
    client_for("other_sme").post(f"/opportunities/interests/{interest.pk}/withdraw/")
    interest.refresh_from_db()
    assert interest.status == Interest.Status.WITHDRAWN
    # Withdrawn, it may be sent again.
    again = services.interest_create(
        opportunity=opp["solar_need"], organisation=orgs["other_sme"], user=None, message="After all: yes."
    )
    assert again.pk == interest.pk
    assert again.status == Interest.Status.PENDING


# -- recommendations -------------------------------------------------------------------------------------------


def test_the_marketplace_recommends_what_fits_with_reasons(client_for, opp, users):
    Interest.objects.filter(opportunity=opp["solar_need"]).delete()
    organisation, recs = selectors.recommended_for_user(user=users["other_sme"])
    assert recs[0].profile.key == opp["solar_need"]
    assert any(t.startswith("Same line of work: 09331200") for t in describe(recs[0].reasons))
    page = client_for("other_sme").get("/opportunities/").content.decode()
    assert "Worth a look for Helios Solar SRL" in page
    assert "Same line of work" in page
    # Once asked about, it leaves the recommendations (it is on the "sent" list instead).
    services.interest_create(opportunity=opp["solar_need"], organisation=organisation, user=None, message="Hi")
    assert opp["solar_need"] not in [r.profile.key for r in selectors.recommended_for_user(user=users["other_sme"])[1]]


def test_a_word_met_in_several_forms_is_named_once(orgs):
    """The offer says "monitoring" and "Monitored": the reason names the word once, as the offer first spells it.
    How a trade works ("installation", "supply") is no fit: what it installs is."""
    from greenbridge.orgs.recommend import Profile, _fit_words

    text = "Design, installation and monitoring of pumps. Monitored remotely; pumps supplied to order."
    offer = Profile(key="offer", organisation=orgs["other_sme"], offer=text)
    seeker = Profile(key="seek", organisation=orgs["sme"], seeking="Installers and suppliers of pumps with monitoring")
    assert _fit_words(seeker, offer, text) == ["monitoring", "pumps"]
    generic = Profile(key="seek", organisation=orgs["sme"], seeking="Installation and supply works, experience")
    assert _fit_words(generic, offer, text) == []


def test_who_someone_is_or_sells_to_is_no_fit_in_words(orgs):
    """A buyer's "Municipality of Ungheni" is not what an SME seeking municipalities as customers looks for; in
    every language, and whatever the word's ending."""
    from greenbridge.orgs.recommend import Profile, _fit_words

    for offer_text, seeking in [
        ("Municipality of Ungheni: public lighting and water supply.", "Municipalities and public buyers for filters"),
        ("Primăria Ungheni: iluminat public.", "Primării și clienți publici pentru filtre"),
        ("Муніципалітет громади: публічні закупівлі.", "Муніципалітети та публічні замовники"),
    ]:
        offer = Profile(key="offer", organisation=orgs["procurer"], offer=offer_text)
        seeker = Profile(key="seek", organisation=orgs["sme"], seeking=seeking)
        assert _fit_words(seeker, offer, offer_text) == [], offer_text
    offer = Profile(key="offer", organisation=orgs["procurer"], offer="Street lighting for the municipality.")
    seeker = Profile(key="seek", organisation=orgs["sme"], seeking="Municipalities renewing street lighting")
    assert _fit_words(seeker, offer, "Street lighting for the municipality.") == ["Street", "lighting"]


def test_buyer_needs_are_recommended_to_the_suppliers_that_fit(orgs, users, opp):
    supplier = organisation_create(
        name="Contor SRL",
        kind=Organisation.Kind.SME,
        country="RO",
        description="Smart water meters with remote reading.",
        cpv_codes=["38421100"],
        green_sectors=["water"],
    )
    me = selectors.organisation_profile(supplier)
    recs = selectors.recommended_opportunities(me=me)
    assert recs[0].profile.key == opp["water_need"]
    kinds = {r["kind"] for r in recs[0].reasons}
    assert {"cpv", "buyer", "sectors"} <= kinds


def test_event_participants_see_the_opportunities_worth_a_look(client_for, demo, opp):
    page = client_for("sme").get(f"/events/{demo.event.slug}/participants/").content.decode()
    assert "Opportunities worth a look" in page
    detail = client_for("sme").get(f"/events/{demo.event.slug}/").content.decode()
    assert opp["water_need"].title in detail  # published for the event
    assert "Publish an offer or a need for this event" in detail


# -- outcomes --------------------------------------------------------------------------------------------------


@pytest.fixture
def held_meeting(demo):
    """The demo meeting (Ungheni asked AquaPure), accepted, scheduled, published and now an hour ago."""
    event = demo.event
    meeting = event_services.meeting_request_accept(request=event.meeting_requests.get())
    event_services.schedule_run(event=event, time_limit=5)
    event_services.schedule_publish(event=event)
    meeting.refresh_from_db()
    past = timezone.now() - timedelta(hours=1)
    type(meeting).objects.filter(pk=meeting.pk).update(published_starts=past, starts=past)
    meeting.refresh_from_db()
    return meeting


def test_each_side_tells_how_the_meeting_went_and_organisers_see_rates(client_for, demo, held_meeting):
    event = demo.event
    sme, buyer = (event.registrations.get(organisation=demo.orgs[k]) for k in ("sme", "procurer"))
    page = client_for("sme").get(f"/events/{event.slug}/me/").content.decode()
    assert "How did your meetings go?" in page
    prefix = f"m{held_meeting.pk}"
    response = client_for("sme").post(
        f"/events/{event.slug}/meetings/{held_meeting.pk}/outcome/",
        {f"{prefix}-held": "held", f"{prefix}-interest": "agreement", f"{prefix}-note": "=HYPERLINK(1) pilot"},
    )
    assert response.status_code == 302
    assert Outcome.objects.get(registration=sme).interest == "agreement"
    page = client_for("sme").get(f"/events/{event.slug}/me/").content.decode()
    assert f"/partnerships/new/?meeting={held_meeting.pk}" in page

    report = outcome_report(event=event)
    assert (report["sides"], report["answered"], report["both_sides"], report["held"]) == (2, 1, 0, 1)
    assert [row["registration"] for row in report["silent"]] == [buyer]
    event_services.outcome_save(meeting=held_meeting, registration=buyer, held="held", interest="follow_up")
    report = outcome_report(event=event)
    assert report["response_rate"] == 1.0
    assert report["silent"] == []
    assert {v: n for v, _label, n in report["interest"]} == {"none": 0, "follow_up": 1, "agreement": 1}

    manager = client_for("manager")
    assert "100 %" in manager.get(f"/events/{event.slug}/manage/outcomes/").content.decode()
    rows = list(csv.reader(io.StringIO(manager.get(f"/events/{event.slug}/manage/outcomes.csv").content.decode())))
    assert len(rows) == 2
    assert "'=HYPERLINK(1) pilot" in rows[1]  # a note that would run as a formula is quoted


def test_outcomes_are_refused_before_the_meeting_and_for_others(demo, held_meeting, client_for):
    event = demo.event
    sme = event.registrations.get(organisation=demo.orgs["sme"])
    with pytest.raises(Refused, match="once it has started"):
        event_services.outcome_save(
            meeting=held_meeting, registration=sme, held="held", interest="none", now=timezone.now() - timedelta(days=1)
        )
    with pytest.raises(Refused, match="what comes next"):
        event_services.outcome_save(meeting=held_meeting, registration=sme, held="held", interest="")
    no_show = event_services.outcome_save(meeting=held_meeting, registration=sme, held="no_show", interest="agreement")
    assert no_show.interest == ""  # nothing comes next from a meeting that did not happen
    # Helios is not a participant of this meeting.
    response = client_for("other_sme").post(f"/events/{event.slug}/meetings/{held_meeting.pk}/outcome/", {})
    assert response.status_code == 403


def test_participants_are_asked_once_after_the_event(demo, held_meeting, users, on_commit):
    event = demo.event
    after = event.ends + timedelta(hours=1)
    assert event_services.outcomes_request(now=event.ends - timedelta(hours=1)) == 0
    mail.outbox.clear()
    assert event_services.outcomes_request(now=after) == 2
    assert {m.to[0] for m in mail.outbox} == {users["sme"].email, users["procurer"].email}
    assert "How did your meetings at" in mail.outbox[0].subject
    assert event_services.outcomes_request(now=after + timedelta(hours=1)) == 0


# -- partnerships -----------------------------------------------------------------------------------------------


def test_a_partnership_recorded_from_a_meeting_with_its_evidence(client_for, demo, held_meeting):
    response = client_for("sme").post(
        f"/partnerships/new/?meeting={held_meeting.pk}",
        {
            "kind": "commercial",
            "title": "Supply of a treatment unit to Ungheni",
            "organisations": [demo.orgs["procurer"].pk],
            "date": timezone.localdate().isoformat(),
            "stage": "signed",
            "value": "120000",
            "currency": "EUR",
            "evidence": SimpleUploadedFile("contract.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    p = Partnership.objects.get(title="Supply of a treatment unit to Ungheni")
    assert p.meeting == held_meeting
    assert p.event == demo.event
    assert set(p.organisations.all()) == {demo.orgs["sme"], demo.orgs["procurer"]}
    download = client_for("manager").get(f"/partnerships/{p.pk}/evidence/")  # AquaPure shares with the cluster
    assert b"".join(download.streaming_content) == PDF
    assert outcome_report(event=demo.event)["partnerships"] == 1  # the demo's MoU came of an interest, not the event
    with pytest.raises(ValueError, match="no public URL"):
        p.evidence.url  # noqa: B018


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("contract.pdf", b"MZ\x90\x00 not a pdf", "is not the PDF its name says"),
        ("contract.exe", b"MZ\x90\x00", "File extension"),
    ],
)
def test_a_wrong_evidence_file_is_refused_and_nothing_is_saved(client_for, demo, name, content, message):
    before = Partnership.objects.count()
    response = client_for("sme").post(
        "/partnerships/new/",
        {
            "kind": "mou",
            "title": "Bad file",
            "other_partners": "Vodokanal Odesa (UA)",
            "date": "2026-10-01",
            "stage": "signed",
            "currency": "EUR",
            "evidence": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Partnership.objects.count() == before


def test_a_file_over_the_limit_and_a_partnership_without_partners_are_refused(client_for, settings):
    settings.MAX_UPLOAD_MB = 0
    response = client_for("sme").post(
        "/partnerships/new/",
        {
            "kind": "mou",
            "title": "No partner",
            "date": "2026-10-01",
            "stage": "signed",
            "currency": "EUR",
            "evidence": SimpleUploadedFile("a.pdf", PDF),
        },
    )
    page = response.content.decode()
    assert "larger than 0 MB" in page
    assert "Name at least one partner" in page


def test_partner_choices_are_organisations_you_dealt_with(demo, held_meeting):
    stranger = organisation_create(name="Stranger Ltd", kind=Organisation.Kind.SME, country="FR")
    choices = set(selectors.partner_choices(organisation=demo.orgs["sme"]))
    assert demo.orgs["procurer"] in choices  # met at the event, and exchanged interest
    assert demo.orgs["other_sme"] in choices  # same cluster
    assert stranger not in choices
    assert demo.orgs["sme"] not in choices
    # A cluster records partnerships with its own members (it met none of them at an event).
    cluster_choices = set(selectors.partner_choices(organisation=demo.orgs["cluster"]))
    assert {demo.orgs["sme"], demo.orgs["other_sme"]} <= cluster_choices
    assert stranger not in cluster_choices


def test_partnerships_are_seen_by_partners_and_sharing_clusters_only(client_for, demo, users):
    helios_only = services.partnership_save(
        data={"kind": "investment", "title": "Helios investment", "date": timezone.localdate(), "currency": "EUR"},
        organisation=demo.orgs["other_sme"],
        user=users["other_sme"],
    )
    # Helios does not share its private data with the cluster.
    assert client_for("manager").get(f"/partnerships/{helios_only.pk}/").status_code == 403
    assert client_for("other_sme").get(f"/partnerships/{helios_only.pk}/").status_code == 200
    titles = {p["title"] for p in client_for("manager").get("/api/v1/partnerships").json()}
    assert titles == {"MoU on a water-meter pilot in Ungheni"}
    assert {p["title"] for p in client_for("other_sme").get("/api/v1/partnerships").json()} == {"Helios investment"}


def test_editing_keeps_or_replaces_the_evidence(client_for, demo):
    p = Partnership.objects.get(organisations=demo.orgs["sme"])
    p.evidence.save("mou.pdf", ContentFile(PDF))
    old = p.evidence.name
    url = f"/partnerships/{p.pk}/edit/"
    assert f"/partnerships/{p.pk}/evidence/" in client_for("sme").get(url).content.decode()
    data = {
        "kind": "mou",
        "title": "MoU signed",
        "organisations": [demo.orgs["procurer"].pk],
        "date": "2026-11-20",
        "stage": "signed",
        "currency": "EUR",
    }
    assert client_for("sme").post(url, data).status_code == 302
    p.refresh_from_db()
    assert (p.title, p.evidence.name) == ("MoU signed", old)
    client_for("sme").post(url, {**data, "evidence": SimpleUploadedFile("signed.pdf", PDF)})
    p.refresh_from_db()
    assert p.evidence.name != old
    assert not p.evidence.storage.exists(old)  # no orphan left behind
    assert set(p.organisations.all()) == {demo.orgs["sme"], demo.orgs["procurer"]}
