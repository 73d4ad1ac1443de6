"""Watches, inbox and alerts end to end: the editor, marks and stars, the alert run after ingestion, e-mail
digests with one-click unsubscribe, feeds, webhooks with signatures and retries, the API, and who may do what."""

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from greenbridge.matching import services
from greenbridge.matching.models import Mark, Match, MatchEvent, Subscription, Watch, WebhookDelivery
from greenbridge.tenders.models import Notice
from tests.conftest import form_data, make_notice

WATER = {"cpv_codes": ["38421100"], "keywords": ["water meters", "contoare de apă"]}


@pytest.fixture
def watch(users, orgs):
    return services.watch_save(organisation=orgs["sme"], user=users["sme"], data=WATER, name="Meters")


def meter_notice(source_id="m1", **fields):
    fields.setdefault("title", "Supply of water meters for Chișinău")
    fields.setdefault("buyer_country", "MD")
    fields.setdefault("cpv_codes", ["38421100"])
    fields.setdefault("deadline", timezone.now() + timedelta(days=30))
    return make_notice(source_id, **fields)


def touch(notice: Notice, **fields) -> None:
    for k, v in fields.items():
        setattr(notice, k, v)
    notice.save()  # updated = now: the next alert run reads it


def test_a_new_notice_is_alerted_once_and_a_change_once(watch, users):
    notice = meter_notice()
    services.alerts_run()
    assert MatchEvent.objects.filter(watch=watch, kind="new").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Supply of water meters" in message.body
    assert "“water meters” in the title" in message.body
    html = message.alternatives[0][0]
    assert "Supply of water meters" in html
    sub = Subscription.objects.get(watch=watch, user=users["sme"])
    assert f"/alerts/unsubscribe/{sub.token}/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert services.alerts_run()["watches"] == 1  # nothing new: nothing sent
    assert len(mail.outbox) == 1
    touch(notice, deadline=notice.deadline + timedelta(days=7))
    Subscription.objects.filter(pk=sub.pk).update(last_sent=timezone.now() - timedelta(days=2))  # a day later
    services.alerts_run()
    change = MatchEvent.objects.get(watch=watch, kind="change")
    assert change.changes[0]["field"] == "deadline"
    assert len(mail.outbox) == 2
    assert "CHANGED" in mail.outbox[1].body
    touch(notice, status="cancelled")  # a second change is not sent again
    Subscription.objects.filter(pk=sub.pk).update(last_sent=timezone.now() - timedelta(days=2))  # a day later
    services.alerts_run()
    assert MatchEvent.objects.filter(watch=watch).count() == 2
    assert len(mail.outbox) == 2


def test_a_run_with_no_watch_counts_the_notices_that_arrived_and_moves_on(db):
    """Before anyone has a watch the runs still say what came in (the operator's dashboard lists them)."""
    meter_notice("a")
    meter_notice("b")
    first = services.alerts_match()
    assert (first.watches, first.notices, first.matches, first.events) == (0, 2, 0, 0)
    assert services.alerts_match().notices == 0
    meter_notice("c")
    assert services.alerts_match().notices == 1


def test_the_inbox_shows_the_newest_day_first_and_the_best_first_within_a_day(watch, users, orgs, client_for):
    """A watch's backlog is matched in one go: within that day the best match leads, whatever order the matcher
    wrote them in; what arrived on a later day comes before it."""
    Match.objects.filter(watch=watch).delete()
    weak, strong, older = (meter_notice(f"order-{n}", title=f"Order notice {n}") for n in ("weak", "strong", "older"))
    Match.objects.create(watch=watch, notice=strong, score=0.92)
    Match.objects.create(watch=watch, notice=weak, score=0.31)  # written last: the newest by the time of day
    yesterday = Match.objects.create(watch=watch, notice=older, score=0.99)
    Match.objects.filter(pk=yesterday.pk).update(created=timezone.now() - timedelta(days=1))
    page = client_for("sme").get("/inbox/").content.decode()
    positions = [page.index(f"Order notice {n}") for n in ("strong", "weak", "older")]
    assert positions == sorted(positions)
    # "Open for bids only": a notice whose deadline has passed is left out (a cluster's inbox held 2008's).
    Notice.objects.filter(pk=older.pk).update(deadline=timezone.now() - timedelta(days=3))
    page = client_for("sme").get("/inbox/", {"open": "on"}).content.decode()
    assert "Order notice strong" in page
    assert "Order notice older" not in page
    assert 'name="open" checked' in page


