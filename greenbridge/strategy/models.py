"""A joint internationalisation strategy: a document that clusters and BSOs write together (owner, editors,
readers), in sections: context and objectives, target markets (their figures frozen when chosen), SWOT with
evidence, strategic partners, the partnership agreement's essentials, the roadmap of activities, financial
sustainability, the communication plan and KPI targets. Published versions keep each section as text, for
comparing; comments are per section; every change is logged."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from greenbridge.core.bounds import MoneyField, validate_day
from greenbridge.events.models import Event
from greenbridge.orgs.models import Organisation
from greenbridge.partnering.models import Partnership

TEXT_MAX = 20_000  # characters of one text section


class Strategy(models.Model):
    title = models.CharField(_("title"), max_length=200)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="strategies",
        verbose_name=_("partnership"),
        help_text=_("The partnership of clusters this strategy is for, if it is recorded on GreenBridge."),
    )
    context = models.TextField(_("context"), max_length=TEXT_MAX, blank=True)
    objectives = models.TextField(_("objectives"), max_length=TEXT_MAX, blank=True)
    governance = models.TextField(_("governance"), max_length=TEXT_MAX, blank=True)
    services = models.TextField(_("joint services"), max_length=TEXT_MAX, blank=True)
    ip = models.TextField(_("intellectual property"), max_length=TEXT_MAX, blank=True)
    finances = models.TextField(_("finances and cost sharing"), max_length=TEXT_MAX, blank=True)
    sustainability = models.TextField(_("financial sustainability"), max_length=TEXT_MAX, blank=True)
    organisations = models.ManyToManyField(Organisation, through="Member", related_name="strategies")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("internationalisation strategy")
        verbose_name_plural = _("internationalisation strategies")
        ordering = ["-updated"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:detail", args=[self.pk])


class Member(models.Model):
    """An organisation writing or reading the strategy; its people (managers and advisors) act for it."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")
        READER = "reader", _("Reader")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="strategy_roles")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        verbose_name = _("strategy member")
        verbose_name_plural = _("strategy members")
        constraints = [models.UniqueConstraint(fields=["strategy", "organisation"], name="strategy_member_once")]
        ordering = ["role", "organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class TargetMarket(models.Model):
    """A country chosen from the target-market ranking, with the ranking's figures as they were that day."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="markets")
    country = CountryField(_("country"))
    rank = models.PositiveSmallIntegerField(_("rank when chosen"), null=True, blank=True)
    score = models.FloatField(_("score when chosen"), null=True, blank=True)
    ranked_for = models.CharField(_("ranked for"), max_length=255, blank=True)
    market = models.JSONField(default=dict, blank=True)  # the slice: {"cpv": [...], "sectors": [...]}
    figures = models.JSONField(default=dict, blank=True)  # frozen: explanation, factors, key figures
    note = models.CharField(_("why this market"), max_length=500, blank=True)
    chosen = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("target market")
        verbose_name_plural = _("target markets")
        constraints = [models.UniqueConstraint(fields=["strategy", "country"], name="strategy_market_once")]
        ordering = ["rank", "country"]

    def __str__(self) -> str:
        return str(self.country.name)

    @property
    def explained(self) -> dict:
        """The explanation and the factors kept when it was chosen, in the reader's language (kept in every shipped
        language since 2026-12; before, only in the language of whoever chose it)."""
        words = self.figures.get("languages", {}).get(get_language()) or {}
        factors = self.figures.get("factors", [])
        if len(words.get("factors", [])) == len(factors):
            factors = [{**f, **w} for f, w in zip(factors, words["factors"], strict=True)]
        return {"explanation": words.get("explanation") or self.figures.get("explanation", ""), "factors": factors}

    @property
    def today_url(self) -> str:
        """The market's page as it is now: this country, the CPV codes it was ranked by (else its sectors)."""
        chosen = {"cpv": self.market.get("cpv")} if self.market.get("cpv") else {"sector": self.market.get("sectors")}
        return reverse("market:market") + "?" + urlencode({"country": self.country.code, **chosen}, doseq=True)


