"""Reads of organisations, scoped to who asks."""

from django.db.models import Prefetch, QuerySet

from .models import ClusterMembership, Membership, Organisation
from .rules import STAFF_ROLES


def organisations_of_user(*, user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def clusters_staffed_by(*, user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__role__in=STAFF_ROLES,
        kind__in=[Organisation.Kind.CLUSTER, Organisation.Kind.BSO],
    ).distinct()


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
