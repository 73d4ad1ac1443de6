"""A cluster sends notices on to its members: by hand (the members whose profile fits come first), or
through a cluster watch; members get them in their inbox and by e-mail, once; the API does the same."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from greenbridge.matching import services
from greenbridge.matching.models import Forward
from greenbridge.orgs.services import organisation_create
from tests.conftest import make_notice


@pytest.fixture
def mains(db):
    # AquaPure (the demo SME, a member that shares its data) lists 45232150 among its CPV codes.
    return make_notice(
        "md-mains",
        title="Rehabilitation of water mains in Ungheni",
        buyer_name="Primăria Ungheni",
        buyer_country="MD",
        cpv_codes=["45232150"],
        deadline=timezone.now() + timedelta(days=20),
    )


def test_staff_forward_a_notice_to_the_members_it_fits_with_a_note(client_for, orgs, users, mains):
    manager = client_for("manager")
    url = f"/inbox/{orgs['cluster'].slug}/forward/{mains.pk}/"
    page = manager.get(url).content.decode()
    # The member whose profile the notice fits is first and ticked, with why; the other is not ticked.
    aqua, helios = page.index(orgs["sme"].name), page.index(orgs["other_sme"].name)
    assert aqua < helios
    assert f'value="{orgs["sme"].pk}" id="member-{orgs["sme"].pk}" checked' in page
    assert f'value="{orgs["other_sme"].pk}" id="member-{orgs["other_sme"].pk}">' in page
    assert "the same code as yours" in page

    response = manager.post(url, {"members": [orgs["sme"].pk], "note": "Worth a look: they buy every year."})
    assert response.status_code == 302
    forward = Forward.objects.get()
    assert (forward.cluster, forward.member, forward.notice, forward.by) == (
        orgs["cluster"],
        orgs["sme"],
        mains,
        users["manager"],
    )
    assert forward.emailed is not None
    (message,) = mail.outbox
    assert message.to == [users["sme"].email]
    assert orgs["cluster"].name in message.subject
    assert "Worth a look: they buy every year." in message.body
    assert "Rehabilitation of water mains in Ungheni" in message.alternatives[0][0]

    # The member finds it in its inbox, with who sent it and the note, and can mark and star it.
    inbox = client_for("sme").get(f"/inbox/?org={orgs['sme'].slug}").content.decode()
    assert "Forwarded by your cluster" in inbox
    assert "Worth a look: they buy every year." in inbox
    assert f"/inbox/{orgs['sme'].slug}/mark/{mains.pk}/" in inbox

    # Forwarding it again sends nothing twice.
    manager.post(url, {"members": [orgs["sme"].pk]})
    assert Forward.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "already forwarded" in manager.get(url).content.decode()


def test_only_members_of_the_cluster_can_receive(client_for, orgs, users, mains):
    stranger = organisation_create(name="Not A Member SRL", kind="sme", country="RO", admin=users["procurer"])
    response = client_for("manager").post(
        f"/inbox/{orgs['cluster'].slug}/forward/{mains.pk}/", {"members": [stranger.pk]}
    )
    assert response.status_code == 400
    assert "not members of" in response.content.decode()
    response = client_for("manager").post(f"/inbox/{orgs['cluster'].slug}/forward/{mains.pk}/", {})
    assert "choose at least one member" in response.content.decode()
    assert not Forward.objects.exists()
    assert not mail.outbox


def test_a_cluster_watch_forwards_its_new_matches_to_the_chosen_members(orgs, users):
    old = make_notice("old", title="Water mains, older notice", buyer_country="MD", cpv_codes=["45232150"])
    watch = services.watch_save(
        organisation=orgs["cluster"],
        user=users["manager"],
        data={"cpv_codes": ["45232000"], "forward_to": [orgs["sme"].pk]},
        name="Water networks for members",
    )
    assert list(watch.forward_to.all()) == [orgs["sme"]]
    services.alerts_run()  # the notice older than the watch goes to the cluster's inbox, not to members
    assert not Forward.objects.exists()

    new = make_notice(
        "new",
        title="Sewer and water mains in Bălți",
        buyer_country="MD",
        cpv_codes=["45232150"],
        deadline=timezone.now() + timedelta(days=15),
    )
    services.alerts_run()
    forward = Forward.objects.get()
    assert (forward.member, forward.notice, forward.watch, forward.by) == (orgs["sme"], new, watch, None)
    forwarded = [m for m in mail.outbox if users["sme"].email in m.to]
    assert len(forwarded) == 1
    assert "Water networks for members" in forwarded[0].body
    services.alerts_run()
    assert Forward.objects.count() == 1
    assert old.pk not in Forward.objects.values_list("notice_id", flat=True)


def test_a_watch_forwards_only_to_members_of_its_own_cluster(orgs, users):
    with pytest.raises(services.ForwardRefused, match="not a cluster"):
        services.watch_save(
            organisation=orgs["sme"],
            user=users["sme"],
            data={"cpv_codes": ["45232000"], "forward_to": [orgs["other_sme"].pk]},
            name="x",
        )


def test_the_editor_offers_forwarding_for_a_cluster_watch_only(client_for, orgs):
    cluster_editor = client_for("manager").get(f"/watches/new/{orgs['cluster'].slug}/").content.decode()
    assert "Forward new matches to these members" in cluster_editor
    assert orgs["sme"].name in cluster_editor
    sme_editor = client_for("sme").get(f"/watches/new/{orgs['sme'].slug}/").content.decode()
    assert "Forward new matches" not in sme_editor


def test_a_failing_smtp_server_keeps_forwards_for_the_next_run(client_for, orgs, mains, monkeypatch):
    def down(*args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr(services, "send_forwards", down)
    client_for("manager").post(f"/inbox/{orgs['cluster'].slug}/forward/{mains.pk}/", {"members": [orgs["sme"].pk]})
    forward = Forward.objects.get()
    assert forward.emailed is None
    assert forward.failures == 1
    monkeypatch.undo()
    assert services.alerts_deliver()["forward_emails"] == 1
    forward.refresh_from_db()
    assert forward.emailed is not None


def test_the_api_forwards_and_lists(client_for, orgs, mains):
    body = {"cluster": orgs["cluster"].slug, "members": [orgs["sme"].slug], "notice_id": mains.pk, "note": "Look"}
    as_json = {"content_type": "application/json"}
    assert client_for("sme").post("/api/v1/forwards", json.dumps(body), **as_json).status_code == 403
    bad = client_for("manager").post("/api/v1/forwards", json.dumps({**body, "members": ["nobody-here"]}), **as_json)
    assert bad.status_code == 422
    assert "no organisation nobody-here" in bad.content.decode()
    created = client_for("advisor").post("/api/v1/forwards", json.dumps(body), **as_json)
    assert created.status_code == 201
    assert created.json()[0]["member"] == orgs["sme"].slug
    listed = client_for("sme").get("/api/v1/forwards").json()
    assert [(f["notice_id"], f["note"], f["cluster"]) for f in listed] == [(mains.pk, "Look", orgs["cluster"].slug)]
    assert client_for("other_sme").get("/api/v1/forwards").json() == []
