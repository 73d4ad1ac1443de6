"""Self-assessments: versioned questionnaires (docs/questionnaires.md) and an organisation's assessments of
them at a stage (T0 before support, T1 after, T2 follow-up, or a date).

A questionnaire version that has assessments is frozen: loading a changed file makes the next version, and
every result names the version (and the scoring mode) it was computed from. Answers are kept as given
(per question, option and row id), so scores can be computed again if the scoring rules change."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenbridge.core.bounds import validate_day
from greenbridge.orgs.models import Organisation

from .format import MODES, parse
from .format import Questionnaire as QuestionnaireSpec
from .scoring import Scorer

_BY_DIGEST: dict[tuple[str, int], tuple[QuestionnaireSpec, Scorer]] = {}


def _compiled(digest: str, version: int, definition: dict) -> tuple[QuestionnaireSpec, Scorer]:
    """A version's checked questionnaire and its scorer, built once per process (a version's definition never
    changes once answered; a replaced draft version has a new digest)."""
    key = (digest, version)
    found = _BY_DIGEST.get(key)
    if found is None:
        spec = parse(definition)
        found = _BY_DIGEST[key] = (spec, Scorer(spec, version))
    return found


class Questionnaire(models.Model):
    slug = models.SlugField(_("identifier"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    title = models.JSONField(_("title"), default=dict)  # by language
    definition = models.JSONField(_("definition"))  # the file's data as checked (format.Questionnaire)
    digest = models.CharField(max_length=64)  # of the definition, to tell an unchanged file
    is_active = models.BooleanField(_("offered"), default=True)  # new assessments use the latest active version
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="questionnaire_version_unique")]

    def __str__(self) -> str:
        return f"{self.spec.text(self.title, 'en')} (v{self.version})"

    @property
    def spec(self) -> QuestionnaireSpec:
        return self._compiled()[0]

    @property
    def scorer(self) -> Scorer:
        return self._compiled()[1]

    def _compiled(self) -> tuple[QuestionnaireSpec, Scorer]:
        # The definition (tens of kilobytes of JSON) is read only when the process has not compiled this version yet:
        # lists load questionnaires with it deferred.
        return _BY_DIGEST.get((self.digest, self.version)) or _compiled(self.digest, self.version, self.definition)

    @property
    def is_frozen(self) -> bool:
        return self.assessments.exists()


class Assessment(models.Model):
    class Stage(models.TextChoices):
        T0 = "T0", _("T0 – before support")
        T1 = "T1", _("T1 – after support")
        T2 = "T2", _("T2 – follow-up")
        DATE = "date", _("On a date")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="assessments")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, default=Stage.T0)
    taken_on = models.DateField(_("date"), validators=[validate_day])
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    mode = models.CharField(_("scoring mode"), max_length=16, choices=[(m, m) for m in MODES], blank=True)
    # The scores of a submitted assessment (scoring.Scores), at full precision.
    overall = models.FloatField(_("overall score"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=64, blank=True)
    dimension_scores = models.JSONField(default=dict, blank=True)
    question_scores = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The action plan, agreed by one of the SME's people (changed since: agreed again).
    plan_agreed_at = models.DateTimeField(null=True, blank=True)
    plan_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-taken_on", "-id"]
        indexes = [models.Index(fields=["questionnaire", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.questionnaire.slug} v{self.questionnaire.version} {self.stage}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:detail", args=[self.pk])


class Comment(models.Model):
    """An advisor's comment on one dimension of a submitted assessment (the cluster's review)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    dimension = models.CharField(_("dimension"), max_length=64)
    text = models.TextField(_("comment"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment on an assessment")
        verbose_name_plural = _("comments on assessments")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.text[:60]}"


class Action(models.Model):
    """One action of the plan the SME and its cluster agree after an assessment."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    dimension = models.CharField(_("dimension"), max_length=64, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due = models.DateField(_("due"), null=True, blank=True, validators=[validate_day])
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    service = models.ForeignKey(
        "portfolio.Service",
        verbose_name=_("with the service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title
