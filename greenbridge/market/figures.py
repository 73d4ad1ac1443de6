"""Each market figure defined once: `Figures` reads the facts of a slice's notices and awards (models.py) and
gives the figures (docs/market.md has the same definitions for readers).

- notices: every notice of the slice; competitions: those calling for tenders; awards: award records (a notice
  may award several lots or winners, as `notices export` lists them).
- value: a notice's awarded value (the sum of its awards' values) where any is known, otherwise its estimated
  value; total and median over the notices with one. Estimated and awarded values are also given apart.
- tenderers: tenders received per award, where said (mean and median).
- single-bid share (as OCP's R018): awards with exactly one tender among the awards whose count is known.
- foreign-winner share: awards won by a firm of another country than the buyer's, among those where both are
  known; SME-winner share: awards won by an SME, among those where the source says.
- open-procedure share: competitions and award notices under an open procedure, among those whose procedure
  says who may bid (OCDS method: open, selective, limited, direct).
- submission period: days from publication to the deadline, for competitions with both and at most
  LONGEST_PERIOD_DAYS apart (median); longer is a qualification system's or a dynamic purchasing system's
  validity, not a time to tender. Short (as OCP's R003): under SHORT_PERIOD_DAYS.
- no call for competition: award notices whose procedure publishes no call (limited or direct: negotiated
  without a prior call, direct award), among award notices whose procedure says.
Shares are in [0, 1], None when nothing in the slice is known for them."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SHORT_PERIOD_DAYS = 15  # OCP red flag R003: fewer days than this between the call and the deadline
LONGEST_PERIOD_DAYS = 365
COMPETITION = "competition"
AWARD = "award"
TOP = 10

# The facts' columns figures read, in this order (selectors fetch them with values_list).
NOTICE_COLUMNS = ("kind", "month", "estimated_eur", "awarded_eur", "method", "submission_days", "buyer", "buyer_key")
AWARD_COLUMNS = ("value_eur", "tenderers", "winner", "winner_key", "winner_country", "winner_sme", "country")


def median(values: list[float], digits: int = 2) -> float | None:
    return round(statistics.median(values), digits) if values else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Party:
    """A buyer or a winner in a slice: how many notices (or awards) and how much value."""

    key: str
    name: str
    count: int = 0
    value_eur: float = 0.0
    country: str = ""  # a winner's, where the page shows it


@dataclass
class Figures:
    notices: int = 0
    competitions: int = 0
    awards: int = 0
    values: list[float] = field(default_factory=list)
    estimated: list[float] = field(default_factory=list)
    awarded: list[float] = field(default_factory=list)  # of each award
    tenderers: list[int] = field(default_factory=list)
    single_bids: int = 0
    winners_compared: int = 0  # awards whose winner and buyer countries are both known
    foreign_winners: int = 0
    sme_known: int = 0
    sme_winners: int = 0
    method_known: int = 0
    open_procedures: int = 0
    submission_days: list[int] = field(default_factory=list)
    award_notices_known: int = 0  # award notices whose procedure says whether a call was published
    without_call: int = 0
    months: Counter = field(default_factory=Counter)  # notices by month of publication (1–12)
    buyers: dict[str, Party] = field(default_factory=dict)
    winners: dict[str, Party] = field(default_factory=dict)

    def add_notice(self, kind, month, estimated_eur, awarded_eur, method, submission_days, buyer, buyer_key) -> None:
        self.notices += 1
        if month:
            self.months[month] += 1
        if estimated_eur is not None:
            self.estimated.append(estimated_eur)
        value = awarded_eur if awarded_eur is not None else estimated_eur
        if value is not None:
            self.values.append(value)
        if kind == COMPETITION:
            self.competitions += 1
            if submission_days is not None:
                self.submission_days.append(submission_days)
        if method and kind in (COMPETITION, AWARD):
            self.method_known += 1
            self.open_procedures += method == "open"
            if kind == AWARD:
                self.award_notices_known += 1
                self.without_call += method in ("limited", "direct")
        if buyer_key:
            party = self.buyers.get(buyer_key) or self.buyers.setdefault(buyer_key, Party(buyer_key, buyer))
            party.count += 1
            party.value_eur += value or 0.0

    def add_award(self, value_eur, tenderers, winner, winner_key, winner_country, winner_sme, country) -> None:
        self.awards += 1
        if value_eur is not None:
            self.awarded.append(value_eur)
        if tenderers is not None:
            self.tenderers.append(tenderers)
            self.single_bids += tenderers == 1
        if winner_country and country:
            self.winners_compared += 1
            self.foreign_winners += winner_country != country
        if winner_sme is not None:
            self.sme_known += 1
            self.sme_winners += winner_sme
        if winner_key:
            party = self.winners.get(winner_key) or self.winners.setdefault(winner_key, Party(winner_key, winner))
            party.count += 1
            party.value_eur += value_eur or 0.0

    # -- the figures ------------------------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """The figures of `market stats` (its keys after the slice's own)."""
        return {
            "notices": self.notices,
            "competitions": self.competitions,
            "awards": self.awards,
            "value_eur_total": round(sum(self.values), 2) if self.values else None,
            "value_eur_median": median(self.values),
            "tenderers_mean": round(statistics.fmean(self.tenderers), 2) if self.tenderers else None,
            "single_bid_share": _share(self.single_bids, len(self.tenderers)),
            "foreign_winner_share": _share(self.foreign_winners, self.winners_compared),
            "open_procedure_share": _share(self.open_procedures, self.method_known),
            "submission_days_median": median(self.submission_days, 1),
        }

    def details(self) -> dict[str, Any]:
        """Everything the market page shows: the summary, values apart, the red flags, the top parties."""
        short = sum(d < SHORT_PERIOD_DAYS for d in self.submission_days)
        return self.summary() | {
            "estimated_eur_total": round(sum(self.estimated), 2) if self.estimated else None,
            "estimated_eur_median": median(self.estimated),
            "awarded_eur_total": round(sum(self.awarded), 2) if self.awarded else None,
            "awarded_eur_median": median(self.awarded),
            "tenderers_median": median(self.tenderers),
            "tenderers_known": len(self.tenderers),
            "sme_winner_share": _share(self.sme_winners, self.sme_known),
            "short_period_share": _share(short, len(self.submission_days)),
            "non_open_share": _share(self.method_known - self.open_procedures, self.method_known),
            "without_call_share": _share(self.without_call, self.award_notices_known),
            "months": [self.months.get(m, 0) for m in range(1, 13)],
            "top_buyers_by_value": top(self.buyers, "value_eur"),
            "top_buyers_by_count": top(self.buyers, "count"),
            "top_winners_by_value": top(self.winners, "value_eur"),
            "top_winners_by_count": top(self.winners, "count"),
        }


def top(parties: dict[str, Party], by: str, n: int = TOP) -> list[Party]:
    return sorted(parties.values(), key=lambda p: (-getattr(p, by), p.name))[:n]
