"""Ready answers (canned replies) of a cluster's help desk, in each language it answers in: its staff write them
here and insert them from a ticket's reply box, with the placeholders filled in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbridge.core.bounds import parse_id
from greenbridge.orgs.models import Organisation

from .. import selectors, services
from ..forms import CannedReplyForm
from ..models import CannedReply


def _organisations(user) -> list[Organisation]:
    """The clusters whose queues the user answers."""
    staffed = selectors.queues_staffed_by(user).values("organisation")
    found = Organisation.objects.filter(pk__in=staffed).order_by("name")
    if not found:
        raise PermissionDenied
    return list(found)


@login_required
def canned_list(request):
    organisations = _organisations(request.user)
    chosen = next((o for o in organisations if o.pk == parse_id(request.POST.get("organisation"))), organisations[0])
    form = CannedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.canned_save(organisation=chosen, form=form)
        messages.success(request, _("Saved."))
        return redirect("helpdesk:canned")
    replies = CannedReply.objects.filter(organisation__in=organisations).select_related("organisation")
    context = {"replies": replies, "form": form, "organisations": organisations, "chosen": chosen}
    return render(request, "helpdesk/canned.html", context)


def _reply(request, pk: int) -> CannedReply:
    return get_object_or_404(CannedReply, pk=pk, organisation__in=_organisations(request.user))


@login_required
def canned_edit(request, pk: int):
    reply = _reply(request, pk)
    form = CannedReplyForm(request.POST or None, instance=reply)
    if request.method == "POST" and form.is_valid():
        services.canned_save(organisation=reply.organisation, form=form)
        messages.success(request, _("Saved."))
        return redirect("helpdesk:canned")
    return render(request, "helpdesk/canned_edit.html", {"form": form, "reply": reply})


@login_required
@require_POST
def canned_delete(request, pk: int):
    _reply(request, pk).delete()
    messages.success(request, _("Deleted."))
    return redirect("helpdesk:canned")
