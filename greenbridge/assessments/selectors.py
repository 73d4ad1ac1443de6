"""Reads of the assessments app, each for the user who asks."""

import statistics
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from greenbridge.orgs.selectors import organisations_with_private_access
from greenbridge.reference.selectors import nace_section

from .models import Assessment, Questionnaire


def questionnaires_offered() -> list[Questionnaire]:
    """The latest offered version of each questionnaire."""
    latest: dict[str, Questionnaire] = {}
    for q in Questionnaire.objects.filter(is_active=True).order_by("slug", "-version"):
        latest.setdefault(q.slug, q)
    return list(latest.values())


def assessments_for(*, user) -> QuerySet[Assessment]:
    """The assessments the user may see: of their organisations and of those sharing with their clusters."""
    return (
        Assessment.objects.filter(organisation__in=organisations_with_private_access(user=user))
        .select_related("organisation", "questionnaire")
        .order_by("organisation__name", "-taken_on", "-id")
    )


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
        "sector": next((s for c in me.nace_codes or () if (s := nace_section(c))), ""),
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
                        sections[key] = next((s for c in key if (s := nace_section(c))), "")
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
