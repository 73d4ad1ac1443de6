"""Events (brokerage, B2P sessions, missions, trainings…), registrations, meeting requests and meetings.

Times are stored in UTC and shown in the event's time zone. The slots of a matchmaking session are not
stored: they follow from its start, end, breaks and the event's meeting length (`slots.py`); a meeting and
a participant's unavailability refer to a slot by its start time, which survives a change of length.
"""

import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from greenbridge.core.bounds import validate_day
from greenbridge.core.timezones import validate as validate_timezone
from greenbridge.events.scheduling.schedule import said
from greenbridge.orgs.models import Organisation

# What an organiser may type (one definition, for the forms, the admin and the services): far inside what the
# columns hold, and large enough for any real event.
CAPACITY_MAX = 100_000
REQUEST_EXPIRY_HOURS_MAX = 90 * 24
MEETINGS_MAX = 1000
TABLES_MAX = 1000
# A one-to-one meeting: long enough to introduce each other, short enough to fit a session.
MEETING_MINUTES = (5, 240)
MEETING_MINUTES_MAX = MEETING_MINUTES[1]
MEETING_MINUTES_MESSAGE = _("A meeting lasts from 5 to 240 minutes.")


class Event(models.Model):
    class Kind(models.TextChoices):
        B2B = "b2b", _("B2B brokerage event")
        B2P = "b2p", _("B2P session with public buyers")
        MISSION = "mission", _("Trade mission")
        STUDY_TOUR = "study_tour", _("Study tour")
        TRAINING = "training", _("Training")
        WORKSHOP = "workshop", _("Workshop")
        WEBINAR = "webinar", _("Webinar")
        CONFERENCE = "conference", _("Conference")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (only organisers see it)")
        PUBLISHED = "published", pgettext_lazy("event status", "Published")  # not the notice's publication date
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.B2B)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    organisers = models.ManyToManyField(Organisation, related_name="organised_events", verbose_name=_("organisers"))
    description = models.TextField(_("description"), blank=True)
    starts = models.DateTimeField(_("starts"), validators=[validate_day])
    ends = models.DateTimeField(_("ends"), validators=[validate_day])
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Bucharest", validators=[validate_timezone]
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(CAPACITY_MAX)],
        help_text=_("Empty: no limit."),
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True, validators=[validate_day])
    registration_closes = models.DateTimeField(
        _("registration closes"), null=True, blank=True, validators=[validate_day]
    )
    approval_required = models.BooleanField(
        _("organisers approve each registration"), default=False, help_text=_("Otherwise registrations are approved.")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    # Matchmaking (B2B, B2P): meeting requests during the booking phase, then the schedule.
    matchmaking = models.BooleanField(_("participants book one-to-one meetings"), default=True)
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=20,
        validators=[
            MinValueValidator(MEETING_MINUTES[0], message=MEETING_MINUTES_MESSAGE),
            MaxValueValidator(MEETING_MINUTES[1], message=MEETING_MINUTES_MESSAGE),
        ],
        help_text=_("From 5 to 240 minutes."),
    )
    booking_closes = models.DateTimeField(
        _("meeting requests close"),
        null=True,
        blank=True,
        validators=[validate_day],
        help_text=_("Empty: when the event starts."),
    )
    auto_accept = models.BooleanField(_("meeting requests are accepted automatically"), default=False)
    request_expiry_hours = models.PositiveSmallIntegerField(
        _("unanswered requests expire after (hours)"),
        default=72,
        validators=[MaxValueValidator(REQUEST_EXPIRY_HOURS_MAX)],
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("most meetings per participant"), null=True, blank=True, validators=[MaxValueValidator(MEETINGS_MAX)]
    )
    max_meetings_per_session = models.PositiveSmallIntegerField(
        _("most meetings per participant and session"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MEETINGS_MAX)],
    )
    schedule_published = models.DateTimeField(_("schedule published"), null=True, blank=True)
    outcomes_requested = models.DateTimeField(null=True, blank=True)  # participants asked how meetings went
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends__gte=models.F("starts")), name="event_ends_after")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and now < self.ends
            and (self.registration_opens is None or now >= self.registration_opens)
            and (self.registration_closes is None or now < self.registration_closes)
        )

    def booking_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.matchmaking and self.status == self.Status.PUBLISHED and now < (self.booking_closes or self.starts)


