"""The page a rating link of the resolution e-mail opens (satisfaction.py): no sign-in needed, the link is signed
for its ticket. It opens with the link's score chosen and a comment box; the rating is saved when the page is sent,
so that a mail scanner opening every link rates nothing. A rating given before is shown and may be changed (as
from the portfolio's rating links)."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .. import services
from ..forms import RatingForm
from ..models import Ticket
from ..satisfaction import RATING_MAX_AGE, LinkExpired, LinkInvalid, ticket_of_token


def rate_by_link(request, pk: int, score: int, token: str):
    try:
        signed_for = ticket_of_token(token)
    except LinkExpired:
        problem = _(
            "This rating link is more than %(days)s days old. Sign in and rate the answer on the ticket's page."
        ) % {"days": RATING_MAX_AGE // 86400}
        return render(request, "helpdesk/rate.html", {"problem": problem}, status=400)
    except LinkInvalid:
        signed_for = None
    if signed_for != pk:
        problem = _(
            "This rating link is not complete or was changed. Open it again from the e-mail, or sign in and rate "
            "the answer on the ticket's page."
        )
        return render(request, "helpdesk/rate.html", {"problem": problem}, status=400)
    ticket = get_object_or_404(Ticket.objects.select_related("queue__organisation"), pk=pk)
    context = {"ticket": ticket}
    if ticket.status not in Ticket.DONE:
        context["problem"] = _("This question was opened again after the e-mail: rate it once it is resolved.")
        return render(request, "helpdesk/rate.html", context, status=409 if request.method == "POST" else 200)
    form = RatingForm(
        request.POST or None,
        initial={"score": score if 1 <= score <= 5 else None, "comment": ticket.satisfaction_comment},
    )
    if request.method == "POST" and form.is_valid():
        services.rate(
            ticket=ticket, user=request.user, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
        )
        return render(request, "helpdesk/rate.html", {**context, "thanks": True})
    context["form"] = form
    return render(request, "helpdesk/rate.html", context, status=400 if request.method == "POST" else 200)
