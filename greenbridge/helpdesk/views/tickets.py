"""The help desk's pages: the tickets a person sees (its own and its company's, or its queues'), asking a question,
a ticket's thread with the reply box (and for the staff internal notes, status, priority, assignee, tags), rating.
Thin: reads through selectors, changes through services, permissions through rules."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbridge.core.bounds import parse_id
from greenbridge.core.errors import Refused
from greenbridge.core.forms import form_problems
from greenbridge.knowledge import services as knowledge_services

from .. import selectors, services, sla
from ..forms import ChangeForm, RatingForm, ReplyForm, StaffReplyForm, TicketForm
from ..models import Attachment, Message, Priority, Ticket

PER_PAGE = 50


def _ticket(request, pk: int, perm: str = "helpdesk.view_ticket") -> Ticket:
    ticket = get_object_or_404(Ticket.objects.select_related("queue__organisation", "organisation", "assignee"), pk=pk)
    if not rules.has_perm(perm, request.user, ticket):
        raise PermissionDenied
    return ticket


@login_required
def ticket_list(request):
    staffed = selectors.queues_staffed_by(request.user)
    staff = staffed.exists()
    get = request.GET
    status = get.get("status", "unresolved" if staff else "")  # the staff see what is left to do first
    filters = selectors.Filters(
        queue=parse_id(get.get("queue")),
        status=status if status in {"unresolved", *Ticket.Status.values} else "",
        priority=get.get("priority", "") if get.get("priority", "") in Priority.values else "",
        assignee=get.get("assignee", "") if get.get("assignee", "") in {"me", "none"} else "",
        tag=get.get("tag", "")[:40],
        q=get.get("q", "")[:200],
    )
    found = selectors.tickets_for(request.user, filters)
    page = Paginator(found, PER_PAGE).get_page(get.get("page"))
    clocks, now = sla.Clocks(), timezone.now()
    for t in page:
        t.sla_state = sla.state(t, now, clocks)
    return render(
        request,
        "helpdesk/tickets.html",
        {
            "page": page,
            "staff": staff,
            "queues": staffed,
            "filters": filters,
            "statuses": Ticket.Status.choices,
            "priorities": Priority.choices,
            "query": _without_page(get),
        },
    )


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def ticket_new(request):
    company = selectors.company_of(request.user)
    queues = selectors.queues_open_to(request.user, company)
    form = TicketForm(request.POST or None, queues=queues, initial={"queue": request.GET.get("queue")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_open(
                queue=data["queue"],
                subject=data["subject"],
                text=data["text"],
                requester=request.user,
                organisation=company,
                language=get_language() or "",
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            # Asked after all: the articles voted helpful just before did not answer it.
            knowledge_services.deflections_withdraw(user=request.user, session_key=request.session.session_key or "")
            messages.success(request, _("Your question is with %(queue)s.") % {"queue": ticket.queue.name})
            return redirect("helpdesk:ticket", pk=ticket.pk)
    return render(request, "helpdesk/ticket_new.html", {"form": form, "company": company})


@login_required
def ticket_detail(request, pk: int):
    ticket = _ticket(request, pk)
    staff = rules.has_perm("helpdesk.answer_ticket", request.user, ticket)
    context = {
        "ticket": ticket,
        "staff": staff,
        "thread": selectors.thread_for(request.user, ticket, staff=staff),
        "sla_state": sla.state(ticket, timezone.now(), sla.Clocks()),
        "can_reply": rules.has_perm("helpdesk.reply_ticket", request.user, ticket),
    }
    if staff:
        # A good public reply can become an article of the queue's knowledge base.
        organisation = ticket.queue.organisation
        context["can_write_articles"] = rules.has_perm("knowledge.write_articles", request.user, organisation)
        context["reply_form"] = StaffReplyForm()
        context["change_form"] = ChangeForm(
            agents=ticket.queue.staff().order_by("email"),
            initial={
                "status": ticket.status,
                "priority": ticket.priority,
                "assignee": ticket.assignee_id,
                "tags": ticket.tags,
            },
        )
        context["history"] = _history(ticket)
    else:
        context["reply_form"] = ReplyForm()
        if ticket.status in Ticket.DONE and ticket.satisfaction is None:
            context["rating_form"] = RatingForm()
    return render(request, "helpdesk/ticket.html", context)


def _history(ticket: Ticket) -> list[dict]:
    """The ticket's log in words: who, when, what changed from what to what (statuses and priorities by label)."""
    fields = {
        "status": _("status"),
        "priority": _("priority"),
        "assignee": _("assigned to"),
        "tags": _("tags"),
        "satisfaction": _("rating"),
    }
    labels = {"status": dict(Ticket.Status.choices), "priority": dict(Priority.choices)}
    rows = []
    for c in ticket.changes.select_related("actor"):
        shown = labels.get(c.field, {})
        rows.append(
            {
                "when": c.created,
                "who": c.actor,
                "field": fields.get(c.field, c.field),
                "old": shown.get(c.old, c.old),
                "new": shown.get(c.new, c.new),
            }
        )
    return rows


