"""What the market figures are computed from: one row per notice and one per award, derived from the E-watch's
notices (services.refresh_facts) with the dimensions of a market (buyer country, year and month of publication,
notice kind, main CPV code, green sectors) and the measures each figure needs (values in euros at the rate of
the publication month, procedure, submission period, tenderers, winner). The notices stay the truth: the facts
are rebuilt from them at any time (`greenbridge market refresh --all`)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenbridge.tenders.models import Notice


class NoticeFact(models.Model):
    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, primary_key=True, related_name="market_fact")
    country = models.CharField(max_length=2, blank=True)  # the buyer's
    year = models.PositiveSmallIntegerField(null=True)  # of publication, at the source (not moved by the demo)
    month = models.PositiveSmallIntegerField(null=True)
    kind = models.CharField(max_length=12)  # Notice.notice_type
    cpv = models.CharField(max_length=8, blank=True)  # the main code
    division = models.CharField(max_length=2, blank=True)  # its first two digits
    sectors = models.CharField(max_length=200, blank=True)  # green sectors, space-separated
    estimated_eur = models.FloatField(null=True)
    awarded_eur = models.FloatField(null=True)  # the sum of its awards' values, where any is known
    # A value (estimated or awarded) in a currency without a rate for the publication month: left out of the euros.
    unconverted = models.BooleanField(default=False)
    # The procedure's OCDS method (open, selective, limited, direct; "" where the procedure does not say).
    method = models.CharField(max_length=10, blank=True)
    submission_days = models.IntegerField(null=True)  # publication to deadline, competitions only
    buyer = models.CharField(max_length=500, blank=True)  # the buyer's name as published
    buyer_key = models.CharField(max_length=300, blank=True)  # its identifier, or its name folded

    class Meta:
        indexes = [
            models.Index(fields=["country", "year", "kind", "division", "sectors"]),  # a market cell's facts
            models.Index(fields=["country", "year", "kind", "buyer_key"]),  # a buyer's
            models.Index(fields=["year", "country"]),
            models.Index(fields=["cpv"]),  # a slice by CPV codes everywhere
            models.Index(fields=["country", "cpv"]),  # a country's, by CPV codes
        ]
        verbose_name = _("market fact of a notice")
        verbose_name_plural = _("market facts of notices")

    def __str__(self) -> str:
        return f"{self.country} {self.year} {self.cpv}"


class AwardFact(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="award_facts")
    # The notice's dimensions again, so that a slice of awards needs no join.
    country = models.CharField(max_length=2, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    month = models.PositiveSmallIntegerField(null=True)
    kind = models.CharField(max_length=12)
    cpv = models.CharField(max_length=8, blank=True)
    division = models.CharField(max_length=2, blank=True)
    sectors = models.CharField(max_length=200, blank=True)
    value_eur = models.FloatField(null=True)
    tenderers = models.IntegerField(null=True)  # tenders received, where said
    winner = models.CharField(max_length=500, blank=True)
    winner_key = models.CharField(max_length=300, blank=True)
    winner_country = models.CharField(max_length=2, blank=True)
    winner_sme = models.BooleanField(null=True)
    buyer_key = models.CharField(max_length=300, blank=True)  # the notice's, for each buyer's single bids

    class Meta:
        indexes = [
            models.Index(fields=["country", "year", "kind", "division", "sectors"]),  # a market cell's awards
            models.Index(fields=["country", "year", "kind", "winner_key"]),  # a winner's
            models.Index(fields=["country", "year", "kind", "buyer_key"]),  # a buyer's
            models.Index(fields=["year", "country"]),
            models.Index(fields=["cpv"]),  # a slice by CPV codes
            models.Index(fields=["country", "cpv"]),  # a country's, by CPV codes
        ]
        verbose_name = _("market fact of an award")
        verbose_name_plural = _("market facts of awards")

    def __str__(self) -> str:
        return f"{self.winner} ({self.country} {self.year})"


class Refresh(models.Model):
    """One refresh of the facts: the notices changed since the last one (`upto`: the newest `Notice.updated`
    read), or all of them."""

    started = models.DateTimeField(auto_now_add=True)
    upto = models.DateTimeField(null=True)
    complete = models.BooleanField(default=False)  # every notice read again
    notices = models.PositiveIntegerField(default=0)
    awards = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-started"]
        get_latest_by = "started"

    def __str__(self) -> str:
        return f"{self.started:%Y-%m-%d %H:%M} ({self.notices} notices)"


class MarketCell(models.Model):
    """The figures of every notice with the same buyer country, year, kind, CPV division and set of green sectors,
    kept as figures.Figures' state (counts, and arrays of values for exact medians), so that a slice's figures are
    its cells merged instead of its facts read one by one. `sectors` is the set as " water wastewater " (spaces
    around each, so that a LIKE '% water %' finds it and not "wastewater").

    The same figures are also kept coarser, for the slices that need no finer: `level` 1 cells merge a country's
    year by kind (division and sectors "*"), level 0 cells by country and year alone (kind "*" too)."""

    FINE, KINDS, YEARS = 2, 1, 0
    level = models.PositiveSmallIntegerField(default=FINE)
    country = models.CharField(max_length=2, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    kind = models.CharField(max_length=12)
    division = models.CharField(max_length=2, blank=True)
    sectors = models.CharField(max_length=202, blank=True)
    notices = models.PositiveIntegerField(default=0)
    competitions = models.PositiveIntegerField(default=0)
    awards = models.PositiveIntegerField(default=0)
    single_bids = models.PositiveIntegerField(default=0)
    winners_compared = models.PositiveIntegerField(default=0)
    foreign_winners = models.PositiveIntegerField(default=0)
    sme_known = models.PositiveIntegerField(default=0)
    sme_winners = models.PositiveIntegerField(default=0)
    method_known = models.PositiveIntegerField(default=0)
    open_procedures = models.PositiveIntegerField(default=0)
    award_notices_known = models.PositiveIntegerField(default=0)
    without_call = models.PositiveIntegerField(default=0)
    unconverted = models.PositiveIntegerField(default=0)
    values = models.BinaryField(default=b"")
    estimated = models.BinaryField(default=b"")
    awarded = models.BinaryField(default=b"")
    tenderers = models.BinaryField(default=b"")
    submission_days = models.BinaryField(default=b"")
    months = models.BinaryField(default=b"")

    class Meta:
        indexes = [models.Index(fields=["level", "country", "year"]), models.Index(fields=["level", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "country", "year", "kind", "division", "sectors"], name="market_cell_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.year} {self.kind} {self.division} [{self.sectors.strip()}]"


class PartySums(models.Model):
    """What a buyer's or a winner's totals hold (PartyTotal, PartyOverall): its name, count and value, and a
    buyer's indicators (figures.py defines them): its calls and awards whose procedure is known, and of those
    not open; its calls with a known time to tender, and of those short; its contracts whose number of tenders
    is known, and of those with one."""

    BUYER, WINNER = "b", "w"
    role = models.CharField(max_length=1)
    country = models.CharField(max_length=2, blank=True)  # the buyer's
    key = models.CharField(max_length=300)
    name = models.CharField(max_length=500, blank=True)
    party_country = models.CharField(max_length=2, blank=True)  # a winner's
    count = models.PositiveIntegerField(default=0)
    value_eur = models.FloatField(default=0)
    method_known = models.PositiveIntegerField(default=0)
    non_open = models.PositiveIntegerField(default=0)
    periods_known = models.PositiveIntegerField(default=0)
    short_periods = models.PositiveIntegerField(default=0)
    tenderers_known = models.PositiveIntegerField(default=0)
    single_bids = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class PartyTotal(PartySums):
    """A buyer's (notices) or a winner's (awards) count and value in one buyer country, year and kind: the
    biggest buyers and winners of a slice without sectors or CPV codes are these summed, not its facts."""

    year = models.PositiveSmallIntegerField(null=True)
    kind = models.CharField(max_length=12)

    class Meta:
        indexes = [
            models.Index(fields=["role", "country", "year"]),
            models.Index(fields=["role", "year"]),
            # Covers the grouping of a slice of every country by party (read in key order, no sort): the biggest
            # buyers and winners of broad slices.
            models.Index(fields=["role", "key", "year", "kind", "country", "count", "value_eur"]),
            models.Index(fields=["role", "kind", "year"]),  # a kind's: none for winners of calls for tenders
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country} {self.year} {self.kind})"


class PartyOverall(PartySums):
    """A buyer's or a winner's totals in one buyer country over every year and kind, and over every country too
    (`country` EVERY): its PartyTotal rows summed, its name and country those of its latest row. The biggest of a
    country, or of all, are read from here in order; and these totals bound what a party can have in a slice of
    that country, or of every country, by years and kinds (values are never negative), so that the biggest of
    the slice are found among the first few (selectors.top_parties)."""

    EVERY = "*"

    class Meta:
        indexes = [
            models.Index(fields=["role", "country", "-value_eur", "key"]),
            models.Index(fields=["role", "country", "-count", "key"]),
        ]
        constraints = [models.UniqueConstraint(fields=["role", "country", "key"], name="party_overall_key")]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class RankingWeights(models.Model):
    """A person's weights of the target-market ranking's factors (ranking.FACTORS), 0 to 100 each."""

    FACTORS = ("size", "growth", "openness", "competition", "integrity", "proximity", "funding")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ranking_weights")
    size = models.PositiveSmallIntegerField(_("market size"), default=25, validators=[MaxValueValidator(100)])
    growth = models.PositiveSmallIntegerField(_("growth"), default=10, validators=[MaxValueValidator(100)])
    openness = models.PositiveSmallIntegerField(
        _("open to foreign firms"), default=15, validators=[MaxValueValidator(100)]
    )
    competition = models.PositiveSmallIntegerField(_("competition"), default=10, validators=[MaxValueValidator(100)])
    integrity = models.PositiveSmallIntegerField(_("integrity"), default=10, validators=[MaxValueValidator(100)])
    proximity = models.PositiveSmallIntegerField(_("proximity"), default=20, validators=[MaxValueValidator(100)])
    funding = models.PositiveSmallIntegerField(_("EU funding"), default=10, validators=[MaxValueValidator(100)])
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ranking weights")
        verbose_name_plural = _("ranking weights")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__lte=100, growth__lte=100, openness__lte=100, competition__lte=100,
                                   integrity__lte=100, proximity__lte=100, funding__lte=100),
                name="ranking_weights_at_most_100",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(self.user)

    def as_dict(self) -> dict[str, int]:
        return {f: getattr(self, f) for f in self.FACTORS}
