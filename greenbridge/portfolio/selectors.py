"""Reads of the service portfolio, each for the user who asks."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from greenbridge.assessments.models import Assessment, Questionnaire
from greenbridge.assessments.selectors import cluster_assessments, cohort_position, questionnaires_offered
from greenbridge.orgs import recommend
from greenbridge.orgs.models import ClusterMembership, Organisation, trusted_q
from greenbridge.orgs.selectors import clusters_staffed_by, organisations_with_private_access
from greenbridge.orgs.signals import TimelineEntry

from .models import Engagement, Service

# The dimensions of an assessment its recommendations address, the weakest first: the three lowest, and any other
# below half the scale (an SME at 15/100 in one dimension needs help there even if three others are lower).
WEAKEST = 3
NEED_BELOW = 50.0
RECOMMENDED = 5
# What recommending reads of a service and of its provider (orgs.recommend.Profile, ineligible).
_WEIGHED = (
    *("id", "provider_id", "name", "summary", "description"),
    *("members_only", "size_classes", "countries", "sectors", "dimensions"),
)


# -- dimensions ------------------------------------------------------------------------------------------------


def dimension_key(questionnaire_slug: str, dimension_id: str) -> str:
    return f"{questionnaire_slug}:{dimension_id}"


def dimension_choices(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The dimensions of the questionnaires offered, grouped by questionnaire: [(title, [(key, name)…])…]."""
    groups = []
    for q in questionnaires_offered():
        spec = q.spec
        groups.append(
            (
                spec.text(spec.title, language),
                [(dimension_key(q.slug, d.id), spec.text(d.name, language)) for d in spec.dimensions],
            )
        )
    return groups


def dimension_names(language: str) -> dict[str, str]:
    return {key: name for _, dims in dimension_choices(language) for key, name in dims}


# -- the catalogue and the public portfolio ----------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    q: str = ""
    category: str = ""
    provider: str = ""  # slug
    dimension: str = ""  # questionnaire:dimension
    language: str = ""
    format: str = ""
    free: bool = False
    country: str = ""  # open to companies of this country


