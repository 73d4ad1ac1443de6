"""Writes to organisations and memberships."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from greenbridge.core.mail import send_to_user

from .models import ClusterMembership, Membership, Organisation

RESERVED_SLUGS = {"new", "verification"}  # taken by the pages under /orgs/


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
    kind, is what they verified no more: it waits for verification again."""
    before = Organisation.objects.filter(pk=organisation.pk).values("name", "kind").first()
    for name, value in fields.items():
        setattr(organisation, name, value)
    if (
        before
        and organisation.needs_verification
        and (organisation.name, organisation.kind)
        != (
            before["name"],
            before["kind"],
        )
    ):
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
