"""Writes of the assessments app: loading questionnaires (versioned, frozen once answered); taking an assessment
(a draft saved page by page, then submitted and scored)."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbridge.core.errors import Refused

from .format import QuestionnaireInvalid, parse, read_file
from .models import Action, Assessment, Comment, Questionnaire
from .scoring import AnswersInvalid

SHIPPED = Path(__file__).resolve().parent / "questionnaires"


@dataclass(frozen=True)
class Loaded:
    questionnaire: Questionnaire
    action: str  # created, replaced, new_version, unchanged

    def describe(self) -> str:
        q = self.questionnaire
        what = {
            "created": "loaded",
            "replaced": "replaced (no assessment used it yet)",
            "new_version": "loaded as a new version (the one before has assessments and stays as it was)",
            "unchanged": "unchanged",
        }[self.action]
        return f"{q.slug} v{q.version}: {what}"


def _digest(data: dict[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k != "version"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def load_questionnaire(data: Any, *, by=None) -> Loaded:
    """Store a questionnaire file's data (checked as a whole first: `QuestionnaireInvalid` lists every problem and
    nothing is stored). The latest version is replaced while no assessment uses it; once one does, a changed file
    becomes the next version. A file that names its version loads into that version (refused if it is frozen and
    the file differs)."""
    spec = parse(data)
    digest = _digest(data)
    title = dict(spec.title)
    versions = Questionnaire.objects.select_for_update().filter(slug=spec.id)
    if spec.version is not None:
        target = versions.filter(version=spec.version).first()
    else:
        target = versions.order_by("-version").first()
    if target is not None and target.digest == digest:
        return Loaded(target, "unchanged")
    if target is not None and not target.is_frozen:
        target.definition, target.digest, target.title, target.loaded_by = data, digest, title, by
        target.save()
        return Loaded(target, "replaced")
    if target is not None and spec.version is not None:
        raise QuestionnaireInvalid(
            [f"version: {spec.id} v{spec.version} has assessments and cannot change; leave version out to add one"]
        )
    latest = versions.order_by("-version").values_list("version", flat=True).first() or 0
    created = Questionnaire.objects.create(
        slug=spec.id,
        version=spec.version or latest + 1,
        title=title,
        definition=data,
        digest=digest,
        loaded_by=by,
    )
    return Loaded(created, "new_version" if latest else "created")


def load_file(path: str | Path, *, by=None) -> Loaded:
    return load_questionnaire(read_file(path), by=by)


@functools.cache
def shipped_data() -> tuple[dict[str, Any], ...]:
    """The data of the questionnaires GreenBridge ships (greenbridge/assessments/questionnaires/), read once per
    process."""
    return tuple(read_file(path) for path in sorted(SHIPPED.glob("*.yaml")))


def load_shipped(*, by=None) -> list[Loaded]:
    """Load the questionnaires GreenBridge ships (unchanged ones stay as they are)."""
    return [load_questionnaire(copy.deepcopy(data), by=by) for data in shipped_data()]


# -- taking an assessment -------------------------------------------------------------------------------------------


def latest_questionnaire(slug: str) -> Questionnaire | None:
    """The version new assessments of this questionnaire use: the latest offered one."""
    return Questionnaire.objects.filter(slug=slug, is_active=True).order_by("-version").first()


@transaction.atomic
def assessment_start(*, organisation, questionnaire: Questionnaire, stage: str, taken_on, user) -> Assessment:
    """A draft assessment of `organisation` (by one of its people, or an advisor of a cluster it shares with: the
    caller checks `assessments.take`)."""
    return Assessment.objects.create(
        organisation=organisation,
        questionnaire=questionnaire,
        stage=stage,
        taken_on=taken_on,
        mode=questionnaire.spec.scoring.mode,
        started_by=user,
    )


@transaction.atomic
def assessment_save_answers(*, assessment: Assessment, answers: dict[str, Any]) -> Assessment:
    """Keep these answers (one page's: the others stay) in the draft. Answers are checked against the
    questionnaire first (`AnswersInvalid`): a form only gives answers that fit."""
    if assessment.status != Assessment.Status.DRAFT:
        raise Refused(_("This assessment was submitted: its answers no longer change."))
    if problems := assessment.questionnaire.scorer.problems(answers):
        raise AnswersInvalid(problems)
    merged = {**assessment.answers, **answers}
    # None and "" are "not answered"; an empty list of checkboxes is an answer (none of these).
    assessment.answers = {qid: answer for qid, answer in merged.items() if answer is not None and answer != ""}
    assessment.save(update_fields=["answers", "updated"])
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> list[str]:
    """Submit a draft: every required question answered (else the ids of those that are not, and nothing
    changes), then scored and frozen."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.DRAFT:
        raise Refused(_("This assessment was already submitted."))
    scorer = assessment.questionnaire.scorer
    if missing := scorer.unanswered(assessment.answers):
        return missing
    scores = scorer.score(assessment.answers, assessment.mode or None)
    assessment.mode = scores.mode
    assessment.overall = scores.overall
    assessment.band = scores.band
    assessment.dimension_scores = scores.dimensions
    assessment.question_scores = scores.questions
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = timezone.now()
    assessment.save()
    return []


# -- the review: comments and the action plan -------------------------------------------------------------------


def _dimension_ids(assessment: Assessment) -> set[str]:
    return {d.id for d in assessment.questionnaire.spec.dimensions}


@transaction.atomic
def comment_add(*, assessment: Assessment, user, dimension: str, text: str) -> Comment:
    if dimension not in _dimension_ids(assessment):
        raise Refused(_("This questionnaire has no such dimension."))
    return Comment.objects.create(assessment=assessment, dimension=dimension, text=text, author=user)


@transaction.atomic
def action_save(*, assessment: Assessment, user, data: dict[str, Any], action: Action | None = None) -> Action:
    """Add an action to the plan (or change one). A change after the SME agreed the plan asks for its agreement
    again."""
    if data.get("dimension") and data["dimension"] not in _dimension_ids(assessment):
        raise Refused(_("This questionnaire has no such dimension."))
    if action is None:
        action = Action(assessment=assessment, created_by=user)
    for field in ("title", "dimension", "owner", "due", "status", "service"):
        if field in data:
            setattr(action, field, data[field])
    action.dimension = action.dimension or ""
    action.save()
    if assessment.plan_agreed_at is not None:
        Assessment.objects.filter(pk=assessment.pk).update(plan_agreed_at=None, plan_agreed_by=None)
        assessment.plan_agreed_at = assessment.plan_agreed_by = None
    return action


@transaction.atomic
def plan_agree(*, assessment: Assessment, user) -> None:
    if not assessment.actions.exists():
        raise Refused(_("There is no action to agree yet."))
    assessment.plan_agreed_at, assessment.plan_agreed_by = timezone.now(), user
    assessment.save(update_fields=["plan_agreed_at", "plan_agreed_by"])