class SwotItem(models.Model):
    class Quadrant(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        WEAKNESS = "weakness", _("Weakness")
        OPPORTUNITY = "opportunity", _("Opportunity")
        THREAT = "threat", _("Threat")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="swot")
    quadrant = models.CharField(_("quadrant"), max_length=12, choices=Quadrant.choices)
    text = models.CharField(_("item"), max_length=500)
    evidence_label = models.CharField(_("evidence"), max_length=500, blank=True)
    evidence_url = models.CharField(_("evidence link"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")
        ordering = ["quadrant", "created", "id"]

    def __str__(self) -> str:
        return self.text


class Partner(models.Model):
    class Side(models.TextChoices):
        EUROPE = "europe", _("In Europe")
        TARGET = "target", _("In a target country")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on GreenBridge"),
    )
    name = models.CharField(_("name"), max_length=255, blank=True, help_text=_("For a partner not on GreenBridge."))
    country = CountryField(_("country"), blank=True)
    side = models.CharField(_("where"), max_length=8, choices=Side.choices, default=Side.TARGET)
    role = models.CharField(_("role in the strategy"), max_length=300)

    class Meta:
        verbose_name = _("strategy partner")
        verbose_name_plural = _("strategy partners")
        ordering = ["side", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation else self.name

    @property
    def display_country(self):
        return self.organisation.country if self.organisation and not self.country else self.country


class Activity(models.Model):
    class Kind(models.TextChoices):
        TRADE_MISSION = "trade_mission", _("Trade mission")
        B2B = "b2b", _("B2B event")
        B2P = "b2p", _("B2P session")
        FAIR = "fair", _("Fair")
        TRAINING = "training", _("Training")
        STUDY_TOUR = "study_tour", _("Study tour")
        WORKING_VISIT = "working_visit", _("Working visit")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("activity status", "Planned")
        UNDER_WAY = "under_way", pgettext_lazy("activity status", "Under way")
        DONE = "done", pgettext_lazy("activity status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("activity status", "Cancelled")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts = models.DateField(_("starts"), validators=[validate_day])
    ends = models.DateField(_("ends"), validators=[validate_day])
    owner = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    budget = MoneyField(_("budget (EUR)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("GreenBridge event")
    )

    class Meta:
        verbose_name = _("strategy activity")
        verbose_name_plural = _("strategy activities")
        ordering = ["starts", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends__gte=models.F("starts")), name="activity_ends")]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="budget")
    label = models.CharField(_("budget line"), max_length=200)
    amount = MoneyField(_("amount (EUR)"))
    source = models.CharField(_("source of funds"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class Communication(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="communication")
    audience = models.CharField(_("target group"), max_length=200)
    channels = models.CharField(_("channels"), max_length=200)
    message = models.CharField(_("key message"), max_length=500)
    timing = models.CharField(_("when"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("communication action")
        verbose_name_plural = _("communication actions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.audience


class Kpi(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="kpis")
    indicator = models.CharField(_("indicator"), max_length=200)
    target = models.CharField(_("target"), max_length=100)
    by = models.PositiveSmallIntegerField(
        _("by the end of"), null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.indicator


class Version(models.Model):
    """A published version: each section as text (sections.text_of), as it read when published."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sections = models.JSONField(default=dict)
    # The language its text was written in (its headings and labels: "Strength", "Force"); "" when not known. The
    # draft is compared with it in that language, so that only what changed shows as changed.
    language = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("strategy version")
        verbose_name_plural = _("strategy versions")
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="strategy_version_once")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.strategy} v{self.number}"


class Comment(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("section"), max_length=16)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("strategy comment")
        verbose_name_plural = _("strategy comments")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Change(models.Model):
    """The change log: who changed which section, when, and what in a few words."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="changes")
    section = models.CharField(max_length=16)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    summary = models.CharField(max_length=300)
    when = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("strategy change")
        verbose_name_plural = _("strategy changes")
        ordering = ["-when", "-id"]

    def __str__(self) -> str:
        return self.summary
