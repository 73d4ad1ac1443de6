"""Reads of the assessments app, each for the user who asks."""

import statistics
from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from greenbridge.orgs.selectors import organisations_with_private_access
from greenbridge.orgs.signals import TimelineEntry
from greenbridge.reference.selectors import nace_section

from .models import Assessment, Questionnaire


def questionnaires_offered() -> list[Questionnaire]:
    """The latest offered version of each questionnaire."""
    latest: dict[str, Questionnaire] = {}
    for q in Questionnaire.objects.filter(is_active=True).defer("definition").order_by("slug", "-version"):
        latest.setdefault(q.slug, q)
    return list(latest.values())


def assessments_for(*, user) -> QuerySet[Assessment]:
    """The assessments the user may see: of their organisations and of those sharing with their clusters."""
    return (
        Assessment.objects.filter(organisation__in=organisations_with_private_access(user=user))
        .select_related("organisation", "questionnaire")
        .order_by("organisation__name", "-taken_on", "-id")
    )


def assessments_timeline(sender, *, organisation, user, limit: int, **kwargs) -> list[TimelineEntry]:
    """orgs.signals.timeline: the organisation's assessments the user sees (assessments_for: its people and the
    staff of the clusters it shares its private data with), newest first, on the day each was taken."""
    language = (get_language() or "en").split("-")[0]
    zone = timezone.get_current_timezone()
    found = assessments_for(user=user).filter(organisation=organisation).order_by("-taken_on", "-id")[:limit]
    return [
        TimelineEntry(
            when=datetime.combine(a.taken_on, time.min, tzinfo=zone),
            kind=_("Self-assessment"),
            title=f"{a.questionnaire.spec.text(a.questionnaire.title, language)} · {a.get_stage_display()}",
            url=reverse("assessments:detail", args=[a.pk]),
            status=a.get_status_display(),
            detail=f"{a.overall:.0f}/100" if a.overall is not None and a.status == a.Status.SUBMITTED else "",
        )
        for a in found
    ]


def previous_assessment(*, assessment: Assessment) -> Assessment | None:
    """The organisation's submitted assessment of the same questionnaire before this one (T0 for a T1), to draw on
    the same chart."""
    return (
        Assessment.objects.filter(
            organisation=assessment.organisation,
            questionnaire__slug=assessment.questionnaire.slug,
            status=Assessment.Status.SUBMITTED,
        )
        .filter(Q(taken_on__lt=assessment.taken_on) | Q(taken_on=assessment.taken_on, pk__lt=assessment.pk))
        .select_related("questionnaire")
        .order_by("-taken_on", "-id")
        .first()
    )


def latest_of(*, user, organisation) -> list[Assessment]:
    """An organisation's latest assessment of each questionnaire it took (submitted, or a draft under way), for its
    dashboard, the most recently changed first. Empty for a user who may not see them."""
    from greenbridge.orgs.rules import can_view_private

    if not can_view_private(user, organisation):
        return []
    latest: dict[str, Assessment] = {}
    for a in Assessment.objects.filter(organisation=organisation).select_related("questionnaire").order_by("-updated"):
        latest.setdefault(a.questionnaire.slug, a)
    return list(latest.values())


def plans_to_agree(*, user, organisation) -> list[Assessment]:
    """The organisation's assessments whose action plan its cluster proposed and the user may agree (none agreed
    since the last change), with their number of actions and comments: the dashboard's "waiting for your
    answer"."""
    import rules

    found = (
        Assessment.objects.filter(
            organisation=organisation, status=Assessment.Status.SUBMITTED, plan_agreed_at__isnull=True
        )
        .filter(actions__isnull=False)
        .select_related("questionnaire", "organisation")
        .annotate(n_actions=Count("actions", distinct=True), n_comments=Count("comments", distinct=True))
        .order_by("-updated")
    )
    found = list(found)
    # The same organisation's, all submitted: who may agree one may agree each (one check, not one per plan).
    return found if found and rules.has_perm("assessments.agree_plan", user, found[0]) else []


# -- the cohort benchmark ---------------------------------------------------------------------------------------

MAX_ID_LIST = 2000  # ids asked for in one query, at most
MIN_COHORT = 5  # a cohort of fewer organisations is never shown: nobody in it could be re-identified
# The cohorts tried, narrowest first: the first with MIN_COHORT organisations is shown.
COHORT_LADDER = (
    ("sector", "size", "country"),
    ("sector", "size"),
    ("sector", "country"),
    ("sector",),
    ("size", "country"),
    ("size",),
    ("country",),
    (),
)


@dataclass(frozen=True)
class Position:
    score: float
    percentile: float  # the share of the cohort below it, ties counted half (0–100)
    median: float


