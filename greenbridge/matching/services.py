"""Writes of matching: watches, the alert run after each ingestion, e-mail digests and webhooks, marks.

The alert run (`alerts_match`) reads the notices that arrived or changed since the previous run
(`Notice.updated`), scores them against every active watch with one Matcher, stores the matches and logs
what users must be told: a new match once; a change of deadline or status of a notice they were told
of, once. Delivery (`alerts_deliver`) then sends each e-mail subscription the events past its cursor
when its digest is due, queues and posts webhooks, and e-mails the notices clusters forwarded to their
members (by hand, or through a cluster watch's new matches). A failing SMTP server or webhook is logged
on its subscription, delivery or forward and retried on the next run; the others go on.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from greenbridge.core import heap, timezones
from greenbridge.core.errors import Refused
from greenbridge.core.templatetags.greenbridge import long_date
from greenbridge.orgs.models import ClusterMembership, Organisation
from greenbridge.orgs.services import time_zone_of
from greenbridge.tenders.models import Notice, NoticeStatus, NoticeType

from .engine import Matcher, NoticeFacts, WatchInvalid, WatchSpec
from .explain import described
from .models import Forward, Mark, Match, MatchEvent, MatchRun, Star, Subscription, Watch, WebhookDelivery
from .selectors import match_preview

log = logging.getLogger(__name__)

BACKFILL = 500  # matches a new or edited watch gets at once from the notices already there
CHUNK = 2000
DIGEST_EVENTS = 50  # notices listed in one e-mail; the rest are in the inbox
DUE = {"instant": timedelta(0), "daily": timedelta(hours=23), "weekly": timedelta(days=6, hours=23)}
RETRY = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12)]
WEBHOOK_TIMEOUT = 10
FORWARD_ATTEMPTS = 5  # e-mails of a forward tried this many runs, then left in the inbox only


class WebhookRefused(ValueError):
    pass


class ForwardRefused(ValueError):
    pass


# -- watches ------------------------------------------------------------------------------------------------


@transaction.atomic
def watch_save(
    *, organisation: Organisation, user: Any, data: dict[str, Any], name: str, watch: Watch | None = None
) -> Watch:
    """Create or update a watch from its fields (raises WatchInvalid with the reasons), subscribe its
    creator to a daily digest, and fill its inbox from the notices already there."""
    spec = WatchSpec.from_data({k: v for k, v in data.items() if k in WatchSpec.FIELDS})
    created = watch is None
    if created:
        watch = Watch(organisation=organisation, created_by=user)
    watch.name = name.strip() or "Watch"
    for key, value in spec.as_data().items():
        setattr(watch, key, value)
    if "webhook_url" in data:
        watch.webhook_url = (data.get("webhook_url") or "").strip()
        if watch.webhook_url:
            check_webhook_url(watch.webhook_url, resolve=False)
    forward_to = None
    if "forward_to" in data:
        forward_to = _members_of(organisation, data.get("forward_to") or [])
    watch.save()
    if forward_to is not None:
        watch.forward_to.set(forward_to)
    if created and user is not None and user.is_authenticated:
        Subscription.objects.get_or_create(watch=watch, user=user)
    watch_refresh(watch, spec)
    return watch


def watch_refresh(watch: Watch, spec: WatchSpec | None = None) -> int:
    """Score the notices already in the database against the watch: the best BACKFILL become its matches
    (without alerts: users are told of what arrives from now on). Matches no longer found are dropped
    unless users were told of them."""
    spec = spec or watch.spec()
    results = match_preview(spec, limit=BACKFILL)
    existing = {m.notice_id: m for m in watch.matches.all()}
    keep = set()
    new = []
    for r in results:
        keep.add(r.notice.id)
        m = existing.get(r.notice.id)
        if m is None:
            new.append(Match(watch=watch, notice_id=r.notice.id, score=r.score, explanation=r.explanation))
        elif m.score != r.score or m.explanation != r.explanation:
            m.score, m.explanation = r.score, r.explanation
            m.save(update_fields=["score", "explanation", "updated"])
    Match.objects.bulk_create(new, batch_size=500)
    gone = [m.pk for notice_id, m in existing.items() if notice_id not in keep]
    Match.objects.filter(pk__in=gone, events__isnull=True).delete()
    return len(results)


def watch_delete(*, watch: Watch) -> None:
    watch.delete()


def _members_of(cluster: Organisation, members: Iterable[Organisation | int]) -> list[int]:
    """The ids of `members`, which must all be member organisations of the cluster."""
    ids = {m.pk if isinstance(m, Organisation) else int(m) for m in members}
    if ids and not cluster.is_cluster:
        raise ForwardRefused(f"{cluster.name} is not a cluster: it has no members to forward to")
    if ids and not cluster.is_trusted:
        raise ForwardRefused(
            _("%(name)s is awaiting verification by the platform operators: it forwards notices once verified.")
            % {"name": cluster.name}
        )
    found = set(
        ClusterMembership.objects.filter(cluster=cluster, member_id__in=ids).values_list("member_id", flat=True)
    )
    if ids - found:
        names = ", ".join(Organisation.objects.filter(pk__in=ids - found).values_list("name", flat=True)) or "?"
        raise ForwardRefused(f"not members of {cluster.name}: {names}")
    return sorted(ids)


def notice_forward(
    *, cluster: Organisation, members: Iterable[Organisation | int], notice: Notice, user: Any = None, note: str = ""
) -> list[Forward]:
    """Forward a notice to member organisations of the cluster, each once (a member that already has it
    from this cluster is skipped). Their people are e-mailed by the next delivery, which the caller may
    start at once (tasks.forwards_task)."""
    ids = _members_of(cluster, members)
    if not ids:
        raise ForwardRefused("choose at least one member to forward the notice to")
    sent = set(Forward.objects.filter(cluster=cluster, notice=notice).values_list("member_id", flat=True))
    new = [
        Forward(cluster=cluster, member_id=m, notice=notice, by=user, note=note.strip()) for m in ids if m not in sent
    ]
    return Forward.objects.bulk_create(new)


# -- the alert run ------------------------------------------------------------------------------------------


def _changes(match: Match, notice: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    if notice["deadline"] != match.alerted_deadline:
        out.append(
            {
                "field": "deadline",
                "old": match.alerted_deadline.isoformat() if match.alerted_deadline else None,
                "new": notice["deadline"].isoformat() if notice["deadline"] else None,
            }
        )
    if notice["status"] != match.alerted_status:
        out.append({"field": "status", "old": match.alerted_status, "new": notice["status"]})
    return out


def alerts_match(*, now=None) -> MatchRun:
    """Match the notices that arrived or changed since the previous run against every active watch."""
    previous = MatchRun.objects.filter(finished__isnull=False).first()
    run = MatchRun.objects.create(since=previous.until if previous else None)
    if not Watch.objects.filter(active=True).exists():  # nothing to match them against: counted, the mark moved on
        arrived = Notice.objects.filter(updated__gt=run.since) if run.since else Notice.objects.all()
        window = arrived.aggregate(notices=models.Count("id"), newest=models.Max("updated"))
        run.notices = window["notices"]
        run.until = max(filter(None, [run.since, window["newest"]]), default=None)
        run.finished = timezone.now()
        run.save()
        return run
    watches, specs = [], []
    for watch in Watch.objects.filter(active=True).prefetch_related("forward_to"):
        try:
            specs.append(watch.spec())
            watches.append(watch)
        except WatchInvalid as exc:  # e.g. saved before a rule changed: skipped, not fatal
            log.warning("watch %s skipped: %s", watch.pk, exc)
            run.skip("watch", f"{watch.pk} ({watch.name})", exc)
    matcher, watches = _compile(run, watches, specs, now)
    run.watches = len(watches)
    # Cluster watches: the members (still in the cluster) each new match goes to.
    # (not while the cluster awaits verification, or was refused it).
    forwarding = [w for w in watches if w.forward_to.all()]
    clusters = Organisation.objects.trusted().filter(pk__in={w.organisation_id for w in forwarding})
    trusted = set(clusters.values_list("pk", flat=True))
    forwarding = [w for w in forwarding if w.organisation_id in trusted]
    links = set(
        ClusterMembership.objects.filter(cluster__in={w.organisation_id for w in forwarding}).values_list(
            "cluster_id", "member_id"
        )
    )
    forwards = {w.pk: [m.pk for m in w.forward_to.all() if (w.organisation_id, m.pk) in links] for w in forwarding}
    qs = Notice.objects.order_by("updated", "id")
    if run.since:
        qs = qs.filter(updated__gt=run.since)
    until = run.since
    chunk: list[dict[str, Any]] = []
    with heap.rare_collections():
        for row in qs.values(*NoticeFacts.FIELDS, "updated").iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                _match_rows(run, matcher, watches, forwards, chunk)
                until = chunk[-1]["updated"]
                chunk = []
        if chunk:
            _match_rows(run, matcher, watches, forwards, chunk)
            until = chunk[-1]["updated"]
    run.until = until
    run.finished = timezone.now()
    run.save()
    if run.skipped_watches or run.skipped_notices:
        log.warning(
            "alert run %s skipped %s watches and %s notices: %s",
            run.pk,
            run.skipped_watches,
            run.skipped_notices,
            "; ".join(run.problems[:10]),
        )
    return run


def _compile(run: MatchRun, watches: list[Watch], specs: list[WatchSpec], now) -> tuple[Matcher, list[Watch]]:
    """One Matcher for every watch; if that fails, the watches are compiled one by one to leave out those
    that cannot be (they are reported) and the others are compiled together."""
    try:
        return Matcher(specs, now=now), watches
    except Exception:
        log.exception("the watches could not be compiled together; trying one by one")
    kept, kept_specs = [], []
    for watch, spec in zip(watches, specs, strict=True):
        try:
            Matcher([spec], now=now)
        except Exception as exc:
            run.skip("watch", f"{watch.pk} ({watch.name})", repr(exc))
            continue
        kept.append(watch)
        kept_specs.append(spec)
    return Matcher(kept_specs, now=now), kept


def _match_rows(
    run: MatchRun, matcher: Matcher, watches: list[Watch], forwards: dict[int, list[int]], rows: list[dict[str, Any]]
) -> None:
    """Match a chunk of notices in one transaction; if it fails, notice by notice, so that one notice that
    cannot be matched or saved is skipped (and reported) and the others are not."""
    try:
        _match_chunk(run, matcher, watches, forwards, rows)
        return
    except Exception:
        log.exception("matching a chunk of %s notices failed; matching them one by one", len(rows))
    for row in rows:
        try:
            _match_chunk(run, matcher, watches, forwards, [row])
        except Exception as exc:
            log.warning("notice %s skipped by the alert run: %r", row["id"], exc)
            run.skip("notice", row["id"], repr(exc))


@transaction.atomic
def _match_chunk(
    run: MatchRun, matcher: Matcher, watches: list[Watch], forwards: dict[int, list[int]], rows: list[dict[str, Any]]
) -> None:
    by_id = {row["id"]: row for row in rows}
    results = {}
    for row in rows:
        for group in matcher.match_grouped(NoticeFacts.from_row(row)):
            for i in group.watches:
                results[(watches[i].pk, row["id"])] = group  # its score and explanation
    existing = {
        (m.watch_id, m.notice_id): m
        for m in Match.objects.filter(notice_id__in=list(by_id), watch__active=True).prefetch_related("events")
    }
    created = {w.pk: w.created for w in watches}
    alerted, silent, events = [], [], []
    for key, r in results.items():
        if key in existing:
            continue
        row = by_id[key[1]]
        match = Match(watch_id=key[0], notice_id=key[1], score=r.score, explanation=r.explanation)
        if row["updated"] < created[key[0]]:
            # Older than the watch: it goes to the inbox (as the watch's backfill would), not to e-mail.
            silent.append(match)
        else:
            match.alerted_deadline, match.alerted_status = row["deadline"], row["status"]
            alerted.append(match)
    Match.objects.bulk_create(alerted + silent, batch_size=1000)
    events.extend(MatchEvent(match=m, watch_id=m.watch_id, kind=MatchEvent.Kind.NEW) for m in alerted)
    owners = {w.pk: w.organisation_id for w in watches}
    Forward.objects.bulk_create(
        [
            Forward(cluster_id=owners[m.watch_id], member_id=member, notice_id=m.notice_id, watch_id=m.watch_id)
            for m in alerted
            for member in forwards.get(m.watch_id, ())
        ],
        batch_size=1000,
        ignore_conflicts=True,  # a member that already has the notice from its cluster keeps the first
    )
    for key, m in existing.items():
        r = results.get(key)
        fields = []
        if r is not None and (m.score != r.score or m.explanation != r.explanation):
            m.score, m.explanation = r.score, r.explanation
            fields += ["score", "explanation"]
        kinds = {e.kind for e in m.events.all()}
        if MatchEvent.Kind.NEW in kinds and MatchEvent.Kind.CHANGE not in kinds:
            changes = _changes(m, by_id[m.notice_id])
            if changes:
                events.append(MatchEvent(match=m, watch_id=m.watch_id, kind=MatchEvent.Kind.CHANGE, changes=changes))
        elif not kinds:  # in the inbox from a backfill, never sent: keep its snapshot current
            m.alerted_deadline, m.alerted_status = by_id[m.notice_id]["deadline"], by_id[m.notice_id]["status"]
            fields += ["alerted_deadline", "alerted_status"]
        if fields:
            m.save(update_fields=[*fields, "updated"])
    MatchEvent.objects.bulk_create(events, batch_size=1000)
    run.notices += len(rows)
    run.matches += len(alerted) + len(silent)
    run.events += len(events)


# -- delivery -----------------------------------------------------------------------------------------------


def _event_rows(events: Iterable[MatchEvent], language: str) -> list[dict[str, Any]]:
    rows = []
    for e in events:
        notice = e.match.notice
        rows.append(
            {
                "kind": e.kind,
                "changes": e.changes,
                "score": e.match.score,
                "reasons": described(e.match.explanation, language),
                "notice": notice,
                "url": f"{settings.BASE_URL}{notice.get_absolute_url()}",
            }
        )
    return rows


def _pending(watch_id: int, cursor: int, limit: int) -> list[MatchEvent]:
    return list(
        MatchEvent.objects.filter(watch_id=watch_id, id__gt=cursor)
        .select_related("match", "match__notice")
        .defer("match__notice__raw")
        .order_by("id")[:limit]
    )


def send_digest(sub: Subscription, events: list[MatchEvent], more: int = 0) -> None:
    user = sub.user
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(time_zone_of(user)):
        unsubscribe = f"{settings.BASE_URL}{reverse('matching:unsubscribe', args=[sub.token])}"
        context = {
            "watch": sub.watch,
            "rows": _event_rows(events, language),
            "more": more,
            "unsubscribe": unsubscribe,
            "inbox": f"{settings.BASE_URL}{reverse('matching:inbox')}",
            "user": user,
        }
        subject = render_to_string("matching/email/digest_subject.txt", context).strip()
        text = render_to_string("matching/email/digest.txt", context)
        html = render_to_string("matching/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _deliver_emails(now) -> dict[str, int]:
    counts = {"emails": 0, "email_failures": 0}
    subs = (
        Subscription.objects.exclude(frequency=Subscription.Frequency.OFF)
        .filter(watch__active=True)
        .select_related("watch", "user")
    )
    for sub in subs:
        due = DUE[sub.frequency]
        if sub.last_sent and now - sub.last_sent < due:
            continue
        try:
            with transaction.atomic():  # a database error here is this subscription's alone
                sent = _send_due_digest(sub, now)
        except Exception as exc:  # SMTP down, refused address, a record it cannot show…: retried next run
            log.warning("e-mail to %s for watch %s failed: %r", sub.user.email, sub.watch_id, exc)
            sub.failures += 1
            sub.last_error = f"{now:%Y-%m-%d %H:%M}: {exc}"[:1000]
            sub.save(update_fields=["failures", "last_error"])
            counts["email_failures"] += 1
            continue
        counts["emails"] += sent
    return counts


def _send_due_digest(sub: Subscription, now) -> int:
    """Send the subscription the events past its cursor, if any (1: an e-mail was sent)."""
    events = _pending(sub.watch_id, sub.cursor, DIGEST_EVENTS + 1)
    if not events:
        return 0
    shown = events[:DIGEST_EVENTS]
    more = MatchEvent.objects.filter(watch_id=sub.watch_id, id__gt=shown[-1].id).count()
    send_digest(sub, shown, more)
    # Everything pending is now in the e-mail or counted in "more" (seen in the inbox).
    sub.cursor = MatchEvent.objects.filter(watch_id=sub.watch_id).order_by("-id").values_list("id", flat=True)[0]
    sub.last_sent = now
    sub.failures = 0
    sub.last_error = ""
    sub.save(update_fields=["cursor", "last_sent", "failures", "last_error"])
    return 1


def webhook_payload(watch: Watch, events: list[MatchEvent]) -> dict[str, Any]:
    return {
        "watch": {"id": watch.pk, "name": watch.name},
        "events": [
            {
                "id": e.pk,
                "kind": e.kind,
                "changes": e.changes,
                "score": e.match.score,
                "explanation": described(e.match.explanation, "en"),
                "notice": {
                    "source": e.match.notice.source,
                    "source_id": e.match.notice.source_id,
                    "title": e.match.notice.title,
                    "buyer_country": e.match.notice.buyer_country,
                    "deadline": e.match.notice.deadline.isoformat() if e.match.notice.deadline else None,
                    "url": f"{settings.BASE_URL}{e.match.notice.get_absolute_url()}",
                    "original_url": e.match.notice.url,
                },
            }
            for e in events
        ],
    }


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_webhook_url(url: str, *, resolve: bool = True) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise WebhookRefused("a webhook needs an http:// or https:// address")
    if not resolve or settings.WEBHOOK_ALLOW_PRIVATE:
        return
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise WebhookRefused(f"cannot resolve {parsed.hostname}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise WebhookRefused(f"{parsed.hostname} is a private or local address")


def _post(delivery: WebhookDelivery, now) -> None:
    watch = delivery.watch
    body = delivery.payload.encode()
    delivery.attempts += 1
    try:
        check_webhook_url(watch.webhook_url)
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            watch.webhook_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "GreenBridge-Webhook/1",
                "X-GreenBridge-Delivery": str(delivery.pk),
                "X-GreenBridge-Signature": sign(watch.webhook_secret, body),
            },
        )
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            delivery.response_code = response.status
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered = now
        delivery.error = ""
        delivery.next_attempt = None
    except (urllib.error.URLError, OSError, WebhookRefused, ValueError) as exc:
        if isinstance(exc, urllib.error.HTTPError):
            exc.close()
        delivery.response_code = getattr(exc, "code", None)
        delivery.error = str(getattr(exc, "reason", exc))[:1000]
        if delivery.attempts > len(RETRY):
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt = None
        else:
            delivery.next_attempt = now + RETRY[delivery.attempts - 1]
        log.warning("webhook %s for watch %s failed (attempt %s): %s", delivery.pk, watch.pk, delivery.attempts, exc)
    delivery.save()


def _deliver_webhooks(now) -> dict[str, int]:
    counts = {"webhooks": 0, "webhook_failures": 0}
    for watch in Watch.objects.filter(active=True).exclude(webhook_url=""):
        try:
            _queue_webhooks(watch, now)
        except Exception as exc:  # a record it cannot put into JSON…: this watch's hooks wait, the others go
            log.warning("webhook payload for watch %s failed: %r", watch.pk, exc)
            counts["webhook_failures"] += 1
    due = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt__lte=now)
    for delivery in due.select_related("watch").order_by("id"):
        try:
            _post(delivery, now)
        except Exception as exc:  # anything _post does not expect: this delivery is retried next run
            log.warning("webhook %s for watch %s failed: %r", delivery.pk, delivery.watch_id, exc)
            counts["webhook_failures"] += 1
            continue
        counts["webhooks" if delivery.status == WebhookDelivery.Status.DELIVERED else "webhook_failures"] += 1
    return counts


def _queue_webhooks(watch: Watch, now) -> None:
    """Put the watch's events past its cursor into deliveries of at most 100 events."""
    while events := _pending(watch.pk, watch.webhook_cursor, 100):
        with transaction.atomic():
            WebhookDelivery.objects.create(
                watch=watch,
                payload=json.dumps(webhook_payload(watch, events), ensure_ascii=False),
                events=len(events),
                next_attempt=now,
            )
            watch.webhook_cursor = events[-1].pk
            watch.save(update_fields=["webhook_cursor"])


