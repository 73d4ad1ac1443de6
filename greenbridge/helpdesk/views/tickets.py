"""The help desk's pages: the tickets a person sees (its own and its company's, or its queues'), asking a question,
a ticket's thread with the reply box (and for the staff internal notes, status, priority, assignee, tags), rating.
Thin: reads through selectors, changes through services, permissions through rules."""

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbridge.core import drafts
from greenbridge.core.bounds import parse_id
from greenbridge.core.errors import Refused
from greenbridge.core.forms import form_problems
from greenbridge.core.templatetags.greenbridge import colon
from greenbridge.knowledge import services as knowledge_services
from greenbridge.portfolio.models import Service

from .. import selectors, services, sla
from ..forms import BulkForm, ChangeForm, EngagementForm, RatingForm, ReplyForm, StaffReplyForm, TicketForm
from ..models import SUBJECT_MAX, TEXT_MAX, Attachment, CannedReply, Message, Priority, Queue, Ticket
from ..sections import ABOUT, ABOUT_TOPIC

PER_PAGE = 50
ARTICLES_OFFERED = 10  # articles offered to link in an answer


def _ticket(request, pk: int, perm: str = "helpdesk.view_ticket") -> Ticket:
    related = ("queue__organisation", "queue__calendar", "organisation", "assignee")
    ticket = get_object_or_404(Ticket.objects.select_related(*related), pk=pk)
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
        organisation=parse_id(get.get("organisation")),
        sla=get.get("sla", "") if get.get("sla", "") in {"overdue", "at_risk"} else "",
        tag=get.get("tag", "")[:40] if staff else "",  # tags are the staff's words
        q=get.get("q", "")[:200],
    )
    found = selectors.tickets_for(request.user, filters)
    page = Paginator(found, PER_PAGE).get_page(get.get("page"))
    clocks, now = sla.Clocks(), timezone.now()
    staffed_ids = set(staffed.values_list("pk", flat=True))
    for t in page:
        t.sla_state = sla.state(t, now, clocks)
        t.staff_tags = t.tags if t.queue_id in staffed_ids else []  # not to the company that asked
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
            "quarantined": selectors.quarantine_for(request.user).count() if staff else 0,
            "bulk_form": _bulk_form(request.user, staffed) if staff else None,
        },
    )


def _bulk_form(user, staffed, data=None) -> BulkForm:
    staff = (
        get_user_model()
        .objects.filter(pk__in=[p.pk for q in staffed.prefetch_related("agents") for p in q.staff()])
        .order_by("first_name", "email")
    )
    return BulkForm(data, tickets=Ticket.objects.filter(queue__in=staffed, merged_into=None), agents=staff)


@login_required
@require_POST
def ticket_bulk(request):
    """The tickets ticked in the list: assigned, given a status, or merged into the oldest of them."""
    staffed = selectors.queues_staffed_by(request.user)
    if not staffed.exists():
        raise PermissionDenied
    form = _bulk_form(request.user, staffed, request.POST)
    back = redirect(f"{reverse('helpdesk:tickets')}?{request.POST.get('back', '')[:1000]}")
    if not form.is_valid():
        messages.error(request, _("Nothing changed: %(problems)s") % {"problems": form_problems(form)})
        return back
    data = form.cleaned_data
    tickets = sorted(data["tickets"], key=lambda t: (t.created, t.pk))
    try:
        if data["action"] == "merge":
            into = services.merge(tickets=tickets[1:], into=tickets[0], user=request.user)
            messages.success(
                request,
                _("%(n)s tickets merged into %(reference)s.") % {"n": len(tickets) - 1, "reference": into.reference},
            )
            return redirect(into)
        if data["action"] == "assign":
            changed = services.bulk_change(tickets=tickets, user=request.user, assignee=data["assignee"])
        else:
            changed = services.bulk_change(tickets=tickets, user=request.user, status=data["status"])
    except Refused as exc:
        messages.error(request, str(exc))
        return back
    messages.success(request, _("%(n)s tickets changed.") % {"n": changed})
    return back


@login_required
@require_POST
def ticket_engagement(request, pk: int):
    """The advisor turns the question into a service for the company (planned, with the ticket's advisor)."""
    ticket = _ticket(request, pk, "helpdesk.answer_ticket")
    form = EngagementForm(request.POST, services=_services_of(ticket))
    if not form.is_valid():
        messages.error(request, _("Not done: %(problems)s") % {"problems": form_problems(form)})
        return redirect("helpdesk:ticket", pk=pk)
    try:
        engagement = services.to_engagement(ticket=ticket, user=request.user, service=form.cleaned_data["service"])
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("helpdesk:ticket", pk=pk)
    messages.success(request, _("%(company)s now has this service, planned.") % {"company": ticket.organisation.name})
    return redirect(engagement)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def _about(request) -> tuple[str, object] | tuple[None, None]:
    """The notice, event, opportunity or assessment the question is about (?notice=ID…), if the person sees it."""
    for kind, (model, perm) in ABOUT.items():
        pk = parse_id(request.GET.get(kind))
        if pk is None:
            continue
        found = model.objects.filter(pk=pk).first()
        if found is not None and (perm is None or rules.has_perm(perm, request.user, found)):
            return kind, found
    return None, None


