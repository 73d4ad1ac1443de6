"""Self-assessments over the API: the questionnaires offered are public (their whole definition, as loaded); a
signed-in person reads the assessments they may see (their organisations', and those of organisations sharing
their data with a cluster they staff), with the scores of the submitted ones."""

from datetime import date, datetime
from typing import Any

import rules
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from greenbridge.core.bounds import Id, Slug

from . import selectors
from .models import Assessment, Questionnaire

router = Router(tags=["assessments"])


class QuestionnaireOut(Schema):
    id: str
    version: int
    title: dict[str, str]
    languages: list[str]
    dimensions: list[str]
    questions: int

    @staticmethod
    def resolve_id(obj: Questionnaire) -> str:
        return obj.slug

    @staticmethod
    def resolve_languages(obj: Questionnaire) -> list[str]:
        return list(obj.spec.languages)

    @staticmethod
    def resolve_dimensions(obj: Questionnaire) -> list[str]:
        return [d.id for d in obj.spec.dimensions]

    @staticmethod
    def resolve_questions(obj: Questionnaire) -> int:
        return len(obj.scorer.questions)


class QuestionnaireDetailOut(QuestionnaireOut):
    definition: dict[str, Any]  # the file's data, as docs/questionnaires.md describes it


class AssessmentOut(Schema):
    id: int
    organisation: str  # slug
    questionnaire: str
    version: int
    stage: str
    taken_on: date
    status: str
    mode: str
    overall: float | None
    band: str
    dimensions: dict[str, float]
    questions: dict[str, float]
    submitted_at: datetime | None

    @staticmethod
    def resolve_organisation(obj: Assessment) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_questionnaire(obj: Assessment) -> str:
        return obj.questionnaire.slug

    @staticmethod
    def resolve_version(obj: Assessment) -> int:
        return obj.questionnaire.version

    @staticmethod
    def resolve_dimensions(obj: Assessment) -> dict[str, float]:
        return obj.dimension_scores

    @staticmethod
    def resolve_questions(obj: Assessment) -> dict[str, float]:
        return obj.question_scores


class AssessmentDetailOut(AssessmentOut):
    answers: dict[str, Any]


@router.get("/questionnaires", response=list[QuestionnaireOut])
def list_questionnaires(request: HttpRequest):
    """The questionnaires offered (the latest version of each)."""
    return selectors.questionnaires_offered()


@router.get("/questionnaires/{slug}", response=QuestionnaireDetailOut)
def get_questionnaire(request: HttpRequest, slug: Slug, version: Id | None = None):
    """A questionnaire's definition: its latest version, or the one asked for."""
    found = Questionnaire.objects.filter(slug=slug)
    found = found.filter(version=version) if version else found.order_by("-version")
    questionnaire = found.first()
    if questionnaire is None:
        raise HttpError(404, "Not Found")
    return questionnaire


@router.get("/assessments", response=list[AssessmentOut], auth=django_auth)
def list_assessments(request: HttpRequest):
    """The assessments the signed-in person may see, by organisation, newest first."""
    return selectors.assessments_for(user=request.user)


@router.get("/assessments/{assessment_id}", response=AssessmentDetailOut, auth=django_auth)
def get_assessment(request: HttpRequest, assessment_id: Id):
    """One assessment with its answers (as given, by question, option and row id) and scores."""
    assessment = get_object_or_404(Assessment.objects.select_related("organisation", "questionnaire"), pk=assessment_id)
    if not rules.has_perm("assessments.view_assessment", request.user, assessment):
        raise HttpError(404, "Not Found")
    return assessment
