from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbridge.core.bounds import MoneyField
from greenbridge.tenders.ingest.types import say

# The source of market.history's made-up notices (the demo's procurement history, labelled as generated): they make
# market figures only, so the E-watch's search and counts leave them out unless that source is asked for.
GENERATED_SOURCE = "generated"


class NoticeType(models.TextChoices):
    PLANNING = "planning", _("Planning")
    COMPETITION = "competition", _("Competition")
    AWARD = "award", _("Award")
    OTHER = "other", _("Other")


class NoticeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Open")
    CANCELLED = "cancelled", _("Cancelled")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
    AWARDED = "awarded", _("Awarded")
    CLOSED = "closed", _("Closed")
    UNKNOWN = "", _("Unknown")


class Notice(models.Model):
    """One procurement opportunity as the E-watch shows it: the newest state of an OCDS `ocid`
    or of an eForms notice (with its changes). Earlier states are kept in NoticeVersion."""

    source = models.CharField(_("source"), max_length=50)
    source_id = models.CharField(_("identifier at the source"), max_length=255)
    ocid = models.CharField(_("OCID"), max_length=255, blank=True)  # = source_id for OCDS: indexed there
    procedure_id = models.CharField(_("procedure identifier"), max_length=255, blank=True, db_index=True)
    notice_type = models.CharField(_("notice type"), max_length=12, choices=NoticeType.choices)
    title = models.TextField(_("title"), blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Every language of a multilingual notice, {"en": "…", "fr": "…"}; empty for a one-language notice.
    titles = models.JSONField(_("titles by language"), default=dict, blank=True)
    descriptions = models.JSONField(_("descriptions by language"), default=dict, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=500, blank=True)
    buyer_id = models.CharField(_("buyer identifier"), max_length=255, blank=True)
    buyer_country = models.CharField(_("buyer country"), max_length=2, blank=True)  # (country, deadline) index
    cpv_codes = models.JSONField(_("CPV codes"), default=list, blank=True)  # 8 digits, main first
    # NUTS regions where the contract is performed ("MD", "RO421"), where the source gives them (TED).
    nuts_codes = models.JSONField(_("NUTS regions"), default=list, blank=True)
    green_sectors = models.JSONField(_("green sectors"), default=list, blank=True)
    value_amount = MoneyField(_("estimated value"), null=True)
    value_currency = models.CharField(_("currency"), max_length=3, blank=True)
    deadline = models.DateTimeField(_("submission deadline"), null=True, db_index=True)
    published = models.DateTimeField(_("published"), null=True, db_index=True)
    ojs_number = models.CharField(_("OJ S number"), max_length=40, blank=True)  # TED: "2021/S 098-260082"
    procedure_type = models.CharField(_("procedure"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=NoticeStatus.choices, blank=True)
    url = models.URLField(_("original notice"), max_length=1000, blank=True)
    lots = models.JSONField(_("lots"), default=list, blank=True)
    awards = models.JSONField(_("awards"), default=list, blank=True)
    green_flags = models.JSONField(_("green procurement flags"), default=list, blank=True)
    raw = models.TextField(_("raw document"), blank=True)
    raw_format = models.CharField(max_length=8, default="json")
    # When the state shown was issued at the source (release date / notice issue date).
    state_date = models.DateTimeField(null=True)
    # Days the demo moved this notice's publication date and deadline later, so that a real notice of the past
    # shows as open (`demo_setup`); the source's dates are these minus as many days. Null for real dates.
    demo_shift_days = models.PositiveIntegerField(null=True, blank=True, editable=False)
    content_hash = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-published", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="notice_source_unique")]
        indexes = [
            models.Index(fields=["buyer_country", "deadline"]),
            models.Index(fields=["notice_type", "deadline"]),
            models.Index(fields=["value_amount"]),
        ]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.title or self.source_id

    def get_absolute_url(self) -> str:
        return reverse("tenders:notice_detail", args=[self.pk])

    @property
    def source_published(self):
        """The publication date at the source (before the demo moved it, if it did)."""
        return self._source_date(self.published)

    @property
    def source_deadline(self):
        return self._source_date(self.deadline)

    def _source_date(self, value):
        if value is None or not self.demo_shift_days:
            return value
        return value - timezone.timedelta(days=self.demo_shift_days)

    @property
    def current_status(self) -> str:
        """The status as it stands today: sources often leave a notice "active" after its
        submission deadline; for a bidder it is then closed."""
        if self.status == NoticeStatus.ACTIVE and self.deadline and self.deadline < timezone.now():
            return NoticeStatus.CLOSED
        return self.status

    def get_current_status_display(self) -> str:
        return NoticeStatus(self.current_status).label if self.current_status in NoticeStatus.values else ""


class NoticeCpv(models.Model):
    """One CPV code of a notice (notice-level and lot-level), for prefix filtering by index range."""

    # No index of its own: the (notice, code) unique constraint serves look-ups by notice.
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="cpv_rows", db_index=False)
    code = models.CharField(max_length=8)
    is_main = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["code", "notice"])]
        constraints = [models.UniqueConstraint(fields=["notice", "code"], name="notice_cpv_unique")]

    def __str__(self) -> str:
        return self.code


