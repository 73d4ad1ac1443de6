"""One typo stops alerts for no one (issue 11): a watch value typed wrong is refused in plain words; a value
stored before the bounds existed shows as empty instead of failing every page that loads its row; and every
batch job skips (logs, counts, reports) the one record it cannot handle and goes on with the others."""

import json
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from greenbridge.matching import services
from greenbridge.matching.models import Forward, Match, MatchEvent, MatchRun, Subscription, Watch, WebhookDelivery
from greenbridge.partnering.models import Opportunity, Partnership
from greenbridge.tenders.models import IngestRun, Notice
from greenbridge.tenders.services import notices_ingest
from tests.matching.test_alerts import WATER, hook_server, meter_notice  # noqa: F401 (hook_server: a fixture)

pytestmark = pytest.mark.django_db


def impossible_values() -> list[str]:
    """SQL literals a database kept before the bounds existed: SQLite stores any number it is given (1e20
    does not fit NUMERIC(20, 2), 9e999 is infinity); PostgreSQL refuses those, but keeps NaN."""
    return ["1e20", "9e999"] if connection.vendor == "sqlite" else ["'NaN'"]


def store(model, pk: int, field: str, sql_literal: str) -> None:
    """Write a value straight into the database, as an older version of GreenBridge could."""
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET {column} = {sql_literal} WHERE id = %s", [pk])  # noqa: S608 (test literal)


@pytest.fixture
def watch(users, orgs):
    return services.watch_save(organisation=orgs["sme"], user=users["sme"], data=WATER, name="Meters")


# -- typed values are refused at the boundary ----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["99999999999999999999", "1e309", "NaN", "Infinity", "-5", "10.555"])
def test_a_typo_in_a_watch_value_is_refused_in_plain_words_by_the_editor_and_the_api(client_for, orgs, typed):
    sme = client_for("sme")
    form = {"name": "Meters", "keywords": "water meters", "min_score": "0.3", "frequency": "daily"}
    page = sme.post(f"/watches/new/{orgs['sme'].slug}/", {**form, "value_min": typed})
    assert page.status_code == 200
    assert "Enter an amount from 0 to 9,999,999,999,999.99, with at most two decimals." in page.content.decode()
    body = {"organisation": orgs["sme"].slug, "name": "Pumps", "keywords": ["pumps"], "value_max": typed}
    response = sme.post("/api/v1/watches", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "value_max"]
    assert not Watch.objects.exists()
    long_url = {"webhook_url": "https://hooks.example/" + "x" * 500}  # the column holds 500 characters
    assert (
        "Ensure this value has at most 500 characters"
        in sme.post(f"/watches/new/{orgs['sme'].slug}/", {**form, **long_url}).content.decode()
    )
    assert sme.post(f"/watches/new/{orgs['sme'].slug}/", {**form, "value_min": "1 500 000"}).status_code == 302
    assert Watch.objects.get().value_min == Decimal("1500000")


# -- rows stored before the bounds: pages degrade, nothing fails ---------------------------------------------


@pytest.mark.parametrize("role", ["sme", "manager"])  # the manager sees the watches its members share
def test_a_watch_stored_with_an_impossible_value_still_shows_alerts_and_can_be_deleted(watch, client_for, role, caplog):
    meter_notice()
    for literal in impossible_values():
        store(Watch, watch.pk, "value_min", literal)
        client = client_for(role)
        with caplog.at_level(logging.WARNING, logger="greenbridge.core.bounds"):
            assert "Meters" in client.get("/watches/").content.decode()
            assert client.get(f"/watches/{watch.pk}/").status_code == 200
            assert client.get(f"/inbox/watch/{watch.pk}/").status_code == 200
            assert client.get("/inbox/").status_code == 200
            assert client.get(f"/api/v1/watches/{watch.pk}").json()["value_min"] is None
        assert "matching.Watch.value_min holds" in caplog.text
        assert "read as empty" in caplog.text
        assert Watch.objects.get(pk=watch.pk).value_min is None
    counts = services.alerts_run()  # was decimal.InvalidOperation, for every watch
    assert counts["events"] == 1
    assert len(mail.outbox) == 1
    response = client_for(role).post(f"/watches/{watch.pk}/delete/")
    assert response.status_code == 302
    assert not Watch.objects.filter(pk=watch.pk).exists()


