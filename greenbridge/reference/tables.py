"""Two small hand-made tables shipped in reference/data: approximate euro rates (to compare a notice's
value with a watch's range) and NACE activity -> CPV codes (to suggest a first watch from a profile)."""

import functools
from decimal import Decimal
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@functools.cache
def eur_rates() -> dict[str, float]:
    return {k: float(v) for k, v in _load("eur_rates.yaml").items()}


def to_eur(amount: Decimal | float | None, currency: str) -> float | None:
    """The approximate euro value; None when there is no amount or the currency is not in the table."""
    if amount is None:
        return None
    rate = eur_rates().get((currency or "").upper())
    return float(amount) * rate if rate is not None else None


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
