"""Writes to organisations, memberships and invitations."""

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from greenbridge.core import timezones
from greenbridge.core.errors import Refused
from greenbridge.core.mail import send_to_address, send_to_user

from .models import ClusterMembership, Invitation, Membership, Organisation

RESERVED_SLUGS = {"new", "verification", "invitations"}  # taken by the pages under /orgs/


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organisation_create(*, name: str, kind: str, country: str, admin=None, **fields: Any) -> Organisation:
    org = Organisation.objects.create(name=name, kind=kind, country=country, slug=_unique_slug(name), **fields)
    if admin is not None:
        role = Membership.Role.MANAGER if org.is_cluster else Membership.Role.ADMIN
        Membership.objects.create(user=admin, organisation=org, role=role)
    return org


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields: Any) -> Organisation:
    """Change a profile. An organisation of a kind operators verify that takes another name, or becomes of such a
    kind, is what they verified no more: it waits for verification again. One they refused asks again by changing
    its profile (what their note asked for)."""
    # Compared with the row as stored: a bound form has already put its values on `organisation`.
    stored = Organisation.objects.filter(pk=organisation.pk).first()
    changed = stored is not None and any(getattr(stored, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(organisation, name, value)
    renamed = stored is not None and (organisation.name, organisation.kind) != (stored.name, stored.kind)
    asks_again = changed and stored.verification == Organisation.Verification.REFUSED
    if organisation.needs_verification and (renamed or asks_again):
        organisation.verification = Organisation.Verification.PENDING
        organisation.verified_at = organisation.verified_by = None
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, by, verified: bool, note: str = "") -> Organisation:
    """An operator verifies an organisation (it may then publish as its kind) or refuses to (`note` says why).
    Its administrators and managers are told by e-mail, each in their language."""
    organisation.verification = Organisation.Verification.VERIFIED if verified else Organisation.Verification.REFUSED
    organisation.verified_at, organisation.verified_by = timezone.now(), by
    organisation.verification_note = note.strip()
    organisation.save(update_fields=["verification", "verified_at", "verified_by", "verification_note", "updated"])
    admins = [
        m.user
        for m in organisation.memberships.select_related("user").filter(
            role__in=[Membership.Role.ADMIN, Membership.Role.MANAGER]
        )
    ]
    template = "orgs/email/verified" if verified else "orgs/email/refused"
    context = {"organisation": organisation}
    transaction.on_commit(lambda: [send_to_user(user, template, context) for user in admins])
    return organisation


@transaction.atomic
def membership_set(*, user, organisation: Organisation, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(user=user, organisation=organisation, defaults={"role": role})
    return membership


@transaction.atomic
def cluster_member_add(
    *, cluster: Organisation, member: Organisation, shares_private_data: bool = False
) -> ClusterMembership:
    if not cluster.is_cluster:
        raise ValueError(f"{cluster} is not a cluster or business support organisation")
    link, _ = ClusterMembership.objects.update_or_create(
        cluster=cluster, member=member, defaults={"shares_private_data": shares_private_data}
    )
    return link


# ---- invitations ----------------------------------------------------------------------------------


def _invitation_language(invitation: Invitation) -> str:
    """The invitee's language if known (chosen by the manager, or the person's own if they have an account and a
    language), else "" (the site's)."""
    if invitation.language:
        return invitation.language
    person = get_user_model().objects.filter(email__iexact=invitation.email).first()
    return getattr(person, "language", "") or ""


def _invitation_send(invitation: Invitation) -> None:
    invitation.sent, invitation.sends = timezone.now(), invitation.sends + 1
    invitation.save(update_fields=["sent", "sends"])
    context = {"invitation": invitation, "cluster": invitation.cluster, "inviter": invitation.invited_by}
    language = _invitation_language(invitation)
    transaction.on_commit(
        lambda: send_to_address(invitation.email, "orgs/email/invitation", context, language=language)
    )


def _member_of(cluster: Organisation, email: str) -> Organisation | None:
    """The member organisation (or the cluster itself) a person with this address already belongs to."""
    return (
        Organisation.objects.filter(memberships__user__email__iexact=email)
        .filter(Q(cluster_links__cluster=cluster) | Q(pk=cluster.pk))
        .first()
    )


@transaction.atomic
def invitation_create(
    *, cluster: Organisation, by, email: str, organisation_name: str = "", message: str = "", language: str = ""
) -> Invitation:
    """Invite a company, by an address, to join the cluster; the e-mail goes out when the transaction commits. An
    address whose person is in a member already, or that has an invitation waiting, is refused with why."""
    email = email.strip().lower()
    if (org := _member_of(cluster, email)) is not None:
        if org.pk == cluster.pk:
            raise Refused(
                _("%(email)s is one of %(cluster)s's own people already.") % {"email": email, "cluster": cluster.name}
            )
        raise Refused(
            _("%(email)s is already in %(organisation)s, a member of %(cluster)s.")
            % {"email": email, "organisation": org.name, "cluster": cluster.name}
        )
    waiting = (
        Invitation.objects.select_for_update()
        .filter(cluster=cluster, email=email, status=Invitation.Status.PENDING)
        .first()
    )
    if waiting is not None and waiting.state == Invitation.Status.PENDING:
        raise Refused(
            _(
                "An invitation to %(email)s is already waiting for an answer: resend it from the list below if it "
                "got lost."
            )
            % {"email": email}
        )
    if waiting is not None:  # expired: it makes way for the new one
        waiting.status, waiting.answered = Invitation.Status.CANCELLED, timezone.now()
        waiting.save(update_fields=["status", "answered"])
    invitation = Invitation.objects.create(
        cluster=cluster,
        email=email,
        organisation_name=organisation_name.strip(),
        message=message.strip(),
        language=language,
        invited_by=by,
        expires=timezone.now() + timedelta(days=Invitation.VALID_DAYS),
    )
    _invitation_send(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by) -> Invitation:
    """Send a waiting (or expired) invitation again, with the same link, valid for another VALID_DAYS."""
    if invitation.status != Invitation.Status.PENDING:
        raise Refused(
            _("This invitation was %(state)s: it cannot be sent again. Invite the address anew.")
            % {"state": invitation.get_status_display().lower()}
        )
    invitation.expires = timezone.now() + timedelta(days=Invitation.VALID_DAYS)
    invitation.invited_by = invitation.invited_by or by
    invitation.save(update_fields=["expires", "invited_by"])
    _invitation_send(invitation)
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, by) -> Invitation:
    """Withdraw a waiting invitation: its link stops working."""
    if invitation.status != Invitation.Status.PENDING:
        raise Refused(_("This invitation was answered already: there is nothing to cancel."))
    invitation.status, invitation.answered = Invitation.Status.CANCELLED, timezone.now()
    invitation.save(update_fields=["status", "answered"])
    return invitation


def invitation_refused(invitation: Invitation) -> str:
    """Why an invitation's link no longer works, in words; "" while it does."""
    state = invitation.state
    if state == "expired":
        return _(
            "This invitation expired on %(date)s. Ask %(cluster)s to send it again: they can do it in one click."
        ) % {"date": timezone.localtime(invitation.expires).strftime("%Y-%m-%d"), "cluster": invitation.cluster.name}
    if state == Invitation.Status.ACCEPTED:
        return _("This invitation was used already: %(organisation)s joined %(cluster)s with it.") % {
            "organisation": invitation.member.name if invitation.member else _("an organisation"),
            "cluster": invitation.cluster.name,
        }
    if state == Invitation.Status.CANCELLED:
        return _("%(cluster)s cancelled this invitation. Ask them for a new one if you still want to join.") % {
            "cluster": invitation.cluster.name
        }
    return ""


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user,
    organisation: Organisation | None = None,
    new_organisation: dict[str, Any] | None = None,
    shares_private_data: bool = False,
) -> ClusterMembership:
    """The invitee joins the cluster with an organisation they administer (`organisation`), or with a new one they
    register now (`new_organisation`: name, kind, country…; they become its administrator). Sharing private data
    with the cluster's advisors is their choice, off unless they tick it. The inviter is told by e-mail."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("cluster", "invited_by").get(pk=invitation.pk)
    )
    if problem := invitation_refused(invitation):
        raise Refused(problem)
    cluster = invitation.cluster
    if organisation is None:
        organisation = organisation_create(admin=user, **(new_organisation or {}))
    elif not Membership.objects.filter(
        user=user, organisation=organisation, role__in=[Membership.Role.ADMIN, Membership.Role.MANAGER]
    ).exists():
        raise Refused(_("Only an administrator of %(name)s can bring it into a cluster.") % {"name": organisation.name})
    if organisation.pk == cluster.pk:
        raise Refused(_("A cluster cannot be a member of itself."))
    if ClusterMembership.objects.filter(cluster=cluster, member=organisation).exists():
        raise Refused(
            _("%(organisation)s is already a member of %(cluster)s.")
            % {"organisation": organisation.name, "cluster": cluster.name}
        )
    link = cluster_member_add(cluster=cluster, member=organisation, shares_private_data=shares_private_data)
    invitation.status, invitation.answered = Invitation.Status.ACCEPTED, timezone.now()
    invitation.accepted_by, invitation.member = user, organisation
    invitation.save(update_fields=["status", "answered", "accepted_by", "member"])
    if invitation.invited_by is not None:
        inviter, context = invitation.invited_by, {"invitation": invitation, "cluster": cluster, "member": organisation}
        transaction.on_commit(lambda: send_to_user(inviter, "orgs/email/invitation_accepted", context))
    return link


def remember_time_zone(sender, request, user, **kwargs) -> None:
    """At sign-in: the time zone the pages show times in (core.timezones), kept in the session."""
    if request is not None and hasattr(request, "session"):
        request.session[timezones.SESSION_KEY] = time_zone_of(user)


def time_zone_of(user) -> str:
    """The time zone a person reads times in (core.timezones.chosen): theirs, else their first organisation's
    country's, else the site's. Pages take it from the session; e-mails sent without a request from here."""
    countries = list(
        Membership.objects.filter(user=user).order_by("pk").values_list("organisation__country", flat=True)
    )
    return timezones.chosen(user.time_zone, countries)
