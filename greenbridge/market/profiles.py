"""What a country profile says beside the figures: where the country publishes its tenders and in which
languages (data/portals.yaml; Babel's official languages, without those it calls "de facto": it gives Russian for
Ukraine, which is not an official language there and not one to offer a Ukrainian reader as one)."""

import functools
from pathlib import Path

import yaml
from babel.languages import get_official_languages

from greenbridge.reference.regions import REGIONS

PORTALS = Path(__file__).resolve().parent / "data" / "portals.yaml"
TED = {"name": "TED (Tenders Electronic Daily)", "url": "https://ted.europa.eu"}
# Languages a country publishes its tenders in beside its official ones (its portal's notices): the target-market
# ranking counts them as languages in common.
TENDER_LANGUAGES = {"MA": ("fr",)}
# The countries a cluster of this kind aims at first: the Eastern Partnership and the Mediterranean partners.
TARGETS = (*REGIONS["EAP"][1], *REGIONS["MED"][1])


@functools.cache
def _portals() -> dict[str, list[dict[str, str]]]:
    return yaml.safe_load(PORTALS.read_text(encoding="utf-8"))


def portals(country: str) -> list[dict[str, str]]:
    found = list(_portals().get(country, []))
    if country in REGIONS["EEA"][1]:
        found.append(TED)
    return found


def official_languages(country: str) -> tuple[str, ...]:
    return get_official_languages(country)


def tender_languages(country: str) -> tuple[str, ...]:
    """The languages the country's tenders are written in: its official ones and those of TENDER_LANGUAGES."""
    return (*official_languages(country), *TENDER_LANGUAGES.get(country, ()))