class NoticeSector(models.Model):
    """One green sector of a notice (filterable the same way on SQLite and PostgreSQL)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="sector_rows", db_index=False)
    sector = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["sector", "notice"])]
        constraints = [models.UniqueConstraint(fields=["notice", "sector"], name="notice_sector_unique")]

    def __str__(self) -> str:
        return self.sector


class NoticeVersion(models.Model):
    """An earlier or current state of a notice as it arrived: an OCDS release, a record's
    compiled release, or an eForms notice (original or change).

    `raw` is empty when this version's document is exactly the notice's current document
    (`Notice.raw`): most notices have one version, and storing it twice doubled the database.
    Before a notice's document changes, the pipeline copies it into such versions, so the
    history never loses a document. Read it with `document`."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="versions", db_index=False)
    version_key = models.CharField(max_length=300)
    date = models.DateTimeField(null=True)
    tags = models.JSONField(default=list, blank=True)
    raw = models.TextField()
    raw_format = models.CharField(max_length=8, default="json")
    received = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notice version")
        verbose_name_plural = _("notice versions")
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "version_key"], name="notice_version_unique")]

    def __str__(self) -> str:
        return self.version_key

    @property
    def document(self) -> str:
        return self.raw or self.notice.raw


class IngestRun(models.Model):
    """One run of a connector, with its counts and the reasons items were rejected."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Connector(models.TextChoices):  # tenders.services.CONNECTORS
        OCDS = "ocds", _("OCDS (JSON)")
        EFORMS = "eforms", _("TED XML (eForms, and before them R2.0.9)")

    connector = models.CharField(max_length=16, choices=Connector.choices)
    source = models.CharField(max_length=50)
    location = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=list, blank=True)  # [{"position": …, "reason": …}], first 1000, in English
    error = models.TextField(blank=True)  # in English
    # The same reasons and error as data, to say them in the reader's language (ingest.types.say): one
    # {"message": …, "params": {…}} for each rejection, in the same order ({} for a reason given as text only), and one
    # for the error. Runs stored before they were kept have none: their English is shown.
    rejections_said = models.JSONField(default=list, blank=True)
    error_said = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("ingest run")
        verbose_name_plural = _("ingest runs")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.connector} {self.location} ({self.status})"

    def rejections_shown(self, count: int | None = None) -> list[dict[str, Any]]:
        """The first `count` rejections (all: None), each {"position": …, "reason": …} with its reason in the
        reader's language, or in English when it was not kept as data (an older run, a damaged row)."""
        said = self.rejections_said if isinstance(self.rejections_said, list) else []
        rejections = self.rejections if isinstance(self.rejections, list) else []
        return [
            {"position": r.get("position", ""), "reason": say(said[i] if i < len(said) else None, r.get("reason", ""))}
            for i, r in enumerate(rejections[:count])
            if isinstance(r, dict)
        ]