def test_a_notice_stored_with_an_impossible_value_shows_without_it(watch, client_for):
    notice = meter_notice(value_amount=Decimal("125000"), value_currency="EUR")
    for literal in impossible_values():
        store(Notice, notice.pk, "value_amount", literal)
        client = client_for("sme")
        assert client.get(f"/notices/{notice.pk}/").status_code == 200
        assert "Supply of water meters" in client.get("/notices/?q=meters").content.decode()
        assert client.get("/api/v1/notices?q=meters").json()["results"][0]["value_amount"] is None
        assert client.get(f"/api/v1/notices/{notice.pk}").json()["value_amount"] is None
    counts = services.alerts_run()
    assert (counts["events"], counts["skipped_notices"]) == (1, 0)
    assert client_for("sme").get(f"/inbox/watch/{watch.pk}/").status_code == 200


def test_an_opportunity_or_partnership_stored_with_an_impossible_amount_shows_without_it(demo, client_for):
    opportunity = Opportunity.objects.filter(anonymous=False).order_by("pk").first()
    partnership = Partnership.objects.get()
    for literal in impossible_values():
        store(Opportunity, opportunity.pk, "budget", literal)
        store(Partnership, partnership.pk, "value", literal)
        sme = client_for("sme")
        assert sme.get("/opportunities/").status_code == 200
        assert sme.get(f"/opportunities/{opportunity.pk}/").status_code == 200
        api = sme.get(f"/api/v1/opportunities/{opportunity.pk}")
        assert (api.status_code, api.json()["budget"]) == (200, None)
        assert sme.get("/partnerships/").status_code == 200
        assert sme.get(f"/partnerships/{partnership.pk}/").status_code == 200
        assert sme.get("/api/v1/partnerships").json()[0]["value"] is None


# -- batch jobs: one bad record is skipped, counted and reported ---------------------------------------------


def test_the_alert_run_skips_a_damaged_watch_and_a_damaged_notice_and_alerts_the_rest(watch, users, orgs):
    damaged = services.watch_save(organisation=orgs["sme"], user=users["sme"], data=WATER, name="Old meters")
    Watch.objects.filter(pk=damaged.pk).update(keywords={"water": "meters"})  # not a list: saved by an old version
    good = meter_notice("good")
    bad = meter_notice("bad", title="Water meters, lot list damaged")
    Notice.objects.filter(pk=bad.pk).update(lots=["not a lot"], updated=timezone.now())
    out = _command("alerts", "run")
    run = MatchRun.objects.get()
    assert (run.notices, run.skipped_watches, run.skipped_notices) == (1, 1, 1)
    assert run.problems == [
        f"watch {damaged.pk} (Old meters): keywords: must be a list",
        f"notice {bad.pk}: AttributeError(\"'str' object has no attribute 'get'\")",
    ]
    assert list(MatchEvent.objects.values_list("watch_id", "match__notice_id")) == [(watch.pk, good.pk)]
    assert len(mail.outbox) == 1
    assert "1 notices read, matched against 1 watches: 1 new matches, 1 alerts; 1 e-mails sent (0 failed)" in out
    assert "Skipped 1 watches and 1 notices that could not be matched (the others were):" in out
    assert f"  notice {bad.pk}: AttributeError" in out


def test_a_digest_to_an_address_that_cannot_be_sent_to_blocks_no_one(watch, users, orgs):
    other = services.watch_save(organisation=orgs["sme"], user=users["advisor"], data=WATER, name="Advisor's")
    # An address saved before it was validated (a line break: no mail header may hold it).
    type(users["sme"]).objects.filter(pk=users["sme"].pk).update(email="ana@example.com\nBcc: all@example.com")
    meter_notice()
    counts = services.alerts_run()
    assert (counts["emails"], counts["email_failures"]) == (1, 1)
    failed = Subscription.objects.get(watch=watch)
    assert "newlines" in failed.last_error
    assert (failed.cursor, failed.failures) == (0, 1)  # tried again on the next run
    assert Subscription.objects.get(watch=other).cursor > 0
    assert [m.to for m in mail.outbox] == [[users["advisor"].email]]