def send_forwards(member: Organisation, forwards: list[Forward], recipients: list[Any]) -> None:
    """One e-mail to the people of a member organisation with the notices its clusters forwarded."""
    language = next((u.language for u in recipients if getattr(u, "language", "")), settings.LANGUAGE_CODE)
    for f in forwards:
        f.url = f"{settings.BASE_URL}{f.notice.get_absolute_url()}"
    # One e-mail for all its people: times in the organisation's own zone.
    with translation.override(language), timezone.override(timezones.chosen(None, [member.country])):
        context = {
            "member": member,
            "forwards": forwards,
            "inbox": f"{settings.BASE_URL}{reverse('matching:inbox')}?org={member.slug}",
        }
        subject = render_to_string("matching/email/forward_subject.txt", context).strip()
        text = render_to_string("matching/email/forward.txt", context)
        html = render_to_string("matching/email/forward.html", context)
    message = EmailMultiAlternatives(subject, text, to=[u.email for u in recipients])
    message.attach_alternative(html, "text/html")
    message.send()


def _deliver_forwards(now) -> dict[str, int]:
    counts = {"forward_emails": 0, "forward_failures": 0}
    pending = (
        Forward.objects.filter(emailed__isnull=True, failures__lt=FORWARD_ATTEMPTS)
        .select_related("cluster", "member", "notice", "by")
        .defer("notice__raw")
        .order_by("member_id", "id")
    )
    by_member: dict[int, list[Forward]] = {}
    for forward in pending:
        by_member.setdefault(forward.member_id, []).append(forward)
    for forwards in by_member.values():
        member = forwards[0].member
        ids = [f.pk for f in forwards]
        try:
            with transaction.atomic():  # a database error here is this member's alone
                recipients = [
                    m.user for m in member.memberships.select_related("user") if m.user.is_active and m.user.email
                ]
                if recipients:
                    send_forwards(member, forwards, recipients)
        except Exception as exc:  # SMTP down, a record it cannot show…: retried on the next run
            log.warning("e-mail of forwarded notices to %s failed: %r", member, exc)
            Forward.objects.filter(pk__in=ids).update(failures=models.F("failures") + 1)
            counts["forward_failures"] += 1
            continue
        # Sent, or nobody to tell: it waits in the inbox.
        Forward.objects.filter(pk__in=ids).update(emailed=now)
        counts["forward_emails"] += 1 if recipients else 0
    return counts


