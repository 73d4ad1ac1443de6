"""Mail in, for the queues' staff: each queue's address and mailbox (when it was last read, what went wrong) and the
quarantine — the messages that did not become tickets, with why — each downloadable as it arrived, to be taken in
after all or discarded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbridge.core.bounds import parse_id
from greenbridge.core.errors import Refused

from .. import intake, selectors


@login_required
def mailboxes(request):
    queues = list(selectors.queues_staffed_by(request.user).select_related("organisation").order_by("name"))
    if not queues:
        raise PermissionDenied
    chosen = parse_id(request.GET.get("queue"))
    page = Paginator(selectors.quarantine_for(request.user, queue=chosen), 50).get_page(request.GET.get("page"))
    return render(request, "helpdesk/mail.html", {"queues": queues, "chosen": chosen, "page": page})


def _kept(request, pk: int):
    return get_object_or_404(selectors.quarantine_for(request.user), pk=pk)


@login_required
def quarantined_raw(request, pk: int):
    """The message exactly as it arrived, as a download (never shown in the page: it may be hostile)."""
    kept = _kept(request, pk)
    try:
        handle = kept.raw.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=f"quarantined-{kept.pk}.eml", content_type="message/rfc822"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def quarantined_release(request, pk: int):
    kept = _kept(request, pk)
    try:
        ticket = intake.release(kept, by=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("helpdesk:mail")
    messages.success(request, _("Taken in as %(reference)s.") % {"reference": ticket.reference})
    return redirect(ticket)


@login_required
@require_POST
def quarantined_discard(request, pk: int):
    intake.discard(_kept(request, pk))
    messages.success(request, _("Discarded."))
    return redirect("helpdesk:mail")