@dataclass(frozen=True)
class Cohort:
    by: tuple[str, ...]  # what its organisations share with this one: sector, size, country (none: all)
    sector: str  # NACE section
    size_class: str
    country: str
    organisations: int
    overall: Position
    dimensions: dict[str, Position]


def _section(nace_codes) -> str:
    """An organisation's NACE section: that of the first of its codes that has one ("" for none)."""
    return next((s for c in nace_codes or () if (s := nace_section(c))), "")


def _position(mine: float, scores: list[float]) -> Position:
    below = sum(1 for s in scores if s < mine - 1e-9)
    ties = sum(1 for s in scores if abs(s - mine) <= 1e-9)
    return Position(mine, 100 * (below + ties / 2) / len(scores), statistics.median(scores))


def cohort_position(*, assessment: Assessment) -> Cohort | None:
    """Where a submitted assessment stands among the latest submitted assessments of the same questionnaire version
    by other organisations like it (the same NACE section, size class and country; fewer of these when the cohort
    would be smaller than `MIN_COHORT` organisations). Only aggregates leave this function: percentiles and
    medians, never another organisation's scores. None when even the whole platform has too few.

    Size class and country are asked of the database (most cohorts are found among the few hundred organisations
    of the same size and country), the NACE section here; only the chosen cohort's dimension scores are read."""
    if assessment.status != Assessment.Status.SUBMITTED or assessment.overall is None:
        return None
    me = assessment.organisation
    mine = {
        "sector": _section(me.nace_codes),
        "size": me.size_class,
        "country": str(me.country),
    }
    fetched: dict[tuple[str, ...], list[tuple]] = {}  # database filters -> [(sector, assessment id, overall)]
    sections: dict[tuple, str] = {}

    def peers(filters: tuple[str, ...]) -> list[tuple]:
        if filters not in fetched:
            rows = Assessment.objects.filter(
                questionnaire_id=assessment.questionnaire_id, status=Assessment.Status.SUBMITTED
            )
            if "size" in filters:
                rows = rows.filter(organisation__size_class=me.size_class)
            if "country" in filters:
                rows = rows.filter(organisation__country=me.country)
            rows = rows.order_by("organisation_id", "-taken_on", "-id").values_list(
                "organisation_id", "id", "overall", "organisation__nace_codes"
            )
            latest: dict[int, tuple] = {}
            for org_id, pk, overall, nace_codes in rows:
                if org_id not in latest:
                    key = tuple(nace_codes or ())
                    if key not in sections:
                        sections[key] = _section(key)
                    latest[org_id] = (sections[key], pk, overall)
            # This assessment stands for its organisation (even if it took a later one).
            latest[me.pk] = (mine["sector"], assessment.pk, assessment.overall)
            fetched[filters] = list(latest.values())
        return fetched[filters]

    for by in COHORT_LADDER:
        if any(not mine[f] for f in by):
            continue  # the organisation does not say its sector (or size): no cohort by it
        rows = peers(tuple(f for f in by if f != "sector"))
        cohort = [row for row in rows if "sector" not in by or row[0] == mine["sector"]]
        if len(cohort) < MIN_COHORT:
            continue
        ids = [row[1] for row in cohort]
        if len(ids) <= MAX_ID_LIST:
            scores = dict(Assessment.objects.filter(pk__in=ids).values_list("id", "dimension_scores"))
        else:  # a list of ids that long is beyond what a database takes as parameters: read the version's all
            wanted = set(ids)
            rows = Assessment.objects.filter(questionnaire_id=assessment.questionnaire_id).values_list(
                "id", "dimension_scores"
            )
            scores = {pk: dims for pk, dims in rows.iterator(chunk_size=2000) if pk in wanted}
        scores[assessment.pk] = assessment.dimension_scores
        dimensions = {
            dim: _position(score, [scores[row[1]].get(dim, 0.0) for row in cohort])
            for dim, score in assessment.dimension_scores.items()
        }
        return Cohort(
            by=by,
            sector=mine["sector"],
            size_class=mine["size"],
            country=mine["country"],
            organisations=len(cohort),
            overall=_position(assessment.overall, [row[2] for row in cohort]),
            dimensions=dimensions,
        )
    return None


# -- a cluster's members ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    pk: int
    name: str
    slug: str
    country: str


@dataclass(frozen=True)
class Taken:
    """A submitted assessment as a cluster's list shows it."""

    pk: int
    stage: str
    taken_on: object  # date
    overall: float
    band: str
    dimension_scores: dict


@dataclass
class MemberRow:
    member: Member
    shares: bool  # the member shares its private data with the cluster: its assessments are shown
    first: Taken | None = None  # its first submitted assessment (T0, usually)
    latest: Taken | None = None  # its latest submitted one
    draft: bool = False  # it has one under way

    @property
    def change(self) -> float | None:
        if self.first is None or self.latest is None or self.first.pk == self.latest.pk:
            return None
        return self.latest.overall - self.first.overall


