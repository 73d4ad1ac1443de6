"""Watches, their matches, and the alerts sent about them.

A watch belongs to an organisation (an SME, or a cluster for a cluster watch, whose matches may go on
to chosen member organisations as Forwards). Each (watch, notice)
pair that scores at least the watch's minimum is one Match, kept with its explanation. What the users
were told is a log of MatchEvents (a new match, later at most one change); each e-mail subscription
and each webhook keeps a cursor in that log, so nobody gets the same notice twice for one watch.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenbridge.core.bounds import MoneyField
from greenbridge.orgs.models import Organisation
from greenbridge.tenders.models import Notice

from .engine import DEFAULT_MIN_SCORE, WatchSpec


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Watch(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="watches")
    name = models.CharField(_("name"), max_length=120)
    cpv_codes = models.JSONField(_("CPV codes"), default=list, blank=True)
    keywords = models.JSONField(_("keywords and phrases"), default=list, blank=True)
    exclude_keywords = models.JSONField(_("leave out notices with"), default=list, blank=True)
    countries = models.JSONField(_("countries and regions"), default=list, blank=True)
    green_sectors = models.JSONField(_("green sectors"), default=list, blank=True)
    value_min = MoneyField(_("minimum value (EUR)"), null=True, blank=True)
    value_max = MoneyField(_("maximum value (EUR)"), null=True, blank=True)
    notice_types = models.JSONField(_("notice types"), default=list, blank=True)
    min_score = models.FloatField(_("minimum score"), default=DEFAULT_MIN_SCORE)
    active = models.BooleanField(_("active"), default=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    webhook_secret = models.CharField(max_length=64, default=new_token, editable=False)
    webhook_cursor = models.BigIntegerField(default=0, editable=False)  # last MatchEvent id queued
    # A cluster watch: the member organisations each new match is forwarded to.
    forward_to = models.ManyToManyField(
        Organisation, blank=True, related_name="forwarding_watches", verbose_name=_("forward matches to")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("watch")
        verbose_name_plural = _("watches")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("matching:watch_edit", args=[self.pk])

    def spec_data(self) -> dict:
        return {name: getattr(self, name) for name in WatchSpec.FIELDS}

    def spec(self) -> WatchSpec:
        return WatchSpec.from_data(self.spec_data())


class Subscription(models.Model):
    """A person's e-mail alerts for one watch."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("As soon as found")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")
        OFF = "off", _("No e-mail")

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_subscriptions")
    frequency = models.CharField(_("e-mail"), max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    cursor = models.BigIntegerField(default=0)  # last MatchEvent id e-mailed
    last_sent = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        constraints = [models.UniqueConstraint(fields=["watch", "user"], name="subscription_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.watch} ({self.frequency})"


class Match(models.Model):
    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="matches")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="matches", db_index=False)
    score = models.FloatField()
    explanation = models.JSONField(default=list)
    # The notice's deadline and status when the users were first told, to tell them of a change once.
    alerted_deadline = models.DateTimeField(null=True)
    alerted_status = models.CharField(max_length=16, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.UniqueConstraint(fields=["watch", "notice"], name="match_unique")]
        indexes = [models.Index(fields=["notice", "watch"]), models.Index(fields=["watch", "-score"])]

    def __str__(self) -> str:
        return f"{self.watch} · {self.notice_id} ({self.score:.2f})"


class MatchEvent(models.Model):
    """What the users of a watch are told: a new match, or (once) a change of a notice they were told of."""

    class Kind(models.TextChoices):
        NEW = "new", _("New")
        CHANGE = "change", _("Changed")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    changes = models.JSONField(default=list, blank=True)  # [{"field": "deadline", "old": …, "new": …}]
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alert event")
        verbose_name_plural = _("alert events")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["match", "kind"], name="match_event_unique")]
        indexes = [models.Index(fields=["watch", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.match}"


class Mark(models.Model):
    """What an organisation decided about a notice; feeds the KPIs and re-measures matching quality."""

    class Value(models.TextChoices):
        RELEVANT = "relevant", _("Relevant")
        NOT_RELEVANT = "not_relevant", _("Not relevant")
        WILL_BID = "will_bid", _("Will bid")
        BID_SUBMITTED = "bid_submitted", _("Bid submitted")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="notice_marks")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="marks", db_index=False)
    value = models.CharField(_("mark"), max_length=16, choices=Value.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bid decision")
        verbose_name_plural = _("bid decisions")
        constraints = [models.UniqueConstraint(fields=["organisation", "notice"], name="mark_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.notice_id}: {self.value}"


class Star(models.Model):
    """A notice a person follows: its deadline goes into their calendar feed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="stars", db_index=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("starred notice")
        verbose_name_plural = _("starred notices")
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="star_unique")]

    def __str__(self) -> str:
        return f"{self.user} ☆ {self.notice_id}"


class CalendarFeed(models.Model):
    """The secret address of a person's calendar of starred deadlines."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar of {self.user}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="deliveries")
    payload = models.TextField()
    events = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt = models.DateTimeField(null=True)
    response_code = models.PositiveSmallIntegerField(null=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    delivered = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt"])]

    def __str__(self) -> str:
        return f"{self.watch} {self.created:%Y-%m-%d %H:%M} ({self.status})"


class MatchRun(models.Model):
    """One pass of the alert matcher over the notices that arrived or changed since the previous one. A watch
    or a notice that cannot be matched is skipped, counted and described in `problems`; the others go on."""

    MAX_PROBLEMS_KEPT = 100

    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True)
    since = models.DateTimeField(null=True)
    until = models.DateTimeField(null=True)  # the newest Notice.updated read: the next run starts after it
    # The active watches the notices were matched against (none: nothing could match, the notices were only counted).
    watches = models.PositiveIntegerField(default=0)
    notices = models.PositiveIntegerField(default=0)
    matches = models.PositiveIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)
    skipped_watches = models.PositiveIntegerField(default=0)
    skipped_notices = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # ["watch 12 (Pumps): …", "notice 345: …"], the first 100

    class Meta:
        verbose_name = _("alert run")
        verbose_name_plural = _("alert runs")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"match run {self.started:%Y-%m-%d %H:%M}"

    def skip(self, kind: str, what: str, why: object) -> None:
        """Count a watch or notice left out of this run, and keep why (the first MAX_PROBLEMS_KEPT)."""
        counter = {"watch": "skipped_watches", "notice": "skipped_notices"}[kind]
        setattr(self, counter, getattr(self, counter) + 1)
        if len(self.problems) < self.MAX_PROBLEMS_KEPT:
            self.problems.append(f"{kind} {what}: {why}"[:500])


class Forward(models.Model):
    """A notice a cluster sent to one of its member organisations: by hand from its inbox or a notice page,
    with a note, or by a cluster watch. Each member gets a notice from a cluster once."""

    cluster = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="forwards_sent")
    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="forwards_received")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="forwards", db_index=False)
    watch = models.ForeignKey(Watch, on_delete=models.SET_NULL, null=True, blank=True, related_name="forwards")
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    emailed = models.DateTimeField(null=True, blank=True)  # when the member's people were told
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("forwarded notice")
        verbose_name_plural = _("forwarded notices")
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["member", "notice", "cluster"], name="forward_unique")]
        indexes = [models.Index(fields=["member", "-created"]), models.Index(fields=["emailed", "member"])]

    def __str__(self) -> str:
        return f"{self.cluster} → {self.member}: {self.notice_id}"
