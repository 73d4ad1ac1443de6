"""E-mails of the marketplace: an interest received (to the owner's people), and its answer (to the person
who expressed it)."""

from django.conf import settings

from greenbridge.core.mail import send_to_user
from greenbridge.orgs.models import Membership

from .models import Interest


def _context(interest: Interest) -> dict:
    return {
        "interest": interest,
        "opportunity": interest.opportunity,
        "opportunity_url": f"{settings.BASE_URL}{interest.opportunity.get_absolute_url()}",
    }


def interest_received(interest_pk: int) -> None:
    interest = Interest.objects.select_related("opportunity__organisation", "organisation", "user").get(pk=interest_pk)
    owner = interest.opportunity.organisation
    author = interest.opportunity.author
    people = [author] if author and owner.memberships.filter(user=author).exists() else []
    if not people:  # whoever published it has left: the organisation's admins
        people = [m.user for m in owner.memberships.select_related("user").filter(role=Membership.Role.ADMIN)]
    for person in people:
        send_to_user(person, "partnering/email/interest", _context(interest))


def interest_answered(interest_pk: int) -> None:
    interest = Interest.objects.select_related("opportunity__organisation", "organisation", "user", "answered_by").get(
        pk=interest_pk
    )
    send_to_user(interest.user, "partnering/email/interest_answer", _context(interest))
