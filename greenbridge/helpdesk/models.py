"""The help desk: each cluster's or BSO's queues of questions from companies (by e-mail or on the web), answered by
its advisors within service levels counted in its business hours.

- `BusinessCalendar`: a working week in a time zone, the country whose public holidays close it, other closed days.
- `Queue`: a topic a cluster answers (procurement abroad, EU funding…), its languages, e-mail address, default
  priority, who of the staff answers, whether the public may write, and its calendar; `ServiceLevel`: the
  first-response and resolution targets per priority, in working minutes.
- `Ticket`: a question and its thread (`Message`: public replies, internal notes, incoming mail, each with its
  `Attachment`s), with its log of changes (`TicketChange`) and its service-level clock: the working time used
  while the clock ran, and since when it runs again (None while the ticket waits for the requester).
- `CannedReply`: a cluster's ready answers in several languages, with placeholders.
- `QuarantinedMail`: incoming mail that could not become a message, kept with the reason and the raw bytes.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from greenbridge.core.storage import private
from greenbridge.orgs.models import Membership, Organisation
from greenbridge.orgs.rules import STAFF_ROLES

from . import hours

SUBJECT_MAX = 250
REFERENCE_PREFIX = "GB-"  # a ticket's reference, in the subject of every e-mail about it
PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")  # of canned replies: {requester}, {reference}…
TEXT_MAX = 100_000  # a message's text, as received or typed
TARGET_MAX_MINUTES = 60 * 24 * 365  # a service level's target: at most a year of working time


def validate_week(text: str) -> None:
    try:
        hours.parse_week(text)
    except hours.HoursInvalid as exc:
        raise ValidationError(exc.problems) from exc


def validate_time_zone(name: str) -> None:
    try:
        hours.time_zone(name)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def validate_closed_days(days) -> None:
    from datetime import date

    if not isinstance(days, list):
        raise ValidationError(_("Closed days are a list of dates."))
    wrong = []
    for day in days:
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError):
            wrong.append(str(day))
    if wrong:
        raise ValidationError(_("Not dates (YYYY-MM-DD): %(days)s") % {"days": ", ".join(wrong[:5])})


class BusinessCalendar(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="calendars")
    name = models.CharField(_("name"), max_length=120)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Bucharest", validators=[validate_time_zone]
    )
    week = models.TextField(
        _("working hours"),
        default=hours.DEFAULT_WEEK,
        validators=[validate_week],
        help_text=_("One line per day or run of days, e.g. “mon-thu 09:00-13:00 14:00-17:30” then “fri 09:00-14:00”."),
    )
    holidays_country = CountryField(_("public holidays of"), blank=True)
    holidays_subdivision = models.CharField(
        _("region for public holidays"), max_length=10, blank=True, help_text=_("Only where holidays differ by region.")
    )
    closed_days = models.JSONField(
        _("other closed days"), default=list, blank=True, validators=[validate_closed_days]
    )  # ISO dates

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.time_zone})"

    def clean(self) -> None:
        import holidays

        supported = holidays.list_supported_countries()
        country = str(self.holidays_country or "")
        if country and country not in supported:
            raise ValidationError({"holidays_country": _("Public holidays of this country are not known.")})
        if self.holidays_subdivision:
            if not country:
                raise ValidationError({"holidays_subdivision": _("Choose the country first.")})
            if self.holidays_subdivision not in supported[country]:
                raise ValidationError(
                    {
                        "holidays_subdivision": _("Not a region of this country; known: %(known)s")
                        % {"known": ", ".join(supported[country]) or "—"}
                    }
                )

    def business_hours(self) -> hours.BusinessHours:
        from datetime import date

        return hours.BusinessHours(
            week=hours.parse_week(self.week),
            zone=hours.time_zone(self.time_zone),
            holidays_country=str(self.holidays_country or ""),
            holidays_subdivision=self.holidays_subdivision,
            closed=frozenset(date.fromisoformat(d) for d in self.closed_days or ()),
        )


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_ORDER = [p.value for p in Priority]


class Queue(models.Model):
    class Topic(models.TextChoices):
        PROCUREMENT = "procurement", _("Public procurement abroad")
        FUNDING = "funding", _("EU funding")
        CERTIFICATION = "certification", _("Certification")
        DIGITAL = "digital", _("Digital")
        LEGAL_EXPORT = "legal_export", _("Legal and export")
        GENERAL = "general", _("General questions")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="queues")
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.GENERAL)
    languages = models.JSONField(_("languages"), default=list, blank=True)  # language codes, the first the default
    email = models.EmailField(_("e-mail address"), blank=True, help_text=_("Where companies write to this queue."))
    default_priority = models.CharField(
        _("default priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    public = models.BooleanField(_("anyone may write"), default=False, help_text=_("Else only known companies."))
    acknowledge = models.BooleanField(_("acknowledge new tickets by e-mail"), default=True)
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, null=True, blank=True, related_name="queues"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalations to"),
    )
    # Who of the organisation's staff answers; empty: all its managers and advisors.
    agents = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="helpdesk_queues")
    active = models.BooleanField(_("active"), default=True)
    # Incoming mail (helpdesk fetch): an IMAP mailbox; the password is read from the environment variable named.
    imap_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(
        _("IMAP port"), default=993, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    imap_ssl = models.BooleanField(_("IMAP over TLS"), default=True)
    imap_user = models.CharField(_("IMAP user"), max_length=200, blank=True)
    imap_password_env = models.CharField(
        _("environment variable holding the IMAP password"), max_length=100, blank=True
    )
    imap_folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")
    # Where the last poll stopped: messages with a higher UID are new (whatever their "seen" flag, which people
    # reading the mailbox change); a new UIDVALIDITY means the mailbox was rebuilt and is read again (Message-IDs
    # keep that harmless).
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    imap_last_uid = models.BigIntegerField(default=0, editable=False)
    imap_checked_at = models.DateTimeField(_("mailbox last read"), null=True, blank=True, editable=False)
    imap_error = models.CharField(_("mailbox problem"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("help-desk queue")
        verbose_name_plural = _("help-desk queues")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~models.Q(email=""), name="helpdesk_queue_email_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def staff(self):
        """The people who answer it: its agents, or when it names none every manager and advisor of its cluster."""
        if self.agents.exists():
            return self.agents.all()
        people = Membership.objects.filter(organisation_id=self.organisation_id, role__in=STAFF_ROLES).values("user")
        return get_user_model().objects.filter(pk__in=people)


class ServiceLevel(models.Model):
    """A queue's targets for one priority, in working minutes of its calendar."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="service_levels")
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (working minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(TARGET_MAX_MINUTES)],
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (working minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(TARGET_MAX_MINUTES)],
    )
    warn_minutes = models.PositiveIntegerField(
        _("warn this long before (working minutes)"),
        default=60,
        validators=[MaxValueValidator(TARGET_MAX_MINUTES)],
    )

    class Meta:
        verbose_name = _("service level")
        constraints = [models.UniqueConstraint(fields=["queue", "priority"], name="helpdesk_one_level_per_priority")]

    def __str__(self) -> str:
        return f"{self.queue}: {self.get_priority_display()}"


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Ticket.DONE)


