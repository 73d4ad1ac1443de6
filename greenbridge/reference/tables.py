"""Tables shipped in reference/data: approximate euro rates (hand-made, to compare a notice's value with a
watch's range), monthly euro rates (the ECB's and the National Bank of Ukraine's, for market figures in euros at
the rate of a notice's month: scripts/monthly_rates.py builds them) and NACE activity -> CPV codes (to suggest a
first watch from a profile)."""

import bisect
import csv
import functools
import gzip
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@functools.cache
def eur_rates() -> dict[str, float]:
    return {k: float(v) for k, v in _load("eur_rates.yaml").items()}


def to_eur(amount: Decimal | float | None, currency: str, month: date | None = None) -> float | None:
    """The euro value: at the rate of `month` (any day of it) when given (`monthly_rate`), otherwise at today's
    approximate rate. None when there is no amount or no rate for the currency."""
    if amount is None:
        return None
    currency = (currency or "").upper()
    if month is None:
        rate = eur_rates().get(currency)
        return float(amount) * rate if rate is not None else None
    per_eur = monthly_rate(currency, month)
    return float(amount) / per_eur if per_eur else None


@functools.cache
def _monthly_rates() -> dict[str, tuple[list[str], list[float]]]:
    """currency -> (its months "YYYY-MM" in order, units per euro in each)."""
    table: dict[str, tuple[list[str], list[float]]] = {}
    with gzip.open(DATA / "eur_monthly_rates.csv.gz", "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):  # sorted by month, then currency
            months, rates = table.setdefault(row["currency"], ([], []))
            months.append(row["month"])
            rates.append(float(row["units_per_eur"]))
    return table


STALE_MONTHS = 3  # how long a currency's last known monthly rate stands in for the months after it


def monthly_rate(currency: str, month: date) -> float | None:
    """Units of `currency` per euro in `month`: the month's average of the ECB's daily reference rates, or the
    National Bank of Ukraine's rate in the middle of the month for the currencies the ECB does not quote. A month
    the table lacks takes the nearest earlier month's rate up to STALE_MONTHS later (the table ends a little
    before today); otherwise there is no rate (None): a value is better left out of the euro figures than
    converted at a rate of years before."""
    currency = currency.upper()
    if currency == "EUR":
        return 1.0
    series = _monthly_rates().get(currency)
    if series is None:
        return None
    months, rates = series
    i = bisect.bisect_right(months, f"{month.year:04d}-{month.month:02d}") - 1
    if i < 0:
        return None
    year, m = map(int, months[i].split("-"))
    return rates[i] if (month.year - year) * 12 + month.month - m <= STALE_MONTHS else None


@functools.cache
def _nace_cpv() -> dict[str, list[str]]:
    return {str(k): v for k, v in _load("nace_cpv.yaml").items()}


def cpv_for_nace(nace_codes: list[str]) -> list[str]:
    """CPV codes of what firms with these NACE activities usually supply (the longest listed prefix of
    each activity decides), in order, without repeats."""
    table = _nace_cpv()
    codes: list[str] = []
    for nace in nace_codes:
        for length in range(len(nace), 1, -1):
            if nace[:length] in table:
                codes.extend(c for c in table[nace[:length]] if c not in codes)
                break
    return codes
