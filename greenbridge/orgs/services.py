"""Writes to organisations and memberships."""

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from .models import ClusterMembership, Membership, Organisation

RESERVED_SLUGS = {"new"}  # taken by the pages under /orgs/


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
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
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
