"""Every change to tickets: opened (on the web or by e-mail), answered, noted, changed, replied to, rated. Each
change is logged (`TicketChange`), moves the service-level clock (sla.py) and sends its e-mail after the commit.

E-mails carry the ticket's reference in the subject ("[GB-000042]") and threading headers (Message-ID of ours,
In-Reply-To and References the thread's), so that mail clients group them and a reply finds its ticket.
"""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbridge.core.errors import Refused
from greenbridge.core.mail import send_to_address
from greenbridge.orgs.models import Organisation
from greenbridge.portfolio import services as portfolio
from greenbridge.portfolio.models import Engagement

from . import attachments, satisfaction, sla
from .models import PRIORITY_ORDER, CannedReply, Message, Queue, Ticket, TicketChange


def new_message_id(ticket: Ticket) -> str:
    """A Message-ID of ours for an e-mail about the ticket, on the domain of the address the platform sends from."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "greenbridge.local"
    return make_msgid(idstring=ticket.reference, domain=domain)


@transaction.atomic
def ticket_open(
    *,
    queue: Queue,
    subject: str,
    text: str,
    requester=None,
    email: str = "",
    name: str = "",
    organisation: Organisation | None = None,
    language: str = "",
    priority: str = "",
    message_id: str = "",
    html: str = "",
    full_text: str = "",
    automatic: bool = False,
    links: dict | None = None,
    files: list[attachments.File] = (),
) -> Ticket:
    """A new ticket with its first message (as the requester wrote it). `links`: what it is about (notice, event,
    opportunity, engagement, assessment); `files`: checked by helpdesk.attachments."""
    subject = " ".join(subject.split())[:250] or _("(no subject)")
    if not text.strip() and not html:
        raise Refused(_("Write your question."))
    email = email or (requester.email if requester else "")
    ticket = Ticket.objects.create(
        queue=queue,
        organisation=organisation,
        requester=requester,
        requester_email=email,
        requester_name=name or (str(requester) if requester else ""),
        language=language or (queue.languages[0] if queue.languages else settings.LANGUAGE_CODE),
        subject=subject,
        priority=priority or queue.default_priority,
        **(links or {}),
    )
    first = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.INCOMING,
        author=requester,
        from_email=email,
        from_name=ticket.requester_name,
        text=text,
        html=html,
        full_text=full_text,
        message_id=message_id,
        automatic=automatic,
    )
    attachments.save(first, files)
    sla.start(ticket, ticket.created)
    ticket.save()
    _log(ticket, requester, "status", "", ticket.status)
    if queue.acknowledge and email and not automatic:
        transaction.on_commit(lambda: _send(ticket, "helpdesk/email/acknowledgement", {}))
    return ticket


@transaction.atomic
def reply(
    *, ticket: Ticket, user, text: str, internal: bool = False, status: str = "", files: list[attachments.File] = ()
) -> Message:
    """The staff's answer (sent to the requester and the people copied, with its files) or internal note (to
    nobody)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not text.strip():
        raise Refused(_("Write the reply."))
    kind = Message.Kind.INTERNAL if internal else Message.Kind.PUBLIC
    message = Message.objects.create(ticket=ticket, kind=kind, author=user, from_email=user.email, text=text)
    attachments.save(message, files)
    now = message.created
    if not internal and ticket.first_response_at is None:
        ticket.first_response_at = now
    if status and status != ticket.status:
        _set_status(ticket, user, status, now)
    elif not internal and ticket.status == Ticket.Status.NEW:
        _set_status(ticket, user, Ticket.Status.OPEN, now)
    if ticket.assignee_id is None and not internal:
        ticket.assignee = user
        _log(ticket, user, "assignee", "", str(user))
    ticket.save()
    if not internal:
        message.message_id = new_message_id(ticket)
        message.sent_at = now
        message.save(update_fields=["message_id", "sent_at"])
        # Its files go with its e-mail up to MAIL_FILES_MB in all (mail servers refuse more); beyond, the e-mail names
        # them and they wait on the question's page.
        mailed = list(files) if sum(len(data) for _name, data, _kind in files) <= MAIL_FILES_MB * 1024 * 1024 else []
        on_page = [name for name, _data, _kind in files] if not mailed else []
        context = {"message": message, "on_page": on_page}
        transaction.on_commit(lambda: _send(ticket, "helpdesk/email/reply", context, message=message, files=mailed))
    return message


