"""The partnering marketplace and what comes of it.

- An **opportunity** is what an organisation offers or looks for, of the kinds clusters know from the
  Enterprise Europe Network (business / technology offer or request, R&D partner request), plus a public
  buyer's **procurement need**. It is public until it expires or its owner closes it; the owner may hide its
  name until it accepts contact.
- An **interest** is another organisation asking to get in touch about one opportunity; the owner accepts
  (both sides then see each other's contact) or declines.
- A **partnership** is an agreement that came of it (or of a meeting at an event): counted by the KPIs,
  visible to the partners' people and to the cluster staff they share private data with. Its evidence
  document is kept in private storage and only served to them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenbridge.core.bounds import MoneyField, validate_day
from greenbridge.core.storage import private_storage
from greenbridge.orgs.models import Organisation


class PartnershipKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    COMMERCIAL = "commercial", _("Commercial agreement")
    JOINT_BID = "joint_bid", _("Joint bid")
    TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer")
    PPP = "ppp", _("Public-private partnership")
    INVESTMENT = "investment", _("Investment")


class OpportunityQuerySet(models.QuerySet):
    def open(self) -> "OpportunityQuerySet":
        """Published and not expired: what everyone may browse. A procurement need only once its organisation
        is verified as a public buyer (the twin of `Opportunity.is_listed`)."""
        return self.filter(status=Opportunity.Status.OPEN, expires__gte=timezone.localdate()).exclude(
            Q(kind=Opportunity.Kind.PROCUREMENT_NEED)
            & ~Q(
                organisation__kind__in=Organisation.VERIFIED_KINDS,
                organisation__verification=Organisation.Verification.VERIFIED,
            )
        )


class Opportunity(models.Model):
    class Kind(models.TextChoices):
        BUSINESS_OFFER = "business_offer", _("Business offer")
        BUSINESS_REQUEST = "business_request", _("Business request")
        TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
        TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
        RESEARCH_REQUEST = "research_request", _("R&D partner request")
        PROCUREMENT_NEED = "procurement_need", _("Procurement need")

    OFFERS = (Kind.BUSINESS_OFFER, Kind.TECHNOLOGY_OFFER)
    # What its owner sets, in the order the form shows it (the form and opportunity_save share it).
    EDITABLE = (
        "kind", "title", "summary", "description", "cpv_codes", "nace_codes", "green_sectors", "countries",
        "cooperation", "budget", "currency", "planned_for", "expires", "anonymous",
    )  # fmt: skip

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("opportunity status", "Open")
        CLOSED = "closed", pgettext_lazy("opportunity status", "Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="opportunities", verbose_name=_("organisation")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("event"),
        help_text=_("Published for the participants of an event (it stays in the marketplace too)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, help_text=_("One or two sentences shown in lists."))
    description = models.TextField(_("description"), blank=True)
    cpv_codes = models.JSONField(_("CPV codes"), default=list, blank=True)
    nace_codes = models.JSONField(_("NACE activity codes"), default=list, blank=True)
    green_sectors = models.JSONField(_("green sectors"), default=list, blank=True)
    countries = models.JSONField(
        _("countries"), default=list, blank=True, help_text=_("Where the offer is for or where the need is.")
    )
    cooperation = models.JSONField(_("cooperation sought"), default=list, blank=True)
    budget = MoneyField(_("budget"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    planned_for = models.DateField(
        _("planned tender date"),
        null=True,
        blank=True,
        validators=[validate_day],
        help_text=_("For a procurement need: when you plan to buy."),
    )
    anonymous = models.BooleanField(
        _("hide our name until we accept contact"),
        default=False,
        help_text=_("Others see only the kind of organisation and its country, as in the EEN partnering database."),
    )
    expires = models.DateField(_("open until"), validators=[validate_day])
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("partnering opportunity")
        verbose_name_plural = _("partnering opportunities")
        indexes = [models.Index(fields=["status", "expires"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnering:opportunity", args=[self.pk])

    @property
    def is_offer(self) -> bool:
        return self.kind in self.OFFERS

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.expires >= timezone.localdate()

    @property
    def is_listed(self) -> bool:
        """Open, and for a procurement need published by a verified public buyer: what everyone may see."""
        return self.is_open and (self.kind != self.Kind.PROCUREMENT_NEED or self.organisation.is_verified)

    def cooperation_labels(self) -> list[str]:
        return [str(PartnershipKind(c).label) for c in self.cooperation if c in PartnershipKind.values]


class Interest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Contact accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="interests_sent")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    message = models.TextField(_("message"), max_length=2000)  # e-mailed to the owner: a note, not a file
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(auto_now_add=True)
    answered = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "organisation"], name="interest_one_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.opportunity}"


def _private_storage():  # named by migration 0001
    return private_storage


class PartnershipQuerySet(models.QuerySet):
    def of_organisations(self, organisations) -> "PartnershipQuerySet":
        return self.filter(organisations__in=organisations).distinct()


class Partnership(models.Model):
    Kind = PartnershipKind

    class Stage(models.TextChoices):
        NEGOTIATING = "negotiating", _("Being negotiated")
        SIGNED = "signed", _("Signed")
        UNDER_WAY = "under_way", _("Under way")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended without result")

    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, related_name="partnerships", verbose_name=_("partners on GreenBridge")
    )
    other_partners = models.CharField(
        _("other partners"), max_length=400, blank=True, help_text=_("Partners not on GreenBridge, with their country.")
    )
    date = models.DateField(_("date"), validators=[validate_day], help_text=_("When it was signed, or started."))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.NEGOTIATING)
    value = MoneyField(_("value"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    evidence = models.FileField(
        _("evidence"),
        storage=_private_storage,
        upload_to="partnerships/%Y/%m/",
        blank=True,
        help_text=_("The signed document or a letter of intent (PDF, image or office document)."),
    )
    meeting = models.ForeignKey(
        "events.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="partnerships"
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("came from the event"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("came from the opportunity"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnering:partnership", args=[self.pk])
