"""The help desk's side of the knowledge base (greenbridge.knowledge, which knows nothing of tickets): the articles
suggested while a requester types a ticket's subject, and an advisor's public reply made into a draft article."""

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from greenbridge.core.bounds import parse_id
from greenbridge.knowledge import selectors as knowledge
from greenbridge.knowledge import services as knowledge_services
from greenbridge.knowledge.models import QUERY_MAX

from .. import selectors
from ..models import Message
from .tickets import _ticket


@login_required
@require_GET
def suggest(request):
    """The partial under the subject of "Ask a question": the published articles of the chosen queue's organisation
    that the requester may read and that share words with the subject (none for a queue the requester may not ask)."""
    subject = request.GET.get("subject", "")[:QUERY_MAX]
    queue_id = parse_id(request.GET.get("queue", ""))
    queues = selectors.queues_open_to(request.user, selectors.company_of(request.user))
    queue = queues.filter(pk=queue_id).first() if queue_id else None
    found = []
    if queue is not None and subject.strip():
        found = knowledge.suggestions(
            user=request.user, organisation=queue.organisation, text=subject, language=knowledge.reader_language()
        )
    return render(request, "knowledge/_suggestions.html", {"suggestions": found, "asked": subject})


@login_required
@require_POST
def reply_to_article(request, pk: int, message_pk: int):
    """A good public reply becomes a draft article of the queue's organisation (titled by the ticket's subject, in
    the ticket's language), opened for editing; the same reply twice opens the same draft."""
    ticket = _ticket(request, pk, "helpdesk.answer_ticket")
    message = get_object_or_404(Message, pk=message_pk, ticket=ticket, kind=Message.Kind.PUBLIC)
    organisation = ticket.queue.organisation
    if not rules.has_perm("knowledge.write_articles", request.user, organisation):
        raise PermissionDenied
    origin = f"helpdesk.message:{message.pk}"
    article = knowledge.article_by_origin(organisation=organisation, origin=origin)
    if article is None:
        article = knowledge_services.article_create(
            organisation=organisation,
            title=ticket.subject,
            body=message.text,
            language=ticket.language if ticket.language in dict(settings.LANGUAGES) else knowledge.reader_language(),
            author=request.user,
            origin=origin,
        )
        messages.success(
            request,
            _("A draft article was made from the reply: remove what is only this company's, then publish it."),
        )
    return redirect("knowledge:edit", org=organisation.slug, pk=article.pk)