@transaction.atomic
def requester_reply(
    *,
    ticket: Ticket,
    text: str,
    user=None,
    email: str = "",
    close: bool = False,
    files: list[attachments.File] = (),
    **mail,
) -> Message:
    """The requester (or someone of its organisation) writes again: the clock runs again, a resolved ticket opens;
    `close`: the reply closes the question instead (by e-mail, "CLOSE"); `files` from the web form."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not text.strip() and not mail.get("html"):
        raise Refused(_("Write your reply."))
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.INCOMING,
        author=user,
        from_email=email or (user.email if user else ""),
        from_name=str(user) if user else mail.pop("name", ""),
        text=text,
        **{k: v for k, v in mail.items() if k in {"html", "full_text", "message_id", "in_reply_to", "automatic"}},
    )
    attachments.save(message, files)
    if close:
        if ticket.status != Ticket.Status.CLOSED:
            _set_status(ticket, user, Ticket.Status.CLOSED, message.created)
    elif not message.automatic and ticket.status in (
        Ticket.Status.WAITING_REQUESTER,
        Ticket.Status.RESOLVED,
        Ticket.Status.CLOSED,
    ):
        _set_status(ticket, user, Ticket.Status.OPEN, message.created)
    ticket.save()
    return message


MAIL_FILES_MB = 15  # the files an answer's e-mail carries, at most, in all

# Changes the requester hears of by e-mail when the staff make them without a reply (a reply says it itself;
# "resolved" has its own e-mail with the rating links).
STATUS_MAILED = {Ticket.Status.WAITING_REQUESTER, Ticket.Status.WAITING_THIRD_PARTY, Ticket.Status.CLOSED}


def _answers(user, ticket: Ticket) -> bool:
    return user is not None and ticket.queue.staff().filter(pk=user.pk).exists()


@transaction.atomic
def change(*, ticket: Ticket, user, status: str = "", priority: str = "", assignee=..., tags=None) -> Ticket:
    """The staff change a ticket's status, priority, assignee or tags; each change logged."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    now = timezone.now()
    if status and status != ticket.status:
        _set_status(ticket, user, status, now)
        if status in STATUS_MAILED and ticket.requester_email and _answers(user, ticket):
            transaction.on_commit(lambda: _send(ticket, "helpdesk/email/status", {}))
    if priority and priority != ticket.priority:
        if priority not in PRIORITY_ORDER:
            raise ValidationError(_("Unknown priority."))
        _log(ticket, user, "priority", ticket.priority, priority)
        ticket.priority = priority
        sla.refresh(ticket, sla.Clocks())
    if assignee is not ... and assignee != ticket.assignee:
        _log(ticket, user, "assignee", str(ticket.assignee or ""), str(assignee or ""))
        ticket.assignee = assignee
    if tags is not None and list(tags) != ticket.tags:
        _log(ticket, user, "tags", ", ".join(ticket.tags), ", ".join(tags))
        ticket.tags = list(tags)
    ticket.save()
    return ticket


@transaction.atomic
def rate(*, ticket: Ticket, user, score: int, comment: str = "") -> Ticket:
    if not 1 <= int(score) <= 5:
        raise Refused(_("A rating is 1 to 5."))
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ticket.satisfaction, ticket.satisfaction_comment = int(score), comment.strip()[:2000]
    _log(ticket, user, "satisfaction", "", str(score))
    ticket.save(update_fields=["satisfaction", "satisfaction_comment", "updated"])
    return ticket


def _set_status(ticket: Ticket, user, status: str, now) -> None:
    if status not in Ticket.Status.values:
        raise ValidationError(_("Unknown status."))
    old = ticket.status
    _log(ticket, user, "status", old, status)
    ticket.status = status
    clocks = sla.Clocks()
    if status in Ticket.PAUSED or status in Ticket.DONE:
        sla.stop(ticket, now, clocks)
    else:
        sla.resume(ticket, now, clocks)
    if status == Ticket.Status.RESOLVED:
        ticket.resolved_at = now
    elif status == Ticket.Status.CLOSED:
        ticket.closed_at = now
        # Closed without ever being answered (withdrawn, a duplicate, spam): closed, not resolved, in the reports.
        if ticket.resolved_at or ticket.first_response_at:
            ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = ticket.closed_at = None
    if status == Ticket.Status.RESOLVED and old != status and ticket.requester_email:
        transaction.on_commit(
            lambda: _send(ticket, "helpdesk/email/resolved", {"ratings": satisfaction.rating_links(ticket)})
        )