def test_notices_older_than_the_watch_go_to_the_inbox_not_to_email(users, orgs):
    meter_notice("old")
    services.alerts_run()
    watch = services.watch_save(organisation=orgs["sme"], user=users["sme"], data=WATER, name="Meters")
    assert Match.objects.filter(watch=watch).count() == 1  # backfilled
    services.alerts_run()
    assert not mail.outbox
    assert not MatchEvent.objects.exists()


def test_daily_digests_wait_a_day_and_a_failing_smtp_server_blocks_no_one(watch, users, orgs, monkeypatch):
    other = services.watch_save(organisation=orgs["sme"], user=users["advisor"], data=WATER, name="Advisor's")
    meter_notice()
    calls = []
    real = services.send_digest

    def flaky(sub, events, more=0):
        calls.append(sub.user_id)
        if sub.watch_id == watch.pk:
            raise OSError("SMTP server unreachable")
        return real(sub, events, more)

    monkeypatch.setattr(services, "send_digest", flaky)
    counts = services.alerts_run()
    assert counts["emails"] == 1
    assert counts["email_failures"] == 1
    failed = Subscription.objects.get(watch=watch)
    assert "SMTP server unreachable" in failed.last_error
    assert failed.cursor == 0  # retried next run
    assert Subscription.objects.get(watch=other).cursor > 0
    monkeypatch.setattr(services, "send_digest", real)
    services.alerts_run()
    assert Subscription.objects.get(watch=watch).cursor > 0
    meter_notice("m2", title="More water meters")
    services.alerts_run()  # daily: the second notice waits for tomorrow's digest
    assert len(mail.outbox) == 2


