"""Every change to opportunities, interests and partnerships goes through a function here."""

from typing import Any

import rules
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbridge.core.errors import Refused
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.rules import publishing_refused

from . import mail
from .models import Interest, Opportunity, Partnership


def opportunity_save(
    *, data: dict[str, Any], user=None, organisation: Organisation | None = None, opportunity: Opportunity | None = None
) -> Opportunity:
    """Publish a new opportunity for `organisation`, or change `opportunity`. Saving a closed or expired one
    with a future date opens it again. `user`, who publishes, must be allowed to (`orgs.publish_as`; for a
    procurement need `orgs.publish_procurement_need`), else `Refused` says why; without a user the platform
    itself writes (the demo)."""
    if opportunity is None:
        opportunity = Opportunity(organisation=organisation, author=user, event=data.get("event"))
    if user is not None:
        need = data.get("kind", opportunity.kind) == Opportunity.Kind.PROCUREMENT_NEED
        perm = "orgs.publish_procurement_need" if need else "orgs.publish_as"
        if not rules.has_perm(perm, user, opportunity.organisation):
            raise Refused(publishing_refused(user, opportunity.organisation, procurement_need=need))
    for name in Opportunity.EDITABLE:
        if name in data:
            setattr(opportunity, name, data[name])
    opportunity.title = opportunity.title.strip()
    if opportunity.pk and opportunity.expires >= timezone.localdate():
        opportunity.status = Opportunity.Status.OPEN
    opportunity.full_clean(exclude=["author", "event"])
    opportunity.save()
    return opportunity


def opportunity_close(*, opportunity: Opportunity) -> None:
    """Taken off the marketplace (found a partner, no longer needed). Pending interests are declined."""
    with transaction.atomic():
        opportunity.status = Opportunity.Status.CLOSED
        opportunity.save(update_fields=["status", "updated"])
        opportunity.interests.filter(status=Interest.Status.PENDING).update(
            status=Interest.Status.DECLINED, answered=timezone.now()
        )


@transaction.atomic
def interest_create(*, opportunity: Opportunity, organisation: Organisation, user, message: str) -> Interest:
    """Ask the owner to get in touch. Once per organisation and opportunity; a withdrawn interest may be sent
    again. The owner's people are told by e-mail."""
    if organisation.pk == opportunity.organisation_id:
        raise Refused(_("This is your own organisation's opportunity."))
    if not opportunity.is_open:
        raise Refused(_("This opportunity is closed: its owner no longer takes contacts."))
    if not message.strip():
        raise Refused(_("Write a few words: who you are and why you are interested."))
    interest = opportunity.interests.filter(organisation=organisation).first()
    if interest and interest.status != Interest.Status.WITHDRAWN:
        raise Refused(_("%(organisation)s has already expressed interest.") % {"organisation": organisation})
    try:
        with transaction.atomic():
            if interest is None:
                interest = Interest(opportunity=opportunity, organisation=organisation)
            interest.user, interest.message = user, message.strip()
            interest.status, interest.answered, interest.answered_by = Interest.Status.PENDING, None, None
            interest.save()
    except IntegrityError as exc:  # the same organisation, twice at once
        raise Refused(_("%(organisation)s has already expressed interest.") % {"organisation": organisation}) from exc
    transaction.on_commit(lambda: mail.interest_received(interest.pk))
    return interest


@transaction.atomic
def interest_answer(*, interest: Interest, user, accept: bool) -> Interest:
    """The owner accepts contact (both sides then see each other's contact details) or declines."""
    if interest.status != Interest.Status.PENDING:
        raise Refused(_("This interest is no longer waiting for an answer."))
    interest.status = Interest.Status.ACCEPTED if accept else Interest.Status.DECLINED
    interest.answered, interest.answered_by = timezone.now(), user
    interest.save(update_fields=["status", "answered", "answered_by"])
    transaction.on_commit(lambda: mail.interest_answered(interest.pk))
    return interest


def interest_withdraw(*, interest: Interest) -> None:
    if interest.status not in (Interest.Status.PENDING, Interest.Status.ACCEPTED):
        raise Refused(_("This interest is no longer open."))
    interest.status = Interest.Status.WITHDRAWN
    interest.save(update_fields=["status"])


@transaction.atomic
def partnership_save(
    *,
    data: dict[str, Any],
    organisation: Organisation,
    user=None,
    partnership: Partnership | None = None,
) -> Partnership:
    """Record (or change) a partnership; `organisation`, the one recording it, is always a partner. The source
    (meeting, event, opportunity) is set once, when it is recorded."""
    if partnership is None:
        partnership = Partnership(recorded_by=user)
        for source in ("meeting", "event", "opportunity"):
            setattr(partnership, source, data.get(source))
        if partnership.meeting and not partnership.event:
            partnership.event = partnership.meeting.event
    for name in ("kind", "title", "description", "other_partners", "date", "stage", "value", "currency"):
        if name in data:
            setattr(partnership, name, data[name])
    kept = Partnership.objects.filter(pk=partnership.pk).values_list("evidence", flat=True).first() or ""
    if "evidence" in data:  # an upload, the file kept, or False when "clear" was ticked
        partnership.evidence = data["evidence"] or ""
    partnership.full_clean(exclude=["recorded_by", "meeting", "event", "opportunity", "evidence"])
    partnership.save()
    if kept and kept != partnership.evidence.name:
        partnership.evidence.storage.delete(kept)  # replaced or cleared: no orphan left in private storage
    partners = {organisation, *data.get("organisations", ())}
    if "organisations" in data or not partnership.organisations.exists():
        partnership.organisations.set(partners)
    return partnership