def alerts_deliver(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    return {**_deliver_emails(now), **_deliver_webhooks(now), **_deliver_forwards(now)}


def forwards_deliver(*, now=None) -> dict[str, int]:
    """E-mail what clusters forwarded and nobody was told of yet (after a forward by hand)."""
    return _deliver_forwards(now or timezone.now())


def alerts_run(*, now=None) -> dict[str, int]:
    """Match what is new, then deliver what is due: what the cron command and the task run."""
    run = alerts_match(now=now)
    return {
        "watches": run.watches,
        "notices": run.notices,
        "matches": run.matches,
        "events": run.events,
        "skipped_watches": run.skipped_watches,
        "skipped_notices": run.skipped_notices,
        **alerts_deliver(now=now),
    }


# -- inbox --------------------------------------------------------------------------------------------------


# A bid can no longer be planned for a notice in these states (Notice.current_status: "closed" once its
# submission deadline has passed, whatever the source still says).
NO_BID_STATUSES = {
    NoticeStatus.CLOSED: _("Bids for this notice closed on %(deadline)s: it cannot be marked “Will bid”."),
    NoticeStatus.CANCELLED: _("This notice was cancelled: it cannot be marked “Will bid”."),
    NoticeStatus.UNSUCCESSFUL: _("This procedure ended without a contract: it cannot be marked “Will bid”."),
    NoticeStatus.AWARDED: _("This contract has been awarded: it cannot be marked “Will bid”."),
}


def mark_set(*, organisation: Organisation, notice: Notice, user: Any, value: str) -> Mark | None:
    """Set (or with "" clear) the organisation's mark on a notice. "Will bid" is refused (`Refused`, in words)
    once bids are no longer possible; "Not relevant", "Bid submitted", "Won" and "Lost" stay possible."""
    if not value:
        Mark.objects.filter(organisation=organisation, notice=notice).delete()
        return None
    if value not in Mark.Value.values:
        raise ValueError(f"unknown mark {value!r}")
    if value == Mark.Value.WILL_BID:
        status = NoticeStatus.AWARDED if notice.notice_type == NoticeType.AWARD else notice.current_status
        if message := NO_BID_STATUSES.get(status):
            deadline = long_date(notice.deadline) if notice.deadline else ""
            raise Refused(message % {"deadline": deadline})
    mark, _ = Mark.objects.update_or_create(
        organisation=organisation, notice=notice, defaults={"value": value, "user": user}
    )
    return mark


def star_toggle(*, user: Any, notice: Notice) -> bool:
    """Star or un-star a notice for the user; True when it is now starred."""
    deleted, _ = Star.objects.filter(user=user, notice=notice).delete()
    if deleted:
        return False
    Star.objects.create(user=user, notice=notice)
    return True


def unsubscribe(*, token: str) -> Subscription | None:
    sub = Subscription.objects.filter(token=token).first()
    if sub is not None and sub.frequency != Subscription.Frequency.OFF:
        sub.frequency = Subscription.Frequency.OFF
        sub.save(update_fields=["frequency"])
    return sub