class Ticket(models.Model):
    class Status(models.TextChoices):
        # With a context: "New", "Open" and "Closed" of notices and opportunities agree with other nouns elsewhere.
        NEW = "new", pgettext_lazy("ticket status", "New")
        OPEN = "open", pgettext_lazy("ticket status", "Open")
        WAITING_REQUESTER = "waiting_requester", pgettext_lazy("ticket status", "Waiting for the requester")
        WAITING_THIRD_PARTY = "waiting_third_party", pgettext_lazy("ticket status", "Waiting for a third party")
        RESOLVED = "resolved", pgettext_lazy("ticket status", "Resolved")
        CLOSED = "closed", pgettext_lazy("ticket status", "Closed")

    DONE = (Status.RESOLVED, Status.CLOSED)
    PAUSED = (Status.WAITING_REQUESTER,)  # the service-level clock stops

    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="tickets")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    requester_email = models.EmailField(_("requester's e-mail"), blank=True)
    requester_name = models.CharField(_("requester's name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assigned to"),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    cc = models.JSONField(_("copied"), default=list, blank=True)  # e-mail addresses
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The service-level clock (sla.py): working seconds used while it ran before `clock_since` (None: stopped,
    # waiting for the requester), and the due times it gives.
    clock_used = models.FloatField(default=0.0)
    clock_since = models.DateTimeField(null=True, blank=True)
    first_response_due = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution_due = models.DateTimeField(null=True, blank=True, db_index=True)
    # Escalation (escalation.py): when the last warning went out and for which due time; when a target was
    # first missed (kept: a ticket that breached stays breached) and the latest due time escalated.
    warned_at = models.DateTimeField(null=True, blank=True)
    warned_due = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    escalated_due = models.DateTimeField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comment = models.TextField(blank=True, max_length=2000)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged")
    # What the question is about.
    notice = models.ForeignKey(
        "tenders.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    event = models.ForeignKey("events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets")
    opportunity = models.ForeignKey(
        "partnering.Opportunity", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    engagement = models.ForeignKey(
        "portfolio.Engagement", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["queue", "status", "-created"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["organisation", "-created"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="helpdesk_satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"[{self.reference}] {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:ticket", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        """What the subject of every e-mail about it carries, so that a reply finds it: "GB-000042"."""
        return f"{REFERENCE_PREFIX}{self.pk:06d}"

    @property
    def breached(self) -> bool:
        return self.breached_at is not None


class Message(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", _("Reply")
        INTERNAL = "internal", _("Internal note")
        INCOMING = "incoming", _("From the requester")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_email = models.EmailField(blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=TEXT_MAX)  # as shown: quoted history and signature trimmed
    full_text = models.TextField(blank=True)  # as received, when something was trimmed
    html = models.TextField(blank=True)  # sanitised HTML of an HTML mail (remote images removed)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # E-mail: its Message-ID (ours for what we send), what it replies to, the raw message (incoming).
    message_id = models.CharField(max_length=500, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=500, blank=True)
    raw = models.FileField(storage=private, upload_to="helpdesk/raw/%Y/%m/", blank=True)
    automatic = models.BooleanField(default=False)  # an auto-reply or bounce: recorded, never answered
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["ticket", "created"])]

    def __str__(self) -> str:
        return f"{self.ticket.reference} {self.get_kind_display()} {self.created:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private, upload_to="helpdesk/attachments/%Y/%m/")
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=120)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class TicketChange(models.Model):
    """Who changed what of a ticket, when."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=40)
    old = models.CharField(max_length=300, blank=True)
    new = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("ticket change")
        verbose_name_plural = _("ticket changes")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.field} {self.old} → {self.new}"


class CannedReply(models.Model):
    """A ready answer of a cluster's staff; placeholders: {requester}, {company}, {reference}, {subject}, {queue},
    {advisor}."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="canned_replies")
    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    body = models.TextField(_("text"), max_length=20_000)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title", "language"]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def render(self, ticket: Ticket, advisor) -> str:
        """The text with its placeholders filled; an unknown one is left as written."""
        values = {
            "requester": ticket.requester_name or ticket.requester_email,
            "company": ticket.organisation.name if ticket.organisation else "",
            "reference": ticket.reference,
            "subject": ticket.subject,
            "queue": ticket.queue.name,
            "advisor": str(advisor) if advisor else "",
        }
        return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), self.body)


class QuarantinedMail(models.Model):
    """Incoming mail that did not become a message, with why; queue admins read it and can download it."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="quarantine")
    received = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300)  # in English as the code writes it; shown translated
    detail = models.CharField(max_length=300, blank=True)  # the error's own words, shown as they are
    from_header = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=500, blank=True, db_index=True)
    raw = models.FileField(storage=private, upload_to="helpdesk/quarantine/%Y/%m/")
    released = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received"]
        verbose_name = _("quarantined mail")
        verbose_name_plural = _("quarantined mail")

    def __str__(self) -> str:
        return f"{self.received:%Y-%m-%d %H:%M} {self.reason}"
