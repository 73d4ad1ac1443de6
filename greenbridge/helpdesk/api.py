"""The help desk over the API, for a signed-in person: the tickets they see (their own and their company's, or
their queues'), one ticket with its thread (internal notes to the queue's staff only), asking a question and
replying. The same selectors, rules and services as the pages."""

from datetime import datetime

import rules
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from greenbridge.core.bounds import QUERY_MAX, Code, Id, Slug
from greenbridge.core.errors import Refused

from . import selectors, services, sla
from .models import SUBJECT_MAX, TEXT_MAX, Message, Priority, Ticket

router = Router(tags=["help desk"])
LIMIT = 200


class MessageOut(Schema):
    id: int
    kind: str  # "public", "internal" (staff only) or "incoming"
    author: str
    date: datetime
    text: str
    attachments: list[str]  # download addresses

    @staticmethod
    def resolve_author(obj: Message) -> str:
        return str(obj.author) if obj.author else (obj.from_name or obj.from_email)

    @staticmethod
    def resolve_date(obj: Message) -> datetime:
        return obj.created

    @staticmethod
    def resolve_attachments(obj: Message) -> list[str]:
        return [f"/help/{obj.ticket_id}/attachments/{a.pk}/" for a in obj.attachments.all()]


class TicketOut(Schema):
    id: int
    reference: str
    queue: str  # slug
    subject: str
    status: str
    priority: str
    organisation: str | None  # slug
    requester_email: str
    assignee: str | None
    tags: list[str]
    created: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    first_response_due: datetime | None
    resolution_due: datetime | None
    satisfaction: int | None
    url: str

    @staticmethod
    def resolve_queue(obj: Ticket) -> str:
        return obj.queue.slug

    @staticmethod
    def resolve_organisation(obj: Ticket) -> str | None:
        return obj.organisation.slug if obj.organisation else None

    @staticmethod
    def resolve_assignee(obj: Ticket) -> str | None:
        return str(obj.assignee) if obj.assignee else None

    @staticmethod
    def resolve_url(obj: Ticket) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_tags(obj: Ticket, context) -> list[str]:
        """The staff's own words to sort tickets: only for the queue's staff, not for the company that asked."""
        request = context["request"]
        if not hasattr(request, "_staffed_queues"):
            request._staffed_queues = set(selectors.queues_staffed_by(request.user).values_list("pk", flat=True))
        return list(obj.tags or []) if obj.queue_id in request._staffed_queues else []


class TicketDetailOut(TicketOut):
    sla_state: str  # "ok", "warning", "breached" or "none" (the staff's view; "ok" for others)
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj: Ticket) -> list[Message]:
        return obj.thread


class TicketQuery(Schema):
    """The ticket list's filters, with the page's bounds."""

    status: Code = ""  # a status or "unresolved"
    queue: Slug = ""
    priority: Code = ""
    assignee: Code = ""  # "me" or "none"
    sla: Code = ""  # "overdue" or "at_risk"
    q: str = Field("", max_length=QUERY_MAX)


class TicketIn(Schema):
    queue: Slug
    subject: str = Field(..., min_length=1, max_length=SUBJECT_MAX)
    text: str = Field(..., min_length=1, max_length=TEXT_MAX)


class ReplyIn(Schema):
    text: str = Field(..., min_length=1, max_length=TEXT_MAX)
    internal: bool = False  # an internal note (the queue's staff only)
    status: Code = ""  # the status to set with it (staff only)


def _choice(value: str, allowed, what: str) -> str:
    if value and value not in allowed:
        raise HttpError(422, f"unknown {what} {value!r}: one of {', '.join(allowed)}")
    return value


@router.get("/tickets", response=list[TicketOut], auth=django_auth)
def list_tickets(request: HttpRequest, filters: Query[TicketQuery]):
    """The tickets the signed-in person sees, newest first (at most 200)."""
    _choice(filters.status, ["unresolved", *Ticket.Status.values], "status")
    _choice(filters.priority, Priority.values, "priority")
    _choice(filters.assignee, ["me", "none"], "assignee")
    _choice(filters.sla, ["overdue", "at_risk"], "sla")
    queue = None
    if filters.queue:
        queue = (
            selectors.queues_staffed_by(request.user).filter(slug=filters.queue).values_list("pk", flat=True).first()
        )
        if queue is None:
            return []
    found = selectors.tickets_for(
        request.user,
        selectors.Filters(
            queue=queue,
            status=filters.status,
            priority=filters.priority,
            assignee=filters.assignee,
            sla=filters.sla,
            q=filters.q,
        ),
    )
    return found[:LIMIT]


def _visible(request: HttpRequest, ticket_id: int) -> Ticket:
    ticket = get_object_or_404(Ticket.objects.select_related("queue", "organisation", "assignee"), pk=ticket_id)
    if not rules.has_perm("helpdesk.view_ticket", request.user, ticket):
        raise HttpError(404, "Not Found")
    return ticket


@router.get("/tickets/{ticket_id}", response=TicketDetailOut, auth=django_auth)
def get_ticket(request: HttpRequest, ticket_id: Id):
    """One ticket with its thread."""
    ticket = _visible(request, ticket_id)
    staff = rules.has_perm("helpdesk.answer_ticket", request.user, ticket)
    ticket.thread = selectors.thread_for(request.user, ticket, staff=staff)
    ticket.sla_state = sla.state(ticket, timezone.now(), sla.Clocks()) if staff else "ok"
    return ticket


@router.post("/tickets", response={201: TicketOut}, auth=django_auth)
def open_ticket(request: HttpRequest, payload: TicketIn):
    """Ask a question in a queue open to the signed-in person's company (or to anyone)."""
    company = selectors.company_of(request.user)
    queue = selectors.queues_open_to(request.user, company).filter(slug=payload.queue).first()
    if queue is None:
        raise HttpError(404, f"no help desk {payload.queue!r} you may write to")
    try:
        ticket = services.ticket_open(
            queue=queue,
            subject=payload.subject,
            text=payload.text,
            requester=request.user,
            organisation=company,
            language=get_language() or "",
        )
    except Refused as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(201, ticket)


@router.post("/tickets/{ticket_id}/replies", response={201: MessageOut}, auth=django_auth)
def reply_ticket(request: HttpRequest, ticket_id: Id, payload: ReplyIn):
    """A reply: the staff's answer (e-mailed to the requester) or internal note; the requester's side's reply."""
    ticket = _visible(request, ticket_id)
    staff = rules.has_perm("helpdesk.answer_ticket", request.user, ticket)
    _choice(payload.status, Ticket.Status.values, "status")
    if not staff and (payload.internal or payload.status):
        raise HttpError(403, "Only the queue's staff write internal notes and set the status.")
    try:
        if staff:
            message = services.reply(
                ticket=ticket, user=request.user, text=payload.text, internal=payload.internal, status=payload.status
            )
        else:
            message = services.requester_reply(ticket=ticket, user=request.user, text=payload.text)
    except Refused as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(201, message)
