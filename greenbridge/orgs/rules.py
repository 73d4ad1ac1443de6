"""Who may do what with an organisation. Every view and selector asks these, nowhere else.

Private data of an organisation (assessment answers, tickets, bids, watches) is visible to its own
people and to the staff (manager, advisor) of the clusters it has chosen to share with.
A cluster never sees another cluster's private data; operators run the platform, and do not read
SMEs' private data through the app.

Publishing (a public event, a procurement need, any opportunity, a notice forwarded to members) needs a
confirmed e-mail address, and an organisation that may act as its kind: clusters, BSOs, public procurers and
authorities are verified by an operator first (`Organisation.VERIFIED_KINDS`). `publishing_refused` says
why not, in words, wherever a rule below says no.
"""

import rules
from django.utils.translation import gettext as _

from .models import ClusterMembership, Membership, Organisation

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
def is_cluster_manager(user, cluster) -> bool:
    if not user.is_authenticated or cluster is None or not cluster.is_cluster:
        return False
    return Membership.objects.filter(user=user, organisation=cluster, role=Membership.Role.MANAGER).exists()


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


@rules.predicate
def has_verified_email(user) -> bool:
    """The person confirmed their e-mail address (allauth's link)."""
    if not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@rules.predicate
def is_trusted_organisation(user, org) -> bool:
    """The organisation may act as its kind: verified by an operator, or of a kind that needs no verification."""
    return org is not None and org.is_trusted


@rules.predicate
def is_verified_organisation(user, org) -> bool:
    return org is not None and org.is_verified


def publishing_refused(user, org: Organisation | None, *, procurement_need: bool = False) -> str:
    """Why `user` may not publish on behalf of `org` (the rules `orgs.publish_as` and, for a procurement need,
    `orgs.publish_procurement_need`), in words; "" when they may."""
    if org is None or not is_member(user, org):
        return _("You do not act for this organisation.")
    if not has_verified_email(user):
        return _(
            "Confirm your e-mail address first: open the link we sent when you signed up, or send it again from "
            "your account's e-mail addresses page."
        )
    if org.needs_verification and org.verification == Organisation.Verification.PENDING:
        return _(
            "%(name)s is awaiting verification by the platform operators: it can publish once they have checked "
            "that it is what it says. You can prepare drafts meanwhile."
        ) % {"name": org.name}
    if org.needs_verification and org.verification == Organisation.Verification.REFUSED:
        message = _("The platform operators did not verify %(name)s, so it cannot publish. %(note)s") % {
            "name": org.name,
            "note": org.verification_note,
        }
        again = _("Change its profile as their note asks and save it: it goes back to them to verify.")
        return f"{message.strip()} {again}"
    if procurement_need and not org.is_verified:
        return _(
            "Procurement needs are published by public buyers: a public procurer or public authority (or a cluster) "
            "verified by the platform operators."
        )
    return ""


def inviting_refused(user, cluster: Organisation) -> str:
    """Why `user` may not invite companies to join `cluster` (the rule `orgs.invite_members`), in words; "" when
    they may."""
    if not is_cluster_manager(user, cluster):
        return _("Only the managers of a cluster or business support organisation invite companies to join it.")
    return publishing_refused(user, cluster)


can_view_private = is_member | is_sharing_cluster_staff
rules.add_perm("orgs.view_private", can_view_private)
rules.add_perm("orgs.change_organisation", is_org_admin | is_operator)
rules.add_perm("orgs.view_directory", is_cluster_staff | is_operator)
rules.add_perm("orgs.view_members_contacts", is_member | is_member_cluster_staff | is_operator)
# Publishing on behalf of an organisation (events, opportunities), and a public buyer's procurement need.
# Asked with rules.has_perm, like every rule that operators' superuser flag must not grant.
rules.add_perm("orgs.publish_as", is_member & has_verified_email & is_trusted_organisation)
rules.add_perm("orgs.publish_procurement_need", is_member & has_verified_email & is_verified_organisation)
# A cluster's staff send notices on to its members (matching forwards), once the cluster is verified.
# Asked with rules.has_perm: operators (superusers) have every Django permission, but forward for no cluster.
rules.add_perm("orgs.forward_to_members", is_cluster_staff & has_verified_email & is_trusted_organisation)
# A cluster's managers invite companies to join it by e-mail, once the cluster is verified (an unverified
# organisation must not send mail in a cluster's name). Asked with rules.has_perm, like forwarding.
rules.add_perm("orgs.invite_members", is_cluster_manager & has_verified_email & is_trusted_organisation)
# Operators verify clusters, BSOs, public procurers and authorities.
rules.add_perm("orgs.verify_organisation", is_operator)