class _Hook(BaseHTTPRequestHandler):
    received: list = []
    fail_first = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append((dict(self.headers), body))
        status = 500 if _Hook.fail_first > 0 else 204
        _Hook.fail_first -= 1
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook_server(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


def test_webhooks_are_signed_retried_with_back_off_and_logged(watch, hook_server):
    watch.webhook_url = hook_server
    watch.save()
    _Hook.fail_first = 1
    meter_notice()
    services.alerts_run()
    delivery = WebhookDelivery.objects.get(watch=watch)
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert delivery.response_code == 500
    assert delivery.next_attempt > timezone.now()
    services.alerts_deliver(now=delivery.next_attempt + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    headers, body = _Hook.received[-1]
    expected = "sha256=" + hmac.new(watch.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Greenbridge-Signature"] == expected
    payload = json.loads(body)
    assert payload["events"][0]["notice"]["title"] == "Supply of water meters for Chișinău"
    assert payload["events"][0]["explanation"][0]["text"].startswith("CPV 38421100")


def test_webhooks_to_private_addresses_are_refused_by_default(watch):
    watch.webhook_url = "http://127.0.0.1:9/hook"
    watch.save()
    meter_notice()
    services.alerts_run()
    delivery = WebhookDelivery.objects.get(watch=watch)
    assert "private or local address" in delivery.error


def test_one_click_unsubscribe_needs_no_login(watch, client):
    sub = watch.subscriptions.get()
    page = client.get(f"/alerts/unsubscribe/{sub.token}/")
    assert page.status_code == 200
    sub.refresh_from_db()
    assert sub.frequency == "daily"  # a GET (a link scanner) changes nothing
    client.post(f"/alerts/unsubscribe/{sub.token}/")
    sub.refresh_from_db()
    assert sub.frequency == "off"


def test_feed_and_calendar(watch, client, users):
    notice = meter_notice()
    services.alerts_run()
    atom = client.get(f"/alerts/feed/{watch.feed_token}.atom").content.decode()
    assert "Supply of water meters" in atom
    services.star_toggle(user=users["sme"], notice=notice)
    from greenbridge.matching.models import CalendarFeed

    token = CalendarFeed.objects.create(user=users["sme"]).token
    ics = client.get(f"/alerts/calendar/{token}.ics").content.decode()
    assert "BEGIN:VEVENT" in ics
    assert "Supply of water meters" in ics


def test_editor_suggests_from_the_profile_saves_and_previews(client_for, orgs):
    orgs["sme"].cpv_codes = ["38421100"]
    orgs["sme"].nace_codes = ["36.00"]
    orgs["sme"].save()
    meter_notice()
    sme = client_for("sme")
    page = sme.get(f"/watches/new/{orgs['sme'].slug}/").content.decode()
    # its CPV codes and those of NACE 36, each a ticked box with its label
    assert form_data(page, "watch-form")["cpv_codes"] == ["38421100", "65100000", "45232150"]
    assert '<span class="chip__label" title="Water meters">Water meters</span>' in page
    form = {
        "name": "Meters",
        "cpv_codes": "38421100",
        "keywords": "water meters",
        "min_score": "0.3",
        "frequency": "weekly",
    }
    preview = sme.post("/watches/preview/", form, HTTP_HX_REQUEST="true").content.decode()
    assert "Supply of water meters" in preview
    assert "the same code as yours" in preview
    bad = sme.post("/watches/preview/", {**form, "cpv_codes": "", "keywords": ""}).content.decode()
    assert "would match every notice" in bad
    response = sme.post(f"/watches/new/{orgs['sme'].slug}/", form)
    watch = Watch.objects.get(name="Meters")
    assert response.status_code == 302
    assert watch.subscriptions.get().frequency == "weekly"
    inbox = sme.get(f"/inbox/watch/{watch.pk}/").content.decode()
    assert "Supply of water meters" in inbox
    refused = sme.post(f"/watches/new/{orgs['sme'].slug}/", {**form, "keywords": "water OR meter"})
    assert "each alternative as its own keyword" in refused.content.decode()


def test_marks_and_stars_are_the_organisations_own(watch, client_for, orgs):
    notice = meter_notice()
    url = f"/inbox/{orgs['sme'].slug}/mark/{notice.pk}/"
    assert client_for("other_sme").post(url, {"value": "will_bid"}).status_code == 403
    assert client_for("operator").post(url, {"value": "will_bid"}).status_code == 403
    assert client_for("sme").post(url, {"value": "will_bid"}).status_code == 302
    assert client_for("advisor").post(url, {"value": "bid_submitted"}).status_code == 302  # shares with cluster
    assert Mark.objects.get(organisation=orgs["sme"], notice=notice).value == "bid_submitted"
    assert client_for("sme").post(url, {"value": "maybe"}).status_code == 400
    assert "Why this matches you" in client_for("sme").get(f"/notices/{notice.pk}/").content.decode()
    page = client_for("other_sme").get(f"/notices/{notice.pk}/").content.decode()
    assert "Meters" not in page
    assert client_for("other_sme").post(f"/watches/{watch.pk}/delete/").status_code == 403
    assert client_for("other_sme").get(f"/inbox/watch/{watch.pk}/").status_code == 403


def test_a_notice_closed_years_ago_cannot_be_marked_will_bid(client_for, orgs):
    closed = meter_notice("old", deadline=datetime(2019, 3, 12, 10, tzinfo=UTC))  # source still says "active"
    sme = client_for("sme")
    url = f"/inbox/{orgs['sme'].slug}/mark/{closed.pk}/"
    refused = sme.post(url, {"value": "will_bid"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Bids for this notice closed on 12 March 2019: it cannot be marked “Will bid”." in refused
    assert 'role="alert"' in refused
    assert not Mark.objects.filter(notice=closed).exists()
    # Without JavaScript: back to the inbox with the same words.
    followed = sme.post(url, {"value": "will_bid"}, follow=True).content.decode()
    assert "Bids for this notice closed on 12 March 2019" in followed
    # The other marks stay sensible after the deadline: not relevant, bid submitted, won, lost.
    for value in ("not_relevant", "bid_submitted", "won", "lost", "relevant"):
        assert sme.post(url, {"value": value}).status_code == 302
        assert Mark.objects.get(notice=closed).value == value
    # A refused "Will bid" keeps the mark there was.
    assert "Saved" not in sme.post(url, {"value": "will_bid"}, HTTP_HX_REQUEST="true").content.decode()
    assert Mark.objects.get(notice=closed).value == "relevant"
    # The API says the same; a notice still open can be marked.
    body = {"organisation": orgs["sme"].slug, "notice_id": closed.pk, "value": "will_bid"}
    api = sme.post("/api/v1/marks", body, content_type="application/json")
    assert (api.status_code, api.json()["detail"]) == (
        422,
        "Bids for this notice closed on 12 March 2019: it cannot be marked “Will bid”.",
    )
    cancelled = meter_notice("cancelled", status="cancelled")
    body = {**body, "notice_id": cancelled.pk}
    assert "was cancelled" in sme.post("/api/v1/marks", body, content_type="application/json").json()["detail"]
    open_notice = meter_notice("open")
    assert sme.post(f"/inbox/{orgs['sme'].slug}/mark/{open_notice.pk}/", {"value": "will_bid"}).status_code == 302
    assert Mark.objects.get(notice=open_notice).value == "will_bid"


def test_marks_and_stars_go_back_only_to_this_site(client_for, orgs):
    notice = meter_notice()
    sme = client_for("sme")
    mark = f"/inbox/{orgs['sme'].slug}/mark/{notice.pk}/"
    assert sme.post(mark, {"value": "relevant", "next": "/inbox/?mark=relevant"})["Location"] == "/inbox/?mark=relevant"
    assert sme.post(mark, {"value": "relevant", "next": "https://evil.example/"})["Location"] == "/inbox/"
    assert sme.post(f"/stars/{notice.pk}/", {"next": "//evil.example/x"})["Location"] == "/inbox/"


def test_a_mark_or_star_drawn_again_keeps_the_page_it_is_on_as_next(client_for, orgs):
    """Saved by htmx, the form is drawn again: its button (for browsers without JavaScript) must still go back to the
    inbox, not to the mark's own address (a GET there is 405)."""
    notice = meter_notice()
    sme = client_for("sme")
    mark = f"/inbox/{orgs['sme'].slug}/mark/{notice.pk}/"
    drawn = sme.post(mark, {"value": "relevant", "next": "/inbox/?page=2"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="next" value="/inbox/?page=2"' in drawn
    assert f'value="{mark}"' not in drawn
    drawn = sme.post(f"/stars/{notice.pk}/", {"next": "/inbox/?page=2"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="next" value="/inbox/?page=2"' in drawn


def test_api_watches_matches_and_marks(client_for, orgs, watch):
    notice = meter_notice()
    services.watch_refresh(watch)
    sme, other = client_for("sme"), client_for("other_sme")
    body = {"organisation": orgs["sme"].slug, "name": "Pumps", "keywords": ["pumps"]}
    created = sme.post("/api/v1/watches", body, content_type="application/json")
    assert created.status_code == 201
    assert other.post("/api/v1/watches", body, content_type="application/json").status_code == 403
    bad = sme.post("/api/v1/watches", {**body, "keywords": []}, content_type="application/json")
    assert bad.status_code == 422
    assert "would match every notice" in bad.json()["detail"]
    pk = created.json()["id"]
    assert other.put(f"/api/v1/watches/{pk}", body, content_type="application/json").status_code == 404
    updated = sme.put(f"/api/v1/watches/{pk}", {**body, "name": "Pumps 2"}, content_type="application/json")
    assert updated.json()["name"] == "Pumps 2"
    matches = sme.get(f"/api/v1/watches/{watch.pk}/matches").json()
    assert matches[0]["notice_id"] == notice.pk
    mark = {"organisation": orgs["sme"].slug, "notice_id": notice.pk, "value": "relevant"}
    assert sme.post("/api/v1/marks", mark, content_type="application/json").status_code == 200
    assert other.post("/api/v1/marks", mark, content_type="application/json").status_code == 403
    assert sme.get(f"/api/v1/watches/{watch.pk}/matches").json()[0]["mark"] == "relevant"
    assert other.delete(f"/api/v1/watches/{pk}").status_code == 404
    assert sme.delete(f"/api/v1/watches/{pk}").status_code == 204


def test_ingestion_runs_the_alerts(watch, data_dir):
    from greenbridge.tenders.services import notices_ingest

    solar = services.watch_save(organisation=watch.organisation, user=None, data={"cpv_codes": ["09331200"]}, name="PV")
    notices_ingest(connector="eforms", location=str(data_dir / "eforms" / "sdk_examples"), source="ted")
    assert MatchEvent.objects.filter(watch=solar).count() == 1


def test_deleting_a_watch_asks_first_and_says_what_goes_with_it(watch, client_for):
    page = client_for("sme").get(f"/watches/{watch.pk}/").content.decode()
    assert "<summary" in page
    assert f"Delete “{watch.name}” with its inbox of matches, its feed and its webhook?" in page
