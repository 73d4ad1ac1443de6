"""Trust: clusters, BSOs, public procurers and authorities are verified by an operator before they publish events,
procurement needs or forward notices to members; e-mail addresses are confirmed before anything is published.
One rule (orgs.publish_as and its kin in orgs/rules.py), asked by forms, services, selectors, views and the API."""

import importlib
from datetime import timedelta

import pytest
import rules
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from greenbridge.events.models import Event
from greenbridge.matching import services as matching_services
from greenbridge.matching.models import Forward
from greenbridge.orgs import services
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.rules import publishing_refused
from greenbridge.partnering.models import Opportunity
from greenbridge.partnering.services import opportunity_save
from tests.conftest import make_notice

pytestmark = pytest.mark.django_db


def _person(email: str, *, verified_email: bool = True):
    user = get_user_model().objects.create_user(username=email, email=email, password="x", full_name="Dana Lupu")
    EmailAddress.objects.create(user=user, email=email, verified=verified_email, primary=True)
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _register(client: Client, kind: str, name: str) -> Organisation:
    response = client.post("/orgs/new/", {"name": name, "kind": kind, "country": "MD", "city": "Bălți"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Organisation.objects.get(name=name)


def _event_form(org: Organisation, **overrides) -> dict:
    data = {
        "organiser": org.pk,
        "kind": "b2b",
        "status": "published",
        "title": "Moldova water days",
        "slug": "",
        "timezone": "Europe/Chisinau",
        "starts": "2030-03-10T09:00",
        "ends": "2030-03-10T13:00",
        "meeting_minutes": "30",
        "request_expiry_hours": "48",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


PENDING_WORDS = "is awaiting verification by the platform operators: it can publish once they have checked"


@pytest.mark.parametrize("kind", ["cluster", "bso", "procurer", "authority"])
def test_a_new_organisation_of_a_kind_that_speaks_for_others_awaits_verification(client, kind):
    user = _person("dana@nova.example")
    c = _client(user)
    org = _register(c, kind, "Nova Cluster")
    assert org.verification == "pending"
    assert (org.needs_verification, org.is_verified, org.is_trusted) == (True, False, False)
    assert "awaits verification by the platform operators" in c.get("/orgs/", follow=True).content.decode()
    page = c.get(f"/orgs/{org.slug}/").content.decode()
    assert "Awaiting verification" in page
    assert f"Nova Cluster {PENDING_WORDS}" in page
    # Visitors see no badge and no pending label.
    public = client.get(f"/orgs/{org.slug}/").content.decode()
    assert "Awaiting verification" not in public
    assert 'class="verified"' not in public


def test_an_sme_needs_no_verification_and_shows_no_badge(client_for, orgs):
    sme = orgs["sme"]
    assert (sme.needs_verification, sme.is_trusted, sme.is_verified) == (False, True, False)
    assert 'class="verified"' not in client_for("sme").get(f"/orgs/{sme.slug}/").content.decode()


def test_an_unverified_cluster_prepares_drafts_but_publishes_no_event_until_verified(client, demo, users):
    dana = _person("dana@nova.example")
    c = _client(dana)
    org = _register(c, "cluster", "Nova Cluster")
    # The form says so before anyone tries, and refuses to publish.
    assert PENDING_WORDS in c.get("/events/new/").content.decode()
    refused = c.post("/events/new/", _event_form(org))
    assert refused.status_code == 200
    assert f"Nova Cluster {PENDING_WORDS}" in refused.content.decode()
    assert not Event.objects.filter(title="Moldova water days").exists()
    # A draft is fine.
    assert c.post("/events/new/", _event_form(org, status="draft")).status_code == 302
    event = Event.objects.get(title="Moldova water days")
    # Even published by other means (the admin), the public does not see it while the cluster is unverified.
    Event.objects.filter(pk=event.pk).update(status="published")
    assert client.get(f"/events/{event.slug}/").status_code == 404
    assert "Moldova water days" not in client.get("/events/").content.decode()
    assert c.get(f"/events/{event.slug}/").status_code == 200  # its organisers still see it

    services.organisation_verify(organisation=org, by=users["operator"], verified=True)
    assert client.get(f"/events/{event.slug}/").status_code == 200
    detail = client.get(f"/events/{event.slug}/").content.decode()
    assert 'Nova Cluster</a> <span class="verified" title="Verified by the platform operators">' in detail
    Event.objects.filter(pk=event.pk).update(status="draft")
    published = c.post(f"/events/{event.slug}/manage/edit/", _event_form(org, slug=event.slug))
    assert published.status_code == 302, published.content.decode()[:2000]
    assert Event.objects.get(pk=event.pk).status == "published"


def test_an_unconfirmed_email_address_publishes_nothing(demo, orgs):
    maria = demo.users["manager"]
    EmailAddress.objects.filter(user=maria).update(verified=False)
    c = _client(maria)
    page = c.post("/events/new/", _event_form(orgs["cluster"], title="Unconfirmed days")).content.decode()
    assert "Confirm your e-mail address first" in page
    assert not Event.objects.filter(title="Unconfirmed days").exists()
    assert not rules.has_perm("orgs.forward_to_members", maria, orgs["cluster"])
    EmailAddress.objects.filter(user=maria).update(verified=True)
    assert c.post("/events/new/", _event_form(orgs["cluster"], title="Unconfirmed days")).status_code == 302


def test_only_verified_public_buyers_publish_procurement_needs(client, demo, orgs, users):
    need = {
        "kind": "procurement_need",
        "title": "LED street lighting for Bălți",
        "summary": "About 2,000 LED luminaires with remote dimming.",
        "currency": "MDL",
        "expires": (timezone.localdate() + timedelta(days=100)).isoformat(),
    }
    # An SME is no public buyer.
    page = client_for_user(users["sme"]).post("/opportunities/new/", need).content.decode()
    assert "Procurement needs are published by public buyers" in page
    # A public procurer that registered a minute ago is not yet one either.
    olena = _person("olena@balti.example")
    c = _client(olena)
    balti = _register(c, "procurer", "Primăria Bălți")
    page = c.post("/opportunities/new/", need).content.decode()
    assert f"Primăria Bălți {PENDING_WORDS}" in page
    assert not Opportunity.objects.filter(title=need["title"]).exists()
    # Nor anything else under its name until verified: the rule is one, orgs.publish_as.
    offer = {**need, "kind": "business_request", "title": "Partners for street lighting"}
    assert PENDING_WORDS in c.post("/opportunities/new/", offer).content.decode()
    # Once verified, it publishes, and everyone sees the need in the marketplace.
    services.organisation_verify(organisation=balti, by=users["operator"], verified=True)
    assert c.post("/opportunities/new/", need).status_code == 302
    created = Opportunity.objects.get(title=need["title"])
    assert client.get(f"/opportunities/{created.pk}/").status_code == 200
    assert "LED street lighting for Bălți" in client.get("/opportunities/?kind=procurement_need").content.decode()
    # Refused later: its needs leave the marketplace (and its owner is told why it cannot publish).
    services.organisation_verify(organisation=balti, by=users["operator"], verified=False, note="Not a municipality.")
    assert client.get(f"/opportunities/{created.pk}/").status_code == 404
    assert "LED street lighting" not in client.get("/api/v1/opportunities?kind=procurement_need").content.decode()
    assert c.get(f"/opportunities/{created.pk}/").status_code == 200
    assert publishing_refused(olena, balti, procurement_need=True) == (
        "The platform operators did not verify Primăria Bălți, so it cannot publish. Not a municipality. "
        "Change its profile as their note asks and save it: it goes back to them to verify."
    )
    with pytest.raises(Exception, match="did not verify"):
        opportunity_save(data={"title": "Again"}, opportunity=created, user=olena)


def client_for_user(user) -> Client:
    return _client(user)


def test_an_unverified_cluster_forwards_nothing(demo, orgs, users):
    nova = services.organisation_create(name="Nova Cluster", kind="cluster", country="MD", admin=users["advisor"])
    services.membership_set(user=users["advisor"], organisation=nova, role="manager")
    services.cluster_member_add(cluster=nova, member=orgs["other_sme"])
    notice = make_notice("mains", title="Water mains", cpv_codes=["45232150"], deadline=timezone.now() + timedelta(1))
    advisor = _client(users["advisor"])
    refused = advisor.get(f"/inbox/{nova.slug}/forward/{notice.pk}/")
    assert refused.status_code == 403
    assert "Nova Cluster is awaiting verification by the platform operators" in refused.content.decode()
    # Someone else's cluster: only no.
    other = _client(users["sme"]).get(f"/inbox/{nova.slug}/forward/{notice.pk}/").content.decode()
    assert "whose data you have no access to" in other
    assert "awaiting verification" not in other
    body = {"cluster": nova.slug, "notice_id": notice.pk, "members": [orgs["other_sme"].slug]}
    assert advisor.post("/api/v1/forwards", body, content_type="application/json").status_code == 403
    with pytest.raises(matching_services.ForwardRefused, match="awaiting verification"):
        matching_services.notice_forward(cluster=nova, members=[orgs["other_sme"]], notice=notice)
    with pytest.raises(matching_services.ForwardRefused, match="awaiting verification"):
        matching_services.watch_save(
            organisation=nova,
            user=users["advisor"],
            data={"cpv_codes": ["45232150"], "forward_to": [orgs["other_sme"].pk]},
            name="W",
        )
    # A cluster watch set up while verified sends nothing once the cluster's verification is withdrawn.
    services.organisation_verify(organisation=nova, by=users["operator"], verified=True)
    watch = matching_services.watch_save(
        organisation=nova,
        user=users["advisor"],
        data={"cpv_codes": ["45232150"], "forward_to": [orgs["other_sme"].pk]},
        name="W",
    )
    services.organisation_verify(organisation=nova, by=users["operator"], verified=False, note="Unknown cluster.")
    make_notice("mains-2", title="More water mains", cpv_codes=["45232150"], deadline=timezone.now() + timedelta(2))
    matching_services.alerts_match()
    assert watch.matches.filter(notice__source_id="mains-2").exists()  # it still finds notices for itself
    assert not Forward.objects.filter(cluster=nova).exists()


def test_operators_verify_or_refuse_and_the_organisations_admins_are_told(
    client, demo, users, django_capture_on_commit_callbacks
):
    dana = _person("dana@nova.example")
    nova = _register(_client(dana), "bso", "Nova Business Support")
    balti = _register(_client(_person("olena@balti.example")), "procurer", "Primăria Bălți")
    operator = _client(users["operator"])
    page = operator.get("/orgs/verification/").content.decode()
    assert page.index("Nova Business Support") < page.index("Primăria Bălți")  # oldest first
    assert "dana@nova.example" in page  # who registered it, to check the domain
    assert "Danube Green Tech Cluster" not in page.split("Latest decisions")[0]  # verified already
    # Refusing needs a reason.
    operator.post(f"/orgs/verification/{balti.slug}/", {"decision": "refuse", "note": ""})
    balti.refresh_from_db()
    assert balti.verification == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(f"/orgs/verification/{nova.slug}/", {"decision": "verify"})
    assert response.status_code == 302
    nova.refresh_from_db()
    assert (nova.verification, nova.verified_by) == ("verified", users["operator"])
    (message,) = mail.outbox
    assert message.to == ["dana@nova.example"]
    assert message.subject == "Nova Business Support is verified on GreenBridge"
    assert "Its pages now show a “verified” badge" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        operator.post(
            f"/orgs/verification/{balti.slug}/", {"decision": "refuse", "note": "No municipality of that name."}
        )
    assert mail.outbox[1].subject == "Primăria Bălți was not verified on GreenBridge"
    assert "Their note: No municipality of that name." in mail.outbox[1].body
    assert "Change its profile as their note asks and save it: it goes back to them to verify." in mail.outbox[1].body
    after = operator.get("/orgs/verification/").content.decode()
    assert "No organisation is waiting" in after
    assert "No municipality of that name." in after.split("Latest decisions")[1]
    # The badge, on the organisation's page, for everyone.
    assert (
        '<span class="verified" title="Verified by the platform operators">'
        in client.get(f"/orgs/{nova.slug}/").content.decode()
    )
    # Nobody else decides: not the organisation's own people, not a cluster manager.
    for role in ("manager", "sme"):
        assert _client(users[role]).post(f"/orgs/verification/{balti.slug}/", {"decision": "verify"}).status_code == 403
    assert _client(dana).post(f"/orgs/verification/{nova.slug}/", {"decision": "verify"}).status_code == 403


def test_the_admin_action_verifies_through_the_same_service(demo, users, django_capture_on_commit_callbacks):
    nova = _register(_client(_person("dana@nova.example")), "cluster", "Nova Cluster")
    sme = demo.orgs["sme"]
    operator = _client(users["operator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            "/admin/orgs/organisation/", {"action": "verify", "_selected_action": [nova.pk, sme.pk]}
        )
    assert response.status_code == 302
    nova.refresh_from_db()
    sme.refresh_from_db()
    assert nova.verification == "verified"
    assert sme.verification == "pending"  # an SME needs no verification: left alone
    assert [m.subject for m in mail.outbox] == ["Nova Cluster is verified on GreenBridge"]


def test_a_verified_organisation_that_changes_name_or_kind_is_verified_again(demo, orgs, users):
    cluster = orgs["cluster"]
    services.organisation_update(organisation=cluster, city="Brăila")
    assert Organisation.objects.get(pk=cluster.pk).verification == "verified"
    services.organisation_update(organisation=cluster, name="Ministry of Environment")
    assert Organisation.objects.get(pk=cluster.pk).verification == "pending"
    sme = orgs["sme"]
    services.organisation_verify(organisation=sme, by=users["operator"], verified=True)
    services.organisation_update(organisation=sme, kind="procurer")
    assert Organisation.objects.get(pk=sme.pk).verification == "pending"


def test_existing_organisations_of_those_kinds_become_verified_by_the_migration(db):
    migration = importlib.import_module("greenbridge.orgs.migrations.0002_organisation_verification")
    cluster = Organisation.objects.create(name="Old cluster", slug="old-cluster", kind="cluster", country="RO")
    buyer = Organisation.objects.create(name="Old buyer", slug="old-buyer", kind="procurer", country="MD")
    sme = Organisation.objects.create(name="Old SME", slug="old-sme", kind="sme", country="MD")
    migration.verify_existing(django_apps, None)
    found = dict(Organisation.objects.values_list("slug", "verification"))
    assert (found[cluster.slug], found[buyer.slug], found[sme.slug]) == ("verified", "verified", "pending")


def test_typed_event_languages_become_codes_by_the_migration(demo):
    migration = importlib.import_module("greenbridge.events.migrations.0003_event_languages_as_codes_meeting_length")
    Event.objects.filter(pk=demo.event.pk).update(languages=["English", "Romanian", "[]", "Gagauz dialect", "ro"])
    migration.languages_as_codes(django_apps, None)
    assert Event.objects.get(pk=demo.event.pk).languages == ["en", "ro", "Gagauz dialect"]


def test_a_refused_organisation_asks_again_by_changing_its_profile(demo, users):
    """Refused ("please send your statutes"), it had no way back but a new name or kind. Through the profile's
    page, as its people do: saved unchanged it stays refused; changed, it goes back to the operators."""
    from tests.conftest import form_data

    olena = _person("olena@balti.example")
    balti = _register(_client(olena), "procurer", "Primăria Bălți")
    services.organisation_verify(organisation=balti, by=users["operator"], verified=False, note="Give your website.")
    client, url = _client(olena), f"/orgs/{balti.slug}/edit/"
    drawn = form_data(client.get(url).content.decode())
    assert client.post(url, drawn).status_code == 302
    assert Organisation.objects.get(pk=balti.pk).verification == "refused"
    assert client.post(url, {**drawn, "website": ["https://balti.md"]}).status_code == 302
    balti.refresh_from_db()
    assert (balti.verification, balti.verified_by, balti.website) == ("pending", None, "https://balti.md")
