"""Each market figure defined once: `Figures` reads the facts of a slice's notices and awards (models.py) and
gives the figures (docs/user-guide.md, "Market figures", says the same for readers).

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
Shares are in [0, 1], None when nothing in the slice is known for them.

`Figures` adds facts one by one (`add_notice`, `add_award`) and merges the state of market cells (`add_state`): the
cells (models.MarketCell) keep a Figures per cell as counts and arrays of values, and a slice's figures are its
cells merged. Medians over the merged arrays are exact. The biggest buyers and winners are not kept in cells: the
selectors count them from the facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SHORT_PERIOD_DAYS = 15  # OCP red flag R003: fewer days than this between the call and the deadline
LONGEST_PERIOD_DAYS = 365
COMPETITION = "competition"
AWARD = "award"
TOP = 10

# The facts' columns figures read, in this order (selectors fetch them with values_list).
NOTICE_COLUMNS = ("kind", "month", "estimated_eur", "awarded_eur", "method", "submission_days", "unconverted")
AWARD_COLUMNS = ("value_eur", "tenderers", "winner_country", "winner_sme", "country")
# What a Figures keeps: counts, and arrays of values (euros as float64, whole numbers as int64).
COUNTS = (
    "notices",
    "competitions",
    "awards",
    "single_bids",
    "winners_compared",
    "foreign_winners",
    "sme_known",
    "sme_winners",
    "method_known",
    "open_procedures",
    "award_notices_known",
    "without_call",
    "unconverted",
)
ARRAYS = {
    "values": np.float64,
    "estimated": np.float64,
    "awarded": np.float64,
    "tenderers": np.int64,
    "submission_days": np.int64,
    "months": np.int64,
}


# The figures of `market stats`, the API's rows and the downloads, in their order (Figures.summary's keys).
SUMMARY_KEYS = (
    "notices",
    "competitions",
    "awards",
    "value_eur_total",
    "value_eur_median",
    "tenderers_mean",
    "single_bid_share",
    "foreign_winner_share",
    "open_procedure_share",
    "submission_days_median",
)


def median(values: np.ndarray, digits: int = 2) -> float | None:
    return round(float(np.median(values)), digits) if len(values) else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _total(values: np.ndarray) -> float | None:
    return round(float(values.sum()), 2) if len(values) else None


@dataclass
class Party:
    """A buyer or a winner in a slice: how many notices (or awards) and how much value."""

    key: str
    name: str
    count: int = 0
    value_eur: float = 0.0
    country: str = ""  # a winner's, where the page shows it
    # A buyer's indicators, as PartyTotal counts them.
    method_known: int = 0
    non_open: int = 0
    periods_known: int = 0
    short_periods: int = 0
    tenderers_known: int = 0
    single_bids: int = 0

    @property
    def non_open_share(self) -> float | None:
        return _share(self.non_open, self.method_known)

    @property
    def short_period_share(self) -> float | None:
        return _share(self.short_periods, self.periods_known)

    @property
    def single_bid_share(self) -> float | None:
        return _share(self.single_bids, self.tenderers_known)


@dataclass
class Figures:
    notices: int = 0
    competitions: int = 0
    awards: int = 0
    single_bids: int = 0
    winners_compared: int = 0  # awards whose winner and buyer countries are both known
    foreign_winners: int = 0
    sme_known: int = 0
    sme_winners: int = 0
    method_known: int = 0
    open_procedures: int = 0
    award_notices_known: int = 0  # award notices whose procedure says whether a call was published
    without_call: int = 0
    unconverted: int = 0  # notices with a value in a currency without a rate for their month
    # Values added one by one (facts); `chunks` holds those merged from cells, as bytes of each array's kind.
    values: list = field(default_factory=list)  # each notice's value: awarded where known, else estimated
    estimated: list = field(default_factory=list)
    awarded: list = field(default_factory=list)  # each award's
    tenderers: list = field(default_factory=list)
    submission_days: list = field(default_factory=list)
    months: list = field(default_factory=list)  # the month (1–12) of each notice published
    chunks: dict = field(default_factory=lambda: {name: [] for name in ARRAYS})

    def add_notice(self, kind, month, estimated_eur, awarded_eur, method, submission_days, unconverted) -> None:
        self.notices += 1
        self.unconverted += unconverted
        if month:
            self.months.append(month)
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

    def add_award(self, value_eur, tenderers, winner_country, winner_sme, country) -> None:
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

    def add_state(self, counts: Sequence[int], arrays: Sequence[bytes]) -> None:
        """Merge a cell's state: its counts in COUNTS' order, its arrays' bytes in ARRAYS' order."""
        for name, n in zip(COUNTS, counts, strict=True):
            if n:
                setattr(self, name, getattr(self, name) + n)
        for chunks, data in zip(self.chunks.values(), arrays, strict=True):
            if data:
                chunks.append(data)

    def array(self, name: str) -> np.ndarray:
        """One of the arrays of values: the merged and the added ones together."""
        kind, loose, chunks = ARRAYS[name], getattr(self, name), self.chunks[name]
        merged = np.frombuffer(b"".join(chunks), dtype=kind) if chunks else np.empty(0, dtype=kind)
        return np.concatenate((merged, np.array(loose, dtype=kind))) if loose else merged

    # -- kept in a cell -----------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The counts, and each array as bytes (a MarketCell's columns)."""
        counts = {name: getattr(self, name) for name in COUNTS}
        return counts | {name: self.array(name).tobytes() for name in ARRAYS}

    # -- the figures ------------------------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """The figures of `market stats` (its keys after the slice's own)."""
        return self._summary(self.array("values"), self.array("tenderers"), self.array("submission_days"))

    def _summary(self, values: np.ndarray, tenderers: np.ndarray, days: np.ndarray) -> dict[str, Any]:
        return {
            "notices": self.notices,
            "competitions": self.competitions,
            "awards": self.awards,
            "value_eur_total": _total(values),
            "value_eur_median": median(values),
            "tenderers_mean": round(float(tenderers.mean()), 2) if len(tenderers) else None,
            "single_bid_share": _share(self.single_bids, len(tenderers)),
            "foreign_winner_share": _share(self.foreign_winners, self.winners_compared),
            "open_procedure_share": _share(self.open_procedures, self.method_known),
            "submission_days_median": median(days, 1),
        }

    def details(self) -> dict[str, Any]:
        """Everything the market page shows but the biggest buyers and winners: the summary, values apart, the red
        flags, the months."""
        estimated, awarded, days = self.array("estimated"), self.array("awarded"), self.array("submission_days")
        tenderers = self.array("tenderers")
        months = np.bincount(self.array("months"), minlength=13)
        return self._summary(self.array("values"), tenderers, days) | {
            "estimated_eur_total": _total(estimated),
            "estimated_eur_median": median(estimated),
            "awarded_eur_total": _total(awarded),
            "awarded_eur_median": median(awarded),
            "tenderers_median": median(tenderers, 1),
            "tenderers_known": len(tenderers),
            "sme_winner_share": _share(self.sme_winners, self.sme_known),
            "short_period_share": _share(int((days < SHORT_PERIOD_DAYS).sum()), len(days)),
            "non_open_share": _share(self.method_known - self.open_procedures, self.method_known),
            "without_call_share": _share(self.without_call, self.award_notices_known),
            "unconverted": self.unconverted,
            "months": [int(n) for n in months[1:13]],
        }