@transaction.atomic
def merge(*, tickets: list[Ticket], into: Ticket, user) -> Ticket:
    """Duplicates become one ticket: their messages move into `into` (the thread reads in time order, and replies
    to the old e-mails still find it), their requesters are copied on it, and each is closed pointing at it."""
    into = Ticket.objects.select_for_update().get(pk=into.pk)
    if into.merged_into_id:
        raise Refused(_("%(reference)s was itself merged into another ticket.") % {"reference": into.reference})
    now = timezone.now()
    for ticket in Ticket.objects.select_for_update().filter(pk__in=[t.pk for t in tickets], merged_into=None):
        if ticket.pk == into.pk:
            continue
        Message.objects.filter(ticket=ticket).update(ticket=into)
        copied = {*into.cc, *ticket.cc, ticket.requester_email} - {into.requester_email, ""}
        into.cc = sorted(copied)[:20]
        ticket.merged_into = into
        if ticket.status != Ticket.Status.CLOSED:
            _set_status(ticket, user, Ticket.Status.CLOSED, now)
        ticket.save()
        _log(ticket, user, "merged", "", into.reference)
        _log(into, user, "merged", ticket.reference, into.reference)
    into.save()
    return into


def bulk_change(*, tickets: list[Ticket], user, status: str = "", assignee=...) -> int:
    """The same change to many tickets (each logged as if made one by one); merged tickets are left alone."""
    changed = 0
    for ticket in tickets:
        if ticket.merged_into_id is None:
            change(ticket=ticket, user=user, status=status, assignee=assignee)
            changed += 1
    return changed


@transaction.atomic
def to_engagement(*, ticket: Ticket, user, service) -> Engagement:
    """The question needs more than an answer: the company gets the service, planned with the ticket's advisor,
    and the ticket links to it."""
    if ticket.organisation is None or not ticket.organisation.is_company:
        raise Refused(_("This question is not asked for a company: a service is delivered to a company."))
    if ticket.engagement_id:
        raise Refused(_("This ticket is already linked to a service."))
    if service.provider_id != ticket.queue.organisation_id:
        raise Refused(_("Choose a service of %(provider)s.") % {"provider": ticket.queue.organisation.name})
    first = ticket.messages.filter(kind=Message.Kind.INCOMING).order_by("created").first()
    engagement = portfolio.engagement_request(
        service=service,
        organisation=ticket.organisation,
        user=user,
        message=f"[{ticket.reference}] {ticket.subject}\n\n{first.text if first else ''}"[:2000],
        assessment=ticket.assessment,
    )
    engagement = portfolio.engagement_accept(engagement=engagement, user=user, advisor=ticket.assignee or user)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ticket.engagement = engagement
    ticket.save(update_fields=["engagement", "updated"])
    _log(ticket, user, "engagement", "", str(service))
    return engagement


def canned_save(*, organisation: Organisation, form) -> CannedReply:
    """A ready answer written or edited (the form validated it)."""
    reply = form.save(commit=False)
    reply.organisation = organisation
    reply.save()
    return reply


def log_change(*, ticket: Ticket, user, field: str, old: str, new: str) -> None:
    """A line of the ticket's history for a change made outside this module (intake, escalation)."""
    _log(ticket, user, field, old, new)


def _log(ticket: Ticket, user, field: str, old: str, new: str) -> None:
    actor = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    TicketChange.objects.create(ticket=ticket, actor=actor, field=field, old=str(old)[:300], new=str(new)[:300])


def _send(
    ticket: Ticket, template: str, context: dict, *, message: Message | None = None, files: list | None = None
) -> None:
    """An e-mail about the ticket to its requester (and the people copied), in the ticket's language, threaded;
    with `files` (name, content, type) attached."""
    if not ticket.requester_email:
        return
    thread = list(ticket.messages.exclude(message_id="").values_list("message_id", flat=True))
    own = message.message_id if message else new_message_id(ticket)
    headers = {"Message-ID": own, "Auto-Submitted": "auto-generated" if message is None else "no"}
    if previous := [m for m in thread if m != own]:
        headers["In-Reply-To"] = previous[-1]
        headers["References"] = " ".join(previous[-20:])
    send_to_address(
        ticket.requester_email,
        template,
        {"ticket": ticket, **context},
        language=ticket.language,
        cc=ticket.cc,
        headers=headers,
        from_email=ticket.queue.email or None,
        attachments=files or (),
    )