@login_required
def ticket_new(request):
    company = selectors.company_of(request.user)
    queues = selectors.queues_open_to(request.user, company)
    kind, about = _about(request)
    initial = {"queue": request.GET.get("queue")}
    if about is not None:
        initial["subject"] = str(getattr(about, "title", "") or about)[:SUBJECT_MAX]
        if not initial["queue"]:  # a question about a notice goes to procurement, if the company has such a queue
            topic = ABOUT_TOPIC.get(kind, Queue.Topic.GENERAL)
            initial["queue"] = next((q.pk for q in queues if q.topic == topic), None)
    form = TicketForm(request.POST or None, request.FILES or None, queues=queues, initial=initial)
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
                links={kind: about} if about is not None else None,
                files=data["attachments"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            # Asked after all: the articles voted helpful just before did not answer it.
            knowledge_services.deflections_withdraw(user=request.user, session_key=request.session.session_key or "")
            messages.success(request, _("Your question is with %(queue)s.") % {"queue": ticket.queue.name})
            return redirect("helpdesk:ticket", pk=ticket.pk)
    return render(request, "helpdesk/ticket_new.html", {"form": form, "company": company, "about": about})


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
    refused, typed = drafts.take(request, ticket)  # a reply refused (a file too large…) comes back as typed
    if staff:
        # A good public reply can become an article of the queue's knowledge base.
        organisation = ticket.queue.organisation
        context["can_write_articles"] = rules.has_perm("knowledge.write_articles", request.user, organisation)
        canned = _canned_for(ticket)
        chosen = parse_id(request.GET.get("canned"))
        text = request.GET.get("text", "")[:TEXT_MAX]  # what was typed already (htmx sends it along)
        if reply := next((c for c in canned if c.pk == chosen), None):
            text = f"{text.rstrip()}\n\n{reply.render(ticket, request.user)}".strip()
        # The queue's articles that may answer the question, which its requester may read: a link to one goes in.
        articles = _articles_for(ticket)
        if article := next((a for a in articles if a.pk == parse_id(request.GET.get("article"))), None):
            link = request.build_absolute_uri(article.get_absolute_url())
            text = f"{text.rstrip()}\n\n{article.title}{colon()}{link}".strip()
        context["articles"] = articles
        context["reply_form"] = StaffReplyForm(typed) if refused == "reply" else StaffReplyForm(initial={"text": text})
        context["canned"] = canned
        context["chosen_canned"] = chosen
        if ticket.engagement_id is None and ticket.organisation_id:
            context["engagement_form"] = EngagementForm(services=_services_of(ticket))
        context["change_form"] = ChangeForm(
            auto_id="change-%s",  # the reply form has a status field too: one id each
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
        context["reply_form"] = ReplyForm(typed) if refused == "reply" else ReplyForm()
        # Rated once answered or resolved by the staff; not a question withdrawn before any answer.
        answered = ticket.first_response_at is not None or ticket.status == Ticket.Status.RESOLVED
        if ticket.status in Ticket.DONE and ticket.satisfaction is None and answered:
            context["rating_form"] = RatingForm()
    return render(request, "helpdesk/ticket.html", context)


def _services_of(ticket: Ticket):
    """The services the queue's cluster offers now."""
    return Service.objects.active().filter(provider_id=ticket.queue.organisation_id).order_by("name")


def _articles_for(ticket: Ticket) -> list:
    """The published articles of the queue's cluster its requester may read, those that share words with the
    question first (knowledge.selectors.suggestions), else the newest."""
    from django.contrib.auth.models import AnonymousUser

    from greenbridge.knowledge import selectors as knowledge

    reader = ticket.requester or AnonymousUser()
    first = ticket.messages.order_by("created").values_list("text", flat=True).first() or ""
    organisation = ticket.queue.organisation
    found = knowledge.suggestions(
        user=reader, organisation=organisation, text=f"{ticket.subject} {first[:500]}", language=ticket.language
    )
    if len(found) < ARTICLES_OFFERED:
        others = knowledge.articles_for(reader).filter(organisation=organisation).exclude(pk__in=[a.pk for a in found])
        found += list(others.order_by("-published_at")[: ARTICLES_OFFERED - len(found)])
    return found


def _canned_for(ticket: Ticket) -> list[CannedReply]:
    """The cluster's ready answers, those in the ticket's language first."""
    found = CannedReply.objects.filter(organisation_id=ticket.queue.organisation_id)
    return sorted(found, key=lambda c: (c.language != ticket.language, c.title.casefold(), c.language))


def _history(ticket: Ticket) -> list[dict]:
    """The ticket's log in words: who, when, what changed from what to what (statuses and priorities by label)."""
    fields = {
        "status": _("status"),
        "priority": _("priority"),
        "assignee": _("assigned to"),
        "tags": _("tags"),
        "satisfaction": _("rating"),
        "sla": _("service level"),
        "merged": _("merged"),
        "engagement": _("service"),
        "quarantine": _("taken in from the quarantine"),
    }
    labels = {
        "status": dict(Ticket.Status.choices),
        "priority": dict(Priority.choices),
        "sla": {"breached": _("missed")},
        "quarantine": {"released": _("yes")},
    }
    rows = []
    for c in ticket.changes.select_related("actor"):
        shown = labels.get(c.field, {})
        rows.append(
            {
                "when": c.created,
                # Without a person: the service-level clock's escalations, else the requester (by e-mail).
                "who": c.actor or (_("GreenBridge, automatically") if c.field in ("sla", "priority") else None),
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
    form = (StaffReplyForm if staff else ReplyForm)(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Not sent: %(problems)s") % {"problems": form_problems(form)})
        drafts.keep(request, ticket, "reply")
        return redirect("helpdesk:ticket", pk=pk)
    data = form.cleaned_data
    try:
        if staff:
            services.reply(
                ticket=ticket,
                user=request.user,
                text=data["text"],
                internal=data["internal"],
                status=data["status"],
                files=data["attachments"],
            )
            messages.success(request, _("Note added.") if data["internal"] else _("Reply sent."))
        else:
            services.requester_reply(ticket=ticket, user=request.user, text=data["text"], files=data["attachments"])
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
