"""Every ticket as data for other programs (`greenbridge helpdesk export --format jsonl`): one JSON object a line
with its figures, service-level dates and whole thread — internal notes included, since the export is the
operator's. Dates ISO 8601 (UTC). Streamed: memory stays flat over any number of tickets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from django.db.models import Prefetch
from django.utils import timezone

from . import sla
from .models import Attachment, Message, Ticket

FIELDS = [
    "id",
    "reference",
    "queue",
    "subject",
    "status",
    "priority",
    "organisation",
    "requester_email",
    "assignee_email",
    "created",
    "first_response_at",
    "resolved_at",
    "sla_first_response_due",
    "sla_resolution_due",
    "sla_breached",
    "satisfaction",
    "messages",
]


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def rows(tickets=None) -> Iterator[dict]:
    tickets = Ticket.objects.all() if tickets is None else tickets
    messages = Message.objects.order_by("created", "pk").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    found = (
        tickets.select_related("queue__calendar", "organisation", "assignee")
        .prefetch_related(Prefetch("messages", queryset=messages))
        .order_by("pk")
    )
    clocks, now = sla.Clocks(), timezone.now()
    for t in found.iterator(chunk_size=500):
        yield {
            "id": t.pk,
            "reference": t.reference,
            "queue": t.queue.slug,
            "subject": t.subject,
            "status": t.status,
            "priority": t.priority,
            "organisation": t.organisation.name if t.organisation else None,
            "requester_email": t.requester_email or None,
            "assignee_email": t.assignee.email if t.assignee else None,
            "created": _iso(t.created),
            "first_response_at": _iso(t.first_response_at),
            "resolved_at": _iso(t.resolved_at),
            "sla_first_response_due": _iso(t.first_response_due),
            "sla_resolution_due": _iso(t.resolution_due),
            "sla_breached": sla.breached(t, now, clocks),
            "satisfaction": t.satisfaction,
            "messages": [
                {
                    "kind": m.kind,
                    "from": m.from_email,
                    "date": _iso(m.created),
                    "text": m.text,
                    "attachments": [
                        {"filename": a.filename, "size": a.size, "content_type": a.content_type}
                        for a in m.attachments.all()
                    ],
                }
                for m in t.messages.all()
            ],
        }