@login_required
@require_POST
def ticket_reply(request, pk: int):
    ticket = _ticket(request, pk)
    staff = rules.has_perm("helpdesk.answer_ticket", request.user, ticket)
    if not staff and not rules.has_perm("helpdesk.reply_ticket", request.user, ticket):
        raise PermissionDenied
    form = (StaffReplyForm if staff else ReplyForm)(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not sent: %(problems)s") % {"problems": form_problems(form)})
        return redirect("helpdesk:ticket", pk=pk)
    data = form.cleaned_data
    try:
        if staff:
            services.reply(
                ticket=ticket, user=request.user, text=data["text"], internal=data["internal"], status=data["status"]
            )
            messages.success(request, _("Note added.") if data["internal"] else _("Reply sent."))
        else:
            services.requester_reply(ticket=ticket, user=request.user, text=data["text"])
            messages.success(request, _("Reply sent."))
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("helpdesk:ticket", pk=pk)


@login_required
@require_POST
def ticket_change(request, pk: int):
    ticket = _ticket(request, pk, "helpdesk.answer_ticket")
    form = ChangeForm(request.POST, agents=ticket.queue.staff())
    if form.is_valid():
        data = form.cleaned_data
        services.change(
            ticket=ticket,
            user=request.user,
            status=data["status"],
            priority=data["priority"],
            assignee=data["assignee"],
            tags=data["tags"],
        )
        messages.success(request, _("Ticket updated."))
    else:
        messages.error(request, _("Not changed: %(problems)s") % {"problems": form_problems(form)})
    return redirect("helpdesk:ticket", pk=pk)


@login_required
@require_POST
def ticket_close(request, pk: int):
    """The requester's side closes its own question."""
    ticket = _ticket(request, pk, "helpdesk.reply_ticket")
    services.change(ticket=ticket, user=request.user, status=Ticket.Status.CLOSED)
    messages.success(request, _("Closed. Thank you."))
    return redirect("helpdesk:ticket", pk=pk)


@login_required
@require_POST
def ticket_rate(request, pk: int):
    ticket = _ticket(request, pk, "helpdesk.reply_ticket")
    form = RatingForm(request.POST)
    if form.is_valid():
        services.rate(
            ticket=ticket, user=request.user, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
        )
        messages.success(request, _("Thank you for your rating."))
    else:
        messages.error(request, _("Not rated: %(problems)s") % {"problems": form_problems(form)})
    return redirect("helpdesk:ticket", pk=pk)


@login_required
def attachment(request, pk: int, attachment_pk: int):
    """An attachment, to the people who see its message (an internal note's: the staff only), always as a download
    with the type read from its content, never shown in the page."""
    ticket = _ticket(request, pk)
    found = get_object_or_404(Attachment.objects.select_related("message"), pk=attachment_pk, message__ticket=ticket)
    if found.message.kind == Message.Kind.INTERNAL and not rules.has_perm(
        "helpdesk.answer_ticket", request.user, ticket
    ):
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=found.filename, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
