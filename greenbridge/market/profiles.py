"""What a country profile says beside the figures: where the country publishes its tenders and in which
languages (data/portals.yaml; Babel's official languages)."""

import functools
from pathlib import Path

import yaml
from babel import Locale
from babel.languages import get_official_languages

from greenbridge.reference.regions import REGIONS

PORTALS = Path(__file__).resolve().parent / "data" / "portals.yaml"
TED = {"name": "TED (Tenders Electronic Daily)", "url": "https://ted.europa.eu"}
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


def language_names(codes, reader: str) -> list[str]:
    """Language codes named in the reader's language, each once."""
    try:
        locale = Locale.parse(reader.replace("-", "_"))
    except (ValueError, TypeError):
        locale = Locale("en")
    names = []
    for code in codes:
        name = locale.languages.get(code) or code
        if name not in names:
            names.append(name)
    return names


def languages(country: str, reader: str) -> list[str]:
    """The country's official languages (and those de facto), named in the reader's language."""
    return language_names(get_official_languages(country, de_facto=True), reader)
