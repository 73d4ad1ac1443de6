"""Who may do what with an organisation. Every view and selector asks these, nowhere else.

Private data of an organisation (assessment answers, tickets, bids, watches) is visible to its own
people and to the staff (manager, advisor) of the clusters it has chosen to share with.
A cluster never sees another cluster's private data; operators run the platform, and do not read
SMEs' private data through the app.
"""

import rules

from .models import ClusterMembership, Membership

STAFF_ROLES = (Membership.Role.MANAGER, Membership.Role.ADVISOR)


@rules.predicate
def is_operator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


@rules.predicate
def is_member(user, org) -> bool:
    if not user.is_authenticated or org is None:
        return False
    return Membership.objects.filter(user=user, organisation=org).exists()


@rules.predicate
def is_org_admin(user, org) -> bool:
    if not user.is_authenticated or org is None:
        return False
    return Membership.objects.filter(
        user=user, organisation=org, role__in=[Membership.Role.ADMIN, Membership.Role.MANAGER]
    ).exists()


@rules.predicate
def is_cluster_staff(user, cluster) -> bool:
    if not user.is_authenticated or cluster is None or not cluster.is_cluster:
        return False
    return Membership.objects.filter(user=user, organisation=cluster, role__in=STAFF_ROLES).exists()


@rules.predicate
def is_sharing_cluster_staff(user, org) -> bool:
    """The user is manager or advisor of a cluster that `org` shares its private data with."""
    if not user.is_authenticated or org is None:
        return False
    clusters = ClusterMembership.objects.filter(member=org, shares_private_data=True).values("cluster")
    return Membership.objects.filter(user=user, organisation__in=clusters, role__in=STAFF_ROLES).exists()


@rules.predicate
def is_member_cluster_staff(user, org) -> bool:
    """The user is staff of a cluster `org` belongs to (sees its shared, non-private profile data)."""
    if not user.is_authenticated or org is None:
        return False
    clusters = ClusterMembership.objects.filter(member=org).values("cluster")
    return Membership.objects.filter(user=user, organisation__in=clusters, role__in=STAFF_ROLES).exists()


can_view_private = is_member | is_sharing_cluster_staff
rules.add_perm("orgs.view_private", can_view_private)
rules.add_perm("orgs.change_organisation", is_org_admin | is_operator)
rules.add_perm("orgs.view_directory", is_cluster_staff | is_operator)
rules.add_perm("orgs.view_members_contacts", is_member | is_member_cluster_staff | is_operator)
# A cluster's staff send notices on to its members (matching forwards). Asked with rules.has_perm: operators
# (superusers) have every Django permission, but forward for no cluster.
rules.add_perm("orgs.forward_to_members", is_cluster_staff)
