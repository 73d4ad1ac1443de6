"""The clusters' service portfolio: each cluster or BSO keeps a catalogue of support services; an SME requests one,
the cluster accepts it (with an advisor) or declines it, and the engagement records its sessions, its outcome and
the SME's rating.

A service says which assessment dimensions it improves ("questionnaire id:dimension id", e.g.
"eu-edih-dma-sme:data_management"): that is how an SME's weakest dimensions lead to the services that address
them, and how a cluster sees which needs nobody's services cover."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenbridge.core.bounds import MoneyField, validate_day
from greenbridge.orgs.models import Organisation

HOURS_MAX = Decimal("999.9")  # a service's length, in hours
SESSION_HOURS_MAX = Decimal("24")
TEXT_MAX = 4000
NOTE_MAX = 4000


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Service.Status.ACTIVE)


class Service(models.Model):
    class Category(models.TextChoices):
        ADVISORY = "advisory", _("Advisory")
        TRAINING = "training", _("Training")
        INTERNATIONALISATION = "internationalisation", _("Internationalisation")
        PROCUREMENT = "procurement", _("Procurement support")
        FUNDING = "funding", _("Funding and grants")
        CERTIFICATION = "certification", _("Certification")
        DIGITAL = "digital", _("Digital")
        GREEN = "green", _("Green transition")
        LEGAL = "legal", _("Legal")
        MATCHMAKING = "matchmaking", _("Matchmaking")

    class Format(models.TextChoices):
        ONE_TO_ONE = "one_to_one", pgettext_lazy("service format", "One-to-one")
        GROUP = "group", pgettext_lazy("service format", "Group")
        ONLINE = "online", pgettext_lazy("service format", "Online")
        ON_SITE = "on_site", pgettext_lazy("service format", "On site")

    class Pricing(models.TextChoices):
        FREE = "free", _("Free")
        MEMBER_PRICE = "member_price", _("Member price")
        FEE = "fee", _("Fee")

    class Period(models.TextChoices):
        MONTH = "month", _("a month")
        QUARTER = "quarter", _("a quarter")
        YEAR = "year", _("a year")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("service status", "Draft")
        ACTIVE = "active", pgettext_lazy("service status", "Active")
        RETIRED = "retired", pgettext_lazy("service status", "Retired")

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("offered by"),
        on_delete=models.CASCADE,
        related_name="services",
        help_text=_("The cluster or business support organisation whose catalogue it is in."),
    )
    name = models.CharField(_("name"), max_length=160)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences shown in lists."))
    description = models.TextField(_("description"), max_length=TEXT_MAX, blank=True)
    delivered_by = models.ForeignKey(
        Organisation,
        verbose_name=_("delivered by a partner organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services_delivered",
        help_text=_("Leave empty when the cluster's own staff deliver it."),
    )
    expert = models.CharField(
        _("expert"), max_length=160, blank=True, help_text=_("The person or team who delivers it, if you say.")
    )
    formats = models.JSONField(_("format"), default=list, blank=True)  # Format values
    pricing = models.CharField(_("price"), max_length=16, choices=Pricing.choices, default=Pricing.FREE)
    price = MoneyField(_("fee"), null=True, blank=True)
    member_price = MoneyField(_("member price"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    members_only = models.BooleanField(_("for members only"), default=False)
    size_classes = models.JSONField(_("company sizes"), default=list, blank=True)  # Organisation.Size; empty: all
    countries = models.JSONField(_("countries"), default=list, blank=True)  # where the SME is; empty: any
    sectors = models.JSONField(_("green sectors"), default=list, blank=True)  # empty: any
    languages = models.JSONField(_("languages"), default=list, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(HOURS_MAX)],
        help_text=_("How long it takes in all, in hours."),
    )
    dimensions = models.JSONField(_("dimensions it improves"), default=list, blank=True)  # "questionnaire:dimension"
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text=_("How many companies it can take in a period; empty: no limit."),
    )
    capacity_period = models.CharField(_("per"), max_length=8, choices=Period.choices, default=Period.MONTH, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("support service")
        verbose_name_plural = _("support services")
        ordering = ["provider__name", "name"]
        indexes = [models.Index(fields=["status", "category"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:service", args=[self.pk])

    @property
    def format_labels(self) -> list[str]:
        return [str(label) for value, label in self.Format.choices if value in self.formats]

    @property
    def size_class_labels(self) -> list[str]:
        return [str(label) for value, label in Organisation.Size.choices if value in self.size_classes]


class Engagement(models.Model):
    """A request for a service and, once accepted, its delivery."""

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("engagement status", "Requested")
        DECLINED = "declined", pgettext_lazy("engagement status", "Declined")
        PLANNED = "planned", pgettext_lazy("engagement status", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("engagement status", "In progress")
        DELIVERED = "delivered", pgettext_lazy("engagement status", "Delivered")
        CANCELLED = "cancelled", pgettext_lazy("engagement status", "Cancelled")

    OPEN = (Status.REQUESTED, Status.PLANNED, Status.IN_PROGRESS)
    TAKEN = (Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED)  # what counts against capacity

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="engagements")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("company"), on_delete=models.CASCADE, related_name="engagements"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("from the assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="service_requests"
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    preferred_dates = models.CharField(
        _("preferred dates"), max_length=200, blank=True, help_text=_("For example: weekday mornings in January.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements_advised",
    )
    decline_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    outcome = models.TextField(_("outcome"), max_length=NOTE_MAX, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    answered_at = models.DateTimeField(null=True, blank=True)  # accepted or declined
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["service", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="engagement_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:engagement", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Session(models.Model):
    """One session of an engagement: when, how long, and notes (internal to the cluster, or shared with the SME)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="sessions")
    starts = models.DateTimeField(_("starts"), validators=[validate_day])
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(SESSION_HOURS_MAX)],
    )
    notes = models.TextField(_("notes"), max_length=NOTE_MAX, blank=True)
    shared = models.BooleanField(
        _("the company sees the notes"), default=False, help_text=_("Otherwise only the cluster's staff read them.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts", "id"]

    def __str__(self) -> str:
        return f"{self.engagement} – {self.starts:%Y-%m-%d %H:%M}"