def portfolio(filters: Filters) -> QuerySet[Service]:
    """The active services of every cluster and BSO, searchable and filterable."""
    found = services_offered()
    if filters.q:
        for word in filters.q.split()[:8]:
            found = found.filter(
                Q(name__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
                | Q(provider__name__icontains=word)
                | Q(expert__icontains=word)
            )
    if filters.category:
        found = found.filter(category=filters.category)
    if filters.provider:
        found = found.filter(provider__slug=filters.provider)
    if filters.free:
        found = found.filter(pricing=Service.Pricing.FREE)
    services = list(found)
    # JSON lists are filtered here: the same on SQLite and PostgreSQL (a catalogue holds hundreds, not millions).
    if filters.dimension:
        services = [s for s in services if filters.dimension in s.dimensions]
    if filters.language:
        services = [s for s in services if filters.language in s.languages]
    if filters.format:
        services = [s for s in services if filters.format in s.formats]
    if filters.country:
        services = [s for s in services if not s.countries or filters.country in s.countries]
    return services


def services_offered() -> QuerySet[Service]:
    """Every service of the portfolio: active, of a cluster or BSO the operators verified."""
    return (
        Service.objects.active()
        .filter(trusted_q("provider"))
        .select_related("provider", "delivered_by")
        .order_by("name", "id")
    )


def services_for_plan(*, organisation: Organisation) -> QuerySet[Service]:
    """The services an action of a company's plan may name: those of the clusters it belongs to, and those it asked
    for."""
    clusters = ClusterMembership.objects.filter(member=organisation).values("cluster")
    asked = Engagement.objects.filter(organisation=organisation).values("service")
    return (
        services_offered()
        .filter(Q(provider__in=clusters) | Q(pk__in=asked))
        .select_related(None)
        .select_related("provider")
        .only("name", "provider__name")
    )


def providers() -> QuerySet[Organisation]:
    """The clusters and BSOs with services in the portfolio."""
    return (
        Organisation.objects.trusted()
        .filter(services__status=Service.Status.ACTIVE)
        .annotate(active_services=Count("services", filter=Q(services__status=Service.Status.ACTIVE)))
        .order_by("name")
    )


def catalogue_of(*, provider: Organisation) -> QuerySet[Service]:
    """A provider's whole catalogue, drafts and retired services too (for its staff), with its engagements counted."""
    return (
        Service.objects.filter(provider=provider)
        .select_related("delivered_by")
        .annotate(
            open_requests=Count("engagements", filter=Q(engagements__status=Engagement.Status.REQUESTED)),
            under_way=Count(
                "engagements",
                filter=Q(engagements__status__in=[Engagement.Status.PLANNED, Engagement.Status.IN_PROGRESS]),
            ),
            delivered=Count("engagements", filter=Q(engagements__status=Engagement.Status.DELIVERED)),
        )
        .order_by("status", "name")
    )


def period_start(period: str, today: date) -> date:
    if period == Service.Period.YEAR:
        return today.replace(month=1, day=1)
    if period == Service.Period.QUARTER:
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    return today.replace(day=1)


def places_taken(service: Service, today: date) -> int:
    """Engagements accepted in the service's current period (a month, quarter or year)."""
    start = period_start(service.capacity_period or Service.Period.MONTH, today)
    return service.engagements.filter(status__in=Engagement.TAKEN, answered_at__date__gte=start).count()


def places_left(service: Service, today: date) -> int | None:
    """None: no limit."""
    if not service.capacity:
        return None
    return max(0, service.capacity - places_taken(service, today))


def ineligible(service: Service, organisation: Organisation, *, member_of: set[int] | None = None) -> list[str]:
    """Why `organisation` may not request `service`, in words (empty: it may). `member_of`: the ids of the clusters it
    belongs to, when the caller checks many services."""
    why = []
    if member_of is None and service.members_only:
        member_of = set(ClusterMembership.objects.filter(member=organisation).values_list("cluster_id", flat=True))
    if service.members_only and service.provider_id not in member_of:
        why.append(_("Only for members of %(provider)s.") % {"provider": service.provider.name})
    if service.size_classes and organisation.size_class not in service.size_classes:
        sizes = ", ".join(str(label) for value, label in Organisation.Size.choices if value in service.size_classes)
        why.append(_("Only for companies of these sizes: %(sizes)s.") % {"sizes": sizes})
    if service.countries and str(organisation.country) not in service.countries:
        why.append(_("Only for companies based in the countries listed."))
    if service.sectors and not set(service.sectors) & set(organisation.green_sectors or []):
        why.append(_("Only for companies in the green sectors listed."))
    return why


def requesters(*, user, service: Service) -> list[Organisation]:
    """The companies the user acts for that may request the service."""
    if not user.is_authenticated:
        return []
    mine = user.organisations.filter(kind=Organisation.Kind.SME).order_by("name")
    return [org for org in mine if not ineligible(service, org)]


# -- engagements -------------------------------------------------------------------------------------------------


def engagements_for(*, user, status: str = "", role: str = "") -> QuerySet[Engagement]:
    """The engagements the user may see: of the companies they act for or advise (role "company"), and those with
    the services of the clusters they staff (role "provider"); both when no role is asked."""
    if not user.is_authenticated:
        return Engagement.objects.none()
    companies = Q(organisation__in=organisations_with_private_access(user=user))
    provided = Q(service__provider__in=clusters_staffed_by(user=user))
    where = {"company": companies, "provider": provided}.get(role, companies | provided)
    found = Engagement.objects.filter(where).select_related("service", "service__provider", "organisation", "advisor")
    if status:
        found = found.filter(status=status)
    return found.order_by("-created", "-id")


def incoming_count(*, user, provider: Organisation) -> int:
    """Requests to `provider`'s services waiting for an answer (0 for someone who does not staff it)."""
    return (
        engagements_for(user=user, role="provider")
        .filter(service__provider=provider, status=Engagement.Status.REQUESTED)
        .count()
    )


def engagements_of(*, user, organisation: Organisation, limit: int = 5) -> list[Engagement]:
    """A company's engagements that want attention, for its dashboard: those under way or waiting for an answer, and
    those delivered but not yet rated."""
    found = (
        engagements_for(user=user, role="company")
        .filter(organisation=organisation)
        .filter(Q(status__in=Engagement.OPEN) | Q(status=Engagement.Status.DELIVERED, rating__isnull=True))
    )
    return list(found[:limit])


def sessions_for(*, user, engagement: Engagement):
    """The sessions of an engagement; notes the user may not read (internal to the provider) are blanked."""
    from greenbridge.orgs.rules import is_cluster_staff

    staff = is_cluster_staff(user, engagement.service.provider)
    sessions = list(engagement.sessions.all())
    for s in sessions:
        s.visible_notes = s.notes if (staff or s.shared) else ""
    return sessions


# -- recommendations ---------------------------------------------------------------------------------------------


def weakest_dimensions(*, assessment: Assessment, language: str, cohort=...) -> dict[str, dict]:
    """An assessment's weak dimensions (the `WEAKEST` lowest, ties kept, and any below `NEED_BELOW`) with their score
    and percentile in the cohort: {"questionnaire:dimension": {"name", "score", "percentile"}}, the weakest first.
    `cohort`: its cohort_position when already known."""
    spec = assessment.questionnaire.spec
    scores = assessment.dimension_scores or {}
    if not scores:
        return {}
    ranked = sorted(scores.items(), key=lambda item: item[1])
    limit = ranked[min(WEAKEST, len(ranked)) - 1][1]
    if cohort is ...:
        cohort = cohort_position(assessment=assessment)
    names = {d.id: spec.text(d.name, language) for d in spec.dimensions}
    return {
        dimension_key(assessment.questionnaire.slug, dim): {
            "name": names.get(dim, dim),
            "score": score,
            "percentile": cohort.dimensions[dim].percentile if cohort and dim in cohort.dimensions else None,
        }
        for dim, score in ranked
        if (score <= limit or score < NEED_BELOW) and score < 100
    }


def recommended_services(*, assessment: Assessment, language: str, limit: int = RECOMMENDED, cohort=...):
    """The services that address an assessment's weakest dimensions, weakest first, that the company may request
    (orgs.recommend, with a service's dimensions as what it improves), each with its reasons."""
    org = assessment.organisation
    needs = weakest_dimensions(assessment=assessment, language=language, cohort=cohort)
    if not needs:
        return []
    # What the company plans to do (its open actions) is what it seeks.
    seeking = " ".join(assessment.actions.exclude(status="done").values_list("title", flat=True))
    me = recommend.Profile(key=assessment, organisation=org, seeking=seeking, targets=frozenset(), needs=needs)
    member_of = set(ClusterMembership.objects.filter(member=org).values_list("cluster_id", flat=True))
    # Every service of the portfolio is weighed, with only what weighing reads and each provider read once; the few
    # recommended are then read whole.
    light = [Service(**row) for row in services_offered().values(*_WEIGHED)]
    providers_ = Organisation.objects.in_bulk({s.provider_id for s in light})
    for s in light:
        s.provider = providers_[s.provider_id]
    candidates = [
        recommend.Profile(
            key=s,
            organisation=s.provider,
            offer=f"{s.name} {s.summary} {s.description}",
            cpv_codes=[],
            sectors=list(s.sectors),
            countries=frozenset(),
            improves=frozenset(s.dimensions),
        )
        for s in light
        if needs.keys() & set(s.dimensions) and not ineligible(s, org, member_of=member_of)
    ]
    found = recommend.described(recommend.recommend(me, candidates, limit=limit))
    whole = services_offered().in_bulk([r.profile.key.pk for r in found])
    for r in found:
        r.profile.key = whole[r.profile.key.pk]
    # What the company already asked for is marked, so that nobody asks twice.
    asked = {
        e.service_id: e
        for e in Engagement.objects.filter(
            organisation=org, service__in=[r.profile.key for r in found], status__in=Engagement.OPEN
        )
    }
    for r in found:
        r.engagement = asked.get(r.profile.key.pk)
    return found


def recommended_section(
    sender, *, assessment: Assessment, request, language: str, cohort, own: bool = True, **kwargs
) -> str:
    """assessments.signals.results_page: the services for the assessment's weakest dimensions, as a section (for its
    company's people, `own`, or its cluster's advisors)."""
    found = recommended_services(assessment=assessment, language=language, cohort=cohort)
    context = {"recommendations": found, "assessment": assessment, "own": own}
    return render_to_string("portfolio/_recommended.html", context, request=request)


def plan_services_of(sender, *, organisation: Organisation, **kwargs) -> QuerySet[Service]:
    """assessments.signals.plan_services: the services an action of the organisation's plan may name."""
    return services_for_plan(organisation=organisation)


def engagements_timeline(sender, *, organisation: Organisation, user, limit: int, **kwargs) -> list[TimelineEntry]:
    """orgs.signals.timeline: the organisation's engagements the user sees (engagements_for: its people, the staff
    of the clusters it shares its data with, and the providers' staff), newest first."""
    found = engagements_for(user=user).filter(organisation=organisation)[:limit]
    return [
        TimelineEntry(
            when=e.created,
            kind=_("Support service"),
            title=e.service.name,
            url=e.get_absolute_url(),
            status=e.get_status_display(),
            detail=e.service.provider.name,
        )
        for e in found
    ]


# -- the portfolio analysis --------------------------------------------------------------------------------------


@dataclass
class AnalysisRow:
    key: str
    name: str
    cells: list[tuple[Organisation, int]]  # services per provider, in the order of `Analysis.providers`
    total: int
    weakest: int  # the cluster's members whose weakest dimension this is
    median: float | None  # of the members' latest scores

    @property
    def gap(self) -> bool:
        """Nobody in the partnership offers anything for it."""
        return self.total == 0

    @property
    def unmet(self) -> bool:
        """Members are weakest here and nobody offers anything for it."""
        return self.total == 0 and self.weakest > 0


@dataclass
class Analysis:
    providers: list[Organisation]
    rows: list[AnalysisRow]
    assessed: int  # members whose latest assessment is counted

    @property
    def gaps(self) -> int:
        return sum(1 for r in self.rows if r.gap)

    @property
    def unmet(self) -> int:
        return sum(1 for r in self.rows if r.unmet)


def portfolio_analysis(*, user, cluster: Organisation, questionnaire: Questionnaire, language: str) -> Analysis:
    """Dimensions × clusters: how many active services of each provider improve each dimension of a questionnaire,
    next to how many of the cluster's members (those sharing their data with it) have it as their weakest, and their
    median score. The cluster's own column first, then every other provider in the portfolio."""
    spec = questionnaire.spec
    services = list(
        Service.objects.active()
        .filter(trusted_q("provider"))
        .select_related("provider")
        .only("dimensions", "provider__name", "provider__slug", "provider__kind")
    )
    others = sorted({s.provider for s in services if s.provider != cluster}, key=lambda o: o.name)
    columns = [cluster, *others]
    index = {org.pk: n for n, org in enumerate(columns)}
    counts: dict[str, list[int]] = {}
    for s in services:
        for key in s.dimensions:
            counts.setdefault(key, [0] * len(columns))[index[s.provider.pk]] += 1
    members = cluster_assessments(user=user, cluster=cluster, questionnaire=questionnaire)
    spread = dict(members.dimensions)
    rows = []
    for dim in spec.dimensions:
        key = dimension_key(questionnaire.slug, dim.id)
        row_counts = counts.get(key, [0] * len(columns))
        stats = spread.get(dim.id, {})
        rows.append(
            AnalysisRow(
                key=key,
                name=spec.text(dim.name, language),
                cells=list(zip(columns, row_counts, strict=True)),
                total=sum(row_counts),
                weakest=stats.get("weakest", 0),
                median=stats.get("median"),
            )
        )
    return Analysis(providers=columns, rows=rows, assessed=members.assessed)
