"""The service portfolio over the API: the services are public; engagements are read by who may see them, and a
company's people request a service for it."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from greenbridge.orgs.models import Membership, Organisation
from greenbridge.orgs.services import cluster_member_add, organisation_create
from greenbridge.portfolio.models import Engagement, Session

from .conftest import ACTIVE, DMA, TENDER, person, signed_in

JSON = "application/json"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["name"] for s in response.json()]


def test_the_services_are_public(client, client_for, svc, orgs):
    response = client.get("/api/v1/services")
    assert names(response) == ACTIVE
    clinic = svc["Data governance clinic"]
    assert response.json()[1] == {
        "id": clinic.pk,
        "name": "Data governance clinic",
        "category": "digital",
        "summary": clinic.summary,
        "description": clinic.description,
        "provider": orgs["cluster"].slug,
        "provider_name": "Danube Green Tech Cluster",
        "delivered_by": None,
        "expert": "Andrei Stan",
        "formats": ["one_to_one", "online"],
        "pricing": "member_price",
        "price": "450.00",
        "member_price": None,
        "currency": "EUR",
        "members_only": False,
        "size_classes": [],
        "countries": [],
        "sectors": [],
        "languages": ["ro", "en"],
        "hours": "6.0",
        "dimensions": [f"{DMA}:data_management", f"{DMA}:digital_readiness"],
        "capacity": 4,
        "capacity_period": "month",
        "url": f"/services/{clinic.pk}/",
    }
    assert client.get(f"/api/v1/services/{clinic.pk}").json() == response.json()[1]
    voucher = client.get(f"/api/v1/services/{svc['Energy audit voucher'].pk}").json()
    assert (voucher["delivered_by"], voucher["members_only"]) == (
        Organisation.objects.get(name="Prut Cleantech Cluster").slug,
        True,
    )
    # A draft is its provider's staff's.
    draft = svc["Circular design sprint"]
    assert client.get(f"/api/v1/services/{draft.pk}").status_code == 404
    assert client_for("manager").get(f"/api/v1/services/{draft.pk}").json()["name"] == "Circular design sprint"
    assert client_for("sme").get(f"/api/v1/services/{draft.pk}").status_code == 404
    assert client.get("/api/v1/services/999999").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=digital", ["Data governance clinic"]),
        ("q=prut", ["Digital strategy roadmap", "Export market scan: Moldova, Ukraine, Romania"]),
        ("provider={prut}", ["Digital strategy roadmap", "Export market scan: Moldova, Ukraine, Romania"]),
        (f"dimension={DMA}:automation_ai", ["Automation and AI starter workshop"]),
        ("format=on_site", ["Automation and AI starter workshop", "Energy audit voucher"]),
        ("language=uk", [TENDER]),
        ("free=true", ["Automation and AI starter workshop", "Digital strategy roadmap"]),
        ("country=UA", [s for s in ACTIVE if s != "Digital strategy roadmap"]),
        ("country=MD", ACTIVE),
        ("country=UA&free=true", ["Automation and AI starter workshop"]),
    ],
)
def test_the_services_are_filtered(client, partner, query, expected):
    assert names(client.get(f"/api/v1/services?{query.format(prut=partner.slug)}")) == expected


def test_unknown_or_absurd_filters_are_refused_in_words(client, demo):
    unknown = client.get("/api/v1/services?category=magic")
    assert unknown.status_code == 422
    assert unknown.json() == {
        "detail": "unknown category 'magic': one of advisory, training, internationalisation, procurement, "
        "funding, certification, digital, green, legal, matchmaking"
    }
    for query in ("q=" + "w" * 10_000, "free=maybe", "dimension=" + "d" * 141, "country=" + "x" * 100):
        assert client.get(f"/api/v1/services?{query}").status_code == 422, query


def test_engagements_are_read_by_who_may_see_them(client_for, demo, svc, orgs, users):
    delivered = Engagement.objects.get(service=svc["Data governance clinic"])
    requested = Engagement.objects.get(service=svc["Automation and AI starter workshop"])
    sme = client_for("sme")
    listed = sme.get("/api/v1/engagements").json()
    assert [(e["id"], e["status"]) for e in listed] == [(requested.pk, "requested"), (delivered.pk, "delivered")]
    assert listed[1] == {
        "id": delivered.pk,
        "service": svc["Data governance clinic"].pk,
        "service_name": "Data governance clinic",
        "provider": orgs["cluster"].slug,
        "organisation": orgs["sme"].slug,
        "status": "delivered",
        "message": "Our plant data lives in spreadsheets on three laptops. We want one place and a dashboard.",
        "preferred_dates": "Tuesday or Thursday mornings",
        "advisor": "Andrei Stan",
        "decline_reason": "",
        "outcome": "Data owners and sharing rules in place; a weekly dashboard of flows and energy use.",
        "rating": 5,
        "rating_comment": "Practical and quick: the dashboard is what our plant managers look at every Monday.",
        "created": listed[1]["created"],
        "answered_at": listed[1]["answered_at"],
        "delivered_at": listed[1]["delivered_at"],
    }
    assert [e["id"] for e in sme.get("/api/v1/engagements?status=delivered").json()] == [delivered.pk]
    assert sme.get("/api/v1/engagements?status=lost").status_code == 422
    assert [e["id"] for e in client_for("advisor").get("/api/v1/engagements").json()] == [requested.pk, delivered.pk]
    assert client_for("other_sme").get("/api/v1/engagements").json() == []
    assert client_for("operator").get("/api/v1/engagements").json() == []
    assert client_for("anonymous").get("/api/v1/engagements").status_code == 401


def test_an_engagement_hides_the_providers_internal_notes_from_the_company(client_for, demo, svc, orgs):
    delivered = Engagement.objects.get(service=svc["Data governance clinic"])
    Session.objects.create(
        engagement=delivered,
        starts=timezone.now().replace(microsecond=0),
        hours=Decimal("0.5"),
        notes="Internal: offer them the automation workshop next.",
    )
    url = f"/api/v1/engagements/{delivered.pk}"
    company = client_for("sme").get(url).json()
    staff = client_for("advisor").get(url).json()
    assert [s["notes"] for s in company["sessions"]] == [
        "Mapped the data: SCADA exports, lab results, customer contracts. Owners named for each.",
        "Rules for sharing data with municipalities agreed; GDPR register started.",
        "First dashboard of the Iași plants' flows and energy use, fed weekly.",
        "",
    ]
    assert staff["sessions"][3]["notes"] == "Internal: offer them the automation workshop next."
    assert [s["hours"] for s in staff["sessions"]] == ["2.00", "2.00", "2.00", "0.50"]
    # Helios, another cluster, and the operator do not read it at all.
    assert client_for("other_sme").get(url).status_code == 404
    assert client_for("operator").get(url).status_code == 404
    siret = organisation_create(name="Siret Valley Cluster", kind=Organisation.Kind.CLUSTER, country="RO")
    irina = signed_in(person("irina@siret.example", organisation=siret, role=Membership.Role.MANAGER))
    assert irina.get(url).status_code == 404
    # A cluster AquaPure shares with (not the provider) reads it, without the provider's internal notes.
    cluster_member_add(cluster=siret, member=orgs["sme"], shares_private_data=True)
    assert irina.get(url).json()["sessions"][3]["notes"] == ""


def test_a_company_requests_a_service(
    client_for, demo, svc, orgs, users, mailoutbox, django_capture_on_commit_callbacks
):
    tender = svc[TENDER]
    url = f"/api/v1/services/{tender.pk}/requests"
    body = {"organisation": orgs["sme"].slug, "message": "A bid on MTender in May.", "preferred_dates": "April"}
    assert client_for("anonymous").post(url, body, content_type=JSON).status_code == 401
    # Someone who does not act for AquaPure: Helios's admin, the cluster's advisor.
    for role in ("other_sme", "advisor", "operator"):
        refused = client_for(role).post(url, body, content_type=JSON)
        assert refused.status_code == 403, role
        assert refused.json() == {"detail": "You do not act for this organisation."}
    unknown = client_for("sme").post(url, {**body, "organisation": "no-such-company"}, content_type=JSON)
    assert unknown.status_code == 403
    assert not Engagement.objects.filter(service=tender).exists()

    with django_capture_on_commit_callbacks(execute=True):
        created = client_for("sme").post(url, body, content_type=JSON)
    assert created.status_code == 201
    engagement = Engagement.objects.get(service=tender)
    answer = created.json()
    assert {k: answer[k] for k in ("id", "service", "organisation", "status", "message", "preferred_dates")} == {
        "id": engagement.pk,
        "service": tender.pk,
        "organisation": orgs["sme"].slug,
        "status": "requested",
        "message": "A bid on MTender in May.",
        "preferred_dates": "April",
    }
    assert (answer["advisor"], answer["rating"], answer["answered_at"]) == (None, None, None)
    assert engagement.requested_by == users["sme"]
    assert sorted(m.to[0] for m in mailoutbox) == ["andrei@demo.greenbridge.example", "maria@demo.greenbridge.example"]

    duplicate = client_for("sme").post(url, body, content_type=JSON)
    assert duplicate.status_code == 409
    assert duplicate.json() == {"detail": "AquaPure Systems SRL already has a request for this service under way."}
    assert Engagement.objects.filter(service=tender).count() == 1


def test_requests_the_company_may_not_make_are_refused_in_words(demo, svc, orgs, client_for):
    big = organisation_create(name="Volta Grid SA", kind=Organisation.Kind.SME, country="UA", size_class="large")
    volta = signed_in(person("olena@volta.example", organisation=big, role=Membership.Role.ADMIN))
    voucher = f"/api/v1/services/{svc['Energy audit voucher'].pk}/requests"
    refused = volta.post(voucher, {"organisation": big.slug}, content_type=JSON)
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Only for members of Danube Green Tech Cluster. Only for companies of these sizes: Micro (fewer "
        "than 10 staff), Small (fewer than 50 staff), Medium (fewer than 250 staff)."
    }
    draft = f"/api/v1/services/{svc['Circular design sprint'].pk}/requests"
    assert client_for("sme").post(draft, {"organisation": orgs["sme"].slug}, content_type=JSON).status_code == 404
    too_long = {"organisation": orgs["sme"].slug, "message": "m" * 2001}
    tender = f"/api/v1/services/{svc[TENDER].pk}/requests"
    assert client_for("sme").post(tender, too_long, content_type=JSON).status_code == 422
    assert not Engagement.objects.filter(organisation=big).exists()


def test_a_request_by_the_api_needs_the_csrf_token_of_the_session(demo, svc, orgs, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["sme"])
    url = f"/api/v1/services/{svc[TENDER].pk}/requests"
    body = {"organisation": orgs["sme"].slug}
    assert client.post(url, body, content_type=JSON).status_code == 403
    assert not Engagement.objects.filter(service=svc[TENDER]).exists()
    client.get(f"/services/{svc[TENDER].pk}/")  # a page with a form sets the token's cookie
    token = client.cookies["csrftoken"].value
    assert client.post(url, body, content_type=JSON, headers={"X-CSRFToken": token}).status_code == 201
