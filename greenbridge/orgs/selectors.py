"""Reads of organisations, scoped to who asks."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from greenbridge.reference.cpv import cpv_prefix
from greenbridge.reference.text import fold

from .models import ClusterMembership, Invitation, Membership, Organisation
from .rules import STAFF_ROLES, is_cluster_manager, is_cluster_staff, is_operator

BUYER_KINDS = (Organisation.Kind.PROCURER, Organisation.Kind.AUTHORITY)


@dataclass
class Roles:
    """What a person does on GreenBridge, from their memberships: the dashboards and menus follow it. A person with
    several roles has each."""

    companies: list[Organisation] = field(default_factory=list)  # SMEs they belong to
    clusters: list[Organisation] = field(default_factory=list)  # clusters and BSOs they are manager or advisor of
    managed: list[Organisation] = field(default_factory=list)  # of those, the ones they are manager of
    buyers: list[Organisation] = field(default_factory=list)  # public procurers and authorities they belong to
    others: list[Organisation] = field(default_factory=list)  # research organisations and investors
    operator: bool = False  # runs the platform (staff)

    @property
    def watchers(self) -> list[Organisation]:
        """The organisations that keep watches and an inbox of their own: companies and the other kinds."""
        return self.companies + self.others

    @property
    def organisations(self) -> list[Organisation]:
        return self.companies + self.clusters + self.buyers + self.others

    @property
    def organisation_ids(self) -> set[int]:
        return {o.pk for o in self.organisations}

    @property
    def none(self) -> bool:
        return not (self.organisations or self.operator)


def roles_of(*, user) -> Roles:
    """The person's roles, in one query (their memberships with the organisations), each list by name."""
    roles = Roles(operator=bool(user.is_authenticated and user.is_staff))
    if not user.is_authenticated:
        return roles
    memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
    for m in memberships:
        org = m.organisation
        if org.kind == Organisation.Kind.SME:
            roles.companies.append(org)
        elif org.is_cluster:
            if m.role in STAFF_ROLES:  # an administrator or plain member of a cluster has no staff tools
                roles.clusters.append(org)
            if m.role == Membership.Role.MANAGER:
                roles.managed.append(org)
        elif org.kind in BUYER_KINDS:
            roles.buyers.append(org)
        else:
            roles.others.append(org)
    return roles


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


@dataclass
class DirectoryFilters:
    q: str = ""  # words of the member's name (or city)
    country: str = ""  # ISO alpha-2
    sector: str = ""  # a green sector's slug
    cpv: str = ""  # a code or its first digits: the member has a capability code under it

    @property
    def active(self) -> bool:
        return bool(self.q or self.country or self.sector or self.cpv)


def cluster_directory(
    *, user, cluster: Organisation, filters: DirectoryFilters | None = None
) -> QuerySet[ClusterMembership]:
    """The members of a cluster, for its staff and operators (the rule `orgs.view_directory`; nobody else gets any):
    each with its people (name, role), by name, filtered. The sector and code filters look in the JSON lists as
    text (`"water"`, `"4523…`), which SQLite and PostgreSQL both answer: a cluster has hundreds of members, not
    millions."""
    if not user.has_perm("orgs.view_directory", cluster):
        return ClusterMembership.objects.none()
    rows = (
        ClusterMembership.objects.filter(cluster=cluster)
        .select_related("member")
        .prefetch_related(
            Prefetch("member__memberships", queryset=Membership.objects.select_related("user").order_by("role"))
        )
        .order_by("member__name")
    )
    f = filters or DirectoryFilters()
    if words := [fold(w) for w in f.q.split()[:8]]:
        # Without accents and case, as Romanian is often typed ("iasi" finds Iași): read in Python, for hundreds of
        # members, as SQLite has no accent folding.
        found = [
            pk
            for pk, name, city in ClusterMembership.objects.filter(cluster=cluster).values_list(
                "pk", "member__name", "member__city"
            )
            if all(w in fold(f"{name} {city}") for w in words)
        ]
        rows = rows.filter(pk__in=found)
    if f.country:
        rows = rows.filter(member__country=f.country.upper())
    if f.sector:
        rows = rows.filter(member__green_sectors__icontains=f'"{f.sector}"')
    if digits := "".join(c for c in f.cpv if c.isdigit())[:8]:
        # A whole code (with or without its check digit) stands for everything under it; else the digits typed.
        prefix = cpv_prefix(digits) if len(digits) == 8 else digits
        rows = rows.filter(member__cpv_codes__icontains=f'"{prefix}')
    return rows


def cluster_member_links(*, user, cluster: Organisation) -> QuerySet[ClusterMembership]:
    """The members of a cluster with whether each shares its private data, by name, without their people: for the
    cluster's staff (its dashboard); nobody else gets any."""
    if not is_cluster_staff(user, cluster):
        return ClusterMembership.objects.none()
    return ClusterMembership.objects.filter(cluster=cluster).select_related("member").order_by("member__name")


def cluster_member_countries(*, cluster: Organisation) -> list[str]:
    """The countries the cluster's members are in (for the directory's country filter)."""
    return sorted(
        set(Organisation.objects.filter(cluster_links__cluster=cluster).values_list("country", flat=True)) - {""}
    )


def invitations_of(*, user, cluster: Organisation) -> QuerySet[Invitation]:
    """A cluster's invitations, newest first, for its managers (who invite); nobody else gets any."""
    if not is_cluster_manager(user, cluster):
        return Invitation.objects.none()
    return cluster.invitations.select_related("invited_by", "accepted_by", "member")


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link carries (its token is the secret: whoever holds the link may answer it)."""
    if not token or len(token) > 64:
        return None
    return Invitation.objects.select_related("cluster", "invited_by", "member").filter(token=token).first()


def organisations_to_join_with(*, user, cluster: Organisation) -> QuerySet[Organisation]:
    """The organisations a person may bring into a cluster: those they administer, not the cluster itself nor
    its members already."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(
            memberships__user=user, memberships__role__in=[Membership.Role.ADMIN, Membership.Role.MANAGER]
        )
        .exclude(pk=cluster.pk)
        .exclude(cluster_links__cluster=cluster)
        .distinct()
        .order_by("name")
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


def organisation_counts(*, user) -> dict[str, int]:
    """For operators: organisations by kind, people, and those awaiting verification (two queries)."""
    if not is_operator(user):
        return {}
    from django.contrib.auth import get_user_model

    by_kind = dict(Organisation.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    waiting = Organisation.objects.awaiting_verification().count()
    return {
        "smes": by_kind.get(Organisation.Kind.SME, 0),
        "clusters": by_kind.get(Organisation.Kind.CLUSTER, 0) + by_kind.get(Organisation.Kind.BSO, 0),
        "buyers": sum(by_kind.get(k, 0) for k in BUYER_KINDS),
        "organisations": sum(by_kind.values()),
        "awaiting_verification": waiting,
        "people": get_user_model().objects.filter(is_active=True).count(),
    }
