"""Reads of the assessments app, each for the user who asks."""

from django.db.models import Q, QuerySet

from greenbridge.orgs.selectors import organisations_with_private_access

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