def test_a_webhook_with_a_damaged_address_blocks_no_other_webhook(watch, users, orgs, hook_server):  # noqa: F811
    good = services.watch_save(
        organisation=orgs["sme"], user=users["sme"], data={**WATER, "webhook_url": hook_server}, name="Hooked"
    )
    Watch.objects.filter(pk=watch.pk).update(webhook_url="http://[::1/hook")  # stored by an old version
    notice = meter_notice()
    # A reason stored by another version of the engine: left out of the payload, not the end of it.
    services.alerts_match()
    Match.objects.filter(watch=good).update(
        explanation=[{"kind": "translation", "words": ["éclairage", "освітлення"]}, {"kind": "status"}]
    )
    counts = services.alerts_deliver()
    assert (counts["webhooks"], counts["webhook_failures"]) == (1, 1)
    delivered = WebhookDelivery.objects.get(watch=good)
    assert delivered.status == WebhookDelivery.Status.DELIVERED
    payload = json.loads(delivered.payload)
    assert payload["events"][0]["notice"]["source_id"] == notice.source_id
    assert [r["text"] for r in payload["events"][0]["explanation"]] == ["The procedure was cancelled"]
    failed = WebhookDelivery.objects.get(watch=watch)
    assert (failed.status, failed.attempts) == (WebhookDelivery.Status.PENDING, 1)
    assert "Invalid IPv6 URL" in failed.error


def test_a_forward_to_a_member_that_cannot_be_emailed_blocks_no_other_member(users, orgs):
    notice = meter_notice()
    services.notice_forward(cluster=orgs["cluster"], members=[orgs["sme"], orgs["other_sme"]], notice=notice)
    type(users["sme"]).objects.filter(pk=users["sme"].pk).update(email="ana@example.com\nBcc: all@example.com")
    counts = services.forwards_deliver()
    assert (counts["forward_emails"], counts["forward_failures"]) == (1, 1)
    assert Forward.objects.get(member=orgs["other_sme"]).emailed is not None
    failed = Forward.objects.get(member=orgs["sme"])
    assert (failed.emailed, failed.failures) == (None, 1)
    assert [m.to for m in mail.outbox] == [[users["other_sme"].email]]


def test_events_tick_sends_the_reminders_it_can_and_counts_the_others(demo, users):
    from greenbridge.events.models import Registration
    from greenbridge.events.services import events_tick

    event = demo.event
    registrations = list(event.registrations.filter(status=Registration.Status.APPROVED).select_related("user"))
    assert len(registrations) == 2
    bad, good = registrations
    type(bad.user).objects.filter(pk=bad.user.pk).update(email="x@example.com\nBcc: all@example.com")
    counts = events_tick(now=event.starts - timedelta(days=1))
    assert (counts["reminders"], counts["reminder_failures"]) == (1, 1)
    assert [m.to for m in mail.outbox] == [[good.user.email]]
    assert Registration.objects.get(pk=bad.pk).reminded is None  # tried again on the next run
    assert Registration.objects.get(pk=good.pk).reminded is not None


def test_ingestion_keeps_the_notices_it_can_and_rejects_the_item_it_cannot_read(data_dir, tmp_path):
    package = json.loads((data_dir / "ocds" / "ukraine" / "prozorro_release_package_2_releases.json").read_text())
    tender, contract = package["releases"]
    tender["tender"]["value"]["amount"] = 1e25  # a typo at the source
    tender["tender"]["tenderPeriod"]["endDate"] = "9999-03-02T16:00:00+02:00"
    contract["tag"] = 5  # a shape the mapping did not foresee (was TypeError: the end of the run): now read
    package["releases"].append(5)  # not a release at all: rejected alone
    path = tmp_path / "typos.json"
    path.write_text(json.dumps(package))
    run = notices_ingest(connector="ocds", location=str(path), source="prozorro")
    assert (run.status, run.read, run.created, run.rejected) == (IngestRun.Status.DONE, 3, 2, 1)
    assert run.rejections == [
        {"position": f"{path}:releases[2]", "reason": "releases[2] is not a JSON object (found a number)"}
    ]
    notice = Notice.objects.get(ocid=tender["ocid"])
    assert (notice.value_amount, notice.value_currency, notice.deadline) == (None, "UAH", None)
    assert notice.title.startswith("33140000-3 Медичні матеріали")


def _command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