@dataclass
class ClusterView:
    rows: list[MemberRow]
    dimensions: list[tuple[str, dict]]  # (dimension id, {"median", "low", "high", "weakest"}) over latest results
    assessed: int
    not_assessed: int
    not_shared: int
    changed: list[MemberRow]  # the members assessed more than once, by their change, the most improved first

    @property
    def improved(self) -> int:
        """How many members' latest score is above their first."""
        return sum(1 for r in self.changed if r.change > 0)


def cluster_assessments(*, user, cluster, questionnaire: Questionnaire) -> ClusterView:
    """A cluster's members and their assessments of a questionnaire (any version): only of the members that share
    their private data with it, for its managers and advisors (empty for anyone else). Per member its first and
    latest submitted assessment; per dimension the spread of the latest ones, and how many members have it as
    their weakest; who improved from the first to the latest, and by how much. Three queries, as plain rows (a
    cluster may have thousands of members); band ids are read with the texts of `questionnaire`."""
    from greenbridge.orgs.selectors import cluster_member_links

    links = [
        (Member(pk, name, slug, country), shares)
        for pk, name, slug, country, shares in cluster_member_links(user=user, cluster=cluster).values_list(
            "member_id", "member__name", "member__slug", "member__country", "shares_private_data"
        )
    ]
    shared = [member.pk for member, shares in links if shares]
    taken: dict[int, list[tuple]] = {}
    drafts: set[int] = set()
    rows = (
        Assessment.objects.filter(organisation_id__in=shared, questionnaire__slug=questionnaire.slug)
        .order_by("taken_on", "id")
        .values_list("organisation_id", "id", "stage", "taken_on", "status", "overall", "band")
    )
    for org_id, pk, stage, taken_on, status, overall, band in rows.iterator(chunk_size=2000):
        if status == Assessment.Status.SUBMITTED:
            taken.setdefault(org_id, []).append((pk, stage, taken_on, overall, band))
        else:
            drafts.add(org_id)
    # Dimension scores of the latest ones only.
    latest_ids = [found[-1][0] for found in taken.values()]
    dims: dict[int, dict] = {}
    for start in range(0, len(latest_ids), MAX_ID_LIST):
        chunk = latest_ids[start : start + MAX_ID_LIST]
        dims.update(Assessment.objects.filter(pk__in=chunk).values_list("id", "dimension_scores"))
    members = []
    for member, shares in links:
        row = MemberRow(member=member, shares=shares, draft=member.pk in drafts)
        if found := taken.get(member.pk):
            (pk, stage, day, overall, band), last = found[0], found[-1]
            row.first = Taken(pk, stage, day, overall, band, dims.get(pk, {}))
            row.latest = row.first if last[0] == pk else Taken(*last, dims.get(last[0], {}))
        members.append(row)
    latest = [r.latest for r in members if r.latest is not None]
    weakest: dict[str, int] = {}
    # A tie goes to the dimension first in the questionnaire, not to the first key of the stored JSON: PostgreSQL's
    # jsonb orders keys its own way (shortest first), so the counts would differ between databases.
    order = [dim.id for dim in questionnaire.spec.dimensions]
    for a in latest:
        if ranked := [dim for dim in order if dim in a.dimension_scores]:
            low = min(ranked, key=a.dimension_scores.get)
            weakest[low] = weakest.get(low, 0) + 1
    dimensions = []
    for dim in questionnaire.spec.dimensions:
        values = [a.dimension_scores[dim.id] for a in latest if dim.id in a.dimension_scores]
        if values:
            spread = {"median": statistics.median(values), "low": min(values), "high": max(values)}
        else:
            spread = {"median": None, "low": None, "high": None}
        dimensions.append((dim.id, {**spread, "weakest": weakest.get(dim.id, 0)}))
    changed = sorted((r for r in members if r.change is not None), key=lambda r: -r.change)
    return ClusterView(
        rows=members,
        dimensions=dimensions,
        assessed=len(latest),
        not_assessed=sum(1 for r in members if r.shares and r.latest is None),
        not_shared=sum(1 for r in members if not r.shares),
        changed=changed,
    )


def plan_people(*, assessment: Assessment):
    """Who an action can be given to: the SME's people and the managers and advisors of the clusters it shares its
    data with."""
    from django.contrib.auth import get_user_model

    from greenbridge.orgs.models import ClusterMembership
    from greenbridge.orgs.rules import STAFF_ROLES

    clusters = ClusterMembership.objects.filter(member=assessment.organisation, shares_private_data=True).values(
        "cluster"
    )
    return (
        get_user_model()
        .objects.filter(
            Q(memberships__organisation=assessment.organisation)
            | Q(memberships__organisation__in=clusters, memberships__role__in=STAFF_ROLES)
        )
        .distinct()
        .order_by("full_name", "email")
    )