class Session(models.Model):
    """A block of one-to-one meetings (morning, afternoon…) with its tables; breaks inside are not slots."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=80)
    starts = models.DateTimeField(_("starts"), validators=[validate_day])
    ends = models.DateTimeField(_("ends"), validators=[validate_day])
    tables = models.PositiveSmallIntegerField(_("tables"), default=10, validators=[MaxValueValidator(TABLES_MAX)])
    # [["10:30", "10:45"], …]: local times (the event's time zone) with no meeting.
    breaks = models.JSONField(_("breaks"), default=list, blank=True)

    class Meta:
        ordering = ["starts"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")), name="session_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.name}"


class Question(models.Model):
    """A question the organisers ask on the registration form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Short text")
        LONG = "long", _("Long text")
        CHOICE = "choice", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line."))
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


class Registration(models.Model):
    """A person taking part on behalf of an organisation."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered (awaiting approval)")
        WAITING = "waiting", _("On the waiting list")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", pgettext_lazy("registration or request status", "Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    ACTIVE = (Status.APPROVED, Status.ATTENDED)  # take part in matchmaking
    HOLDS_A_PLACE = (Status.REGISTERED, Status.APPROVED, Status.ATTENDED, Status.NO_SHOW)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)  # {question id: text or [choices]}
    offer = models.TextField(_("what we offer"), blank=True)
    seeking = models.TextField(_("what we are looking for"), blank=True)
    unavailable = models.JSONField(_("unavailable slots"), default=list, blank=True)  # slot ids (start times)
    max_meetings = models.PositiveSmallIntegerField(
        _("most meetings I want"), null=True, blank=True, validators=[MaxValueValidator(MEETINGS_MAX)]
    )
    created = models.DateTimeField(auto_now_add=True)
    status_changed = models.DateTimeField(default=timezone.now)
    reminded = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_one_per_person")]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation}) · {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", pgettext_lazy("registration or request status", "Cancelled")

    OPEN = (Status.PENDING, Status.ACCEPTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    sender = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_sent")
    receiver = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_received")
    message = models.TextField(_("message"), blank=True, max_length=2000)  # e-mailed to the receiver
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    answered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(condition=~models.Q(sender=models.F("receiver")), name="request_not_self"),
            models.UniqueConstraint(
                fields=["sender", "receiver"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="request_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender.organisation} → {self.receiver.organisation}"


class MeetingQuerySet(models.QuerySet):
    def of(self, registration: Registration) -> "MeetingQuerySet":
        """A participant's meetings that still stand (not cancelled), on either side."""
        return self.filter(models.Q(first=registration) | models.Q(second=registration), cancelled__isnull=True)


class Meeting(models.Model):
    """A one-to-one meeting to schedule: from an accepted request, or created by the organisers."""

    class Live(models.TextChoices):
        ON_TIME = "", _("On time")
        LATE = "late", _("Running late")
        NO_SHOW = "no_show", _("No-show")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.SET_NULL, null=True, blank=True)
    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meetings_first")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meetings_second")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("only in session")
    )
    starts = models.DateTimeField(_("slot"), null=True, blank=True)
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    published_starts = models.DateTimeField(null=True, blank=True)
    published_table = models.PositiveSmallIntegerField(null=True, blank=True)
    # Why the last schedule left it out, as the scheduler says it (scheduling.explain_unscheduled's "why", each
    # participant by name): said in the reader's language by `unscheduled_reasons`.
    unscheduled_why = models.JSONField(default=list, blank=True)
    live = models.CharField(_("during the event"), max_length=8, choices=Live.choices, blank=True, default="")
    cancelled = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts", "table", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [models.CheckConstraint(condition=~models.Q(first=models.F("second")), name="meeting_not_self")]

    def __str__(self) -> str:
        return f"{self.first.organisation} × {self.second.organisation}"

    def other(self, registration: Registration) -> Registration:
        return self.second if registration.pk == self.first_id else self.first

    @property
    def is_published(self) -> bool:
        return self.published_starts is not None

    @property
    def unscheduled_reasons(self) -> list[str]:
        """Why the last schedule left it out, in the reader's language."""
        return [text for why in self.unscheduled_why or [] if isinstance(why, dict) and (text := said(why))]


class Outcome(models.Model):
    """How a meeting went, from one side: each participant tells for themselves. Seen by that side and the
    organisers, never by the other side."""

    class Held(models.TextChoices):
        HELD = "held", _("The meeting took place")
        NO_SHOW = "no_show", _("The other side did not come")

    class Interest(models.TextChoices):
        NONE = "none", _("No further interest")
        FOLLOW_UP = "follow_up", _("Follow-up planned")
        AGREEMENT = "agreement", _("Agreement in progress")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="outcomes")
    held = models.CharField(_("did it take place?"), max_length=8, choices=Held.choices)
    interest = models.CharField(_("what next?"), max_length=10, choices=Interest.choices, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("For you and the organisers; the other side never sees it.")
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "registration"]
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [models.UniqueConstraint(fields=["meeting", "registration"], name="outcome_one_per_side")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.registration.organisation}: {self.held}"
