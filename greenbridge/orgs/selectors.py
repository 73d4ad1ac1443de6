"""Reads of organisations, scoped to who asks."""

from django.db.models import Prefetch, Q, QuerySet

from .models import ClusterMembership, Membership, Organisation
from .rules import STAFF_ROLES, is_operator


def organisations_of_user(*, user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def organisations_with_private_access(*, user) -> QuerySet[Organisation]:
    """The organisations whose private data (watches, inbox…) the user may see and keep: the list
    twin of the `orgs.view_private` rule. Their own, and those that share their private data with a
    cluster the user is manager or advisor of."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    shared = ClusterMembership.objects.filter(
        shares_private_data=True, cluster__memberships__user=user, cluster__memberships__role__in=STAFF_ROLES
    ).values("member")
    return Organisation.objects.filter(Q(memberships__user=user) | Q(pk__in=shared)).distinct()


def clusters_staffed_by(*, user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__role__in=STAFF_ROLES,
        kind__in=[Organisation.Kind.CLUSTER, Organisation.Kind.BSO],
    ).distinct()


def cluster_members(*, cluster: Organisation) -> QuerySet[Organisation]:
    """The member organisations of a cluster, by name."""
    return Organisation.objects.filter(cluster_links__cluster=cluster).order_by("name")


def cluster_directory(*, user, cluster: Organisation) -> QuerySet[ClusterMembership]:
    """The members of a cluster, for its staff: each with its people (name, role)."""
    return (
        ClusterMembership.objects.filter(cluster=cluster)
        .select_related("member")
        .prefetch_related(
            Prefetch("member__memberships", queryset=Membership.objects.select_related("user").order_by("role"))
        )
        .order_by("member__name")
    )


def organisation_people(*, user, organisation: Organisation) -> QuerySet[Membership]:
    """The people of an organisation with their roles and e-mail addresses: for those who may see
    them (its own people, staff of its clusters, operators); nobody else gets any."""
    if not user.has_perm("orgs.view_members_contacts", organisation):
        return Membership.objects.none()
    return organisation.memberships.select_related("user").order_by("role", "user__full_name", "user__email")


def organisations_awaiting_verification(*, user) -> QuerySet[Organisation]:
    """For operators: the organisations of the kinds they verify that wait for it, oldest first, with their people."""
    if not is_operator(user):
        return Organisation.objects.none()
    return (
        Organisation.objects.awaiting_verification()
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("user").order_by("role")))
        .order_by("created", "pk")
    )


def verification_decisions(*, user) -> QuerySet[Organisation]:
    """For operators: the organisations verified or refused, latest decision first."""
    if not is_operator(user):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(
            kind__in=Organisation.VERIFIED_KINDS,
            verification__in=[Organisation.Verification.VERIFIED, Organisation.Verification.REFUSED],
            verified_at__isnull=False,
        )
        .select_related("verified_by")
        .order_by("-verified_at", "-pk")
    )
