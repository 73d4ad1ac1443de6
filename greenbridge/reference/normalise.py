"""Normalise the ways sources spell countries and languages.

Countries: ISO alpha-2 and alpha-3 codes, and country names in any language pycountry ships a
translation for ("Україна" -> "UA", "NOR" -> "NO", "Republica Moldova" -> "MD").
Languages: ISO 639-1, 639-2/B, 639-3 codes and English names -> ISO 639-1 ("ENG" -> "en").
"""

import gettext
import re
from functools import cache

import pycountry

from .text import fold

# Names sources use that no translation catalogue has.
_COUNTRY_EXTRA = {
    "moldova": "MD",
    "republic of moldova": "MD",
    "republica moldova": "MD",
    "молдова": "MD",
    "україна": "UA",
    "ukraine": "UA",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "turkey": "TR",
    "russia": "RU",
    "kosovo": "XK",
    "el": "GR",  # EU institutions use EL for Greece
}


def _key(text: str) -> str:
    return re.sub(r"[\s.,'’()-]+", " ", fold(text)).strip()


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    countries = list(pycountry.countries)
    for c in countries:
        for attr in ("name", "official_name", "common_name"):
            if value := getattr(c, attr, None):
                names[_key(value)] = c.alpha_2
    for lang_dir in sorted(p.name for p in __import__("pathlib").Path(pycountry.LOCALES_DIR).iterdir()):
        try:
            t = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang_dir])
        except OSError:
            continue
        for c in countries:
            for attr in ("name", "official_name", "common_name"):
                if value := getattr(c, attr, None):
                    names.setdefault(_key(t.gettext(value)), c.alpha_2)
    names.update({_key(k): v for k, v in _COUNTRY_EXTRA.items()})
    return names


@cache
def normalise_country(value: str | None) -> str:
    """ISO 3166-1 alpha-2 for a code or a name in any language; "" when unknown."""
    if not value:
        return ""
    text = str(value).strip()
    if len(text) == 2 and text.isalpha():
        code = text.upper()
        if code == "EL":
            return "GR"
        if code == "UK":
            return "GB"
        return code if pycountry.countries.get(alpha_2=code) or code == "XK" else ""
    if len(text) == 3 and text.isalpha() and text.isascii():
        c = pycountry.countries.get(alpha_3=text.upper())
        if c:
            return c.alpha_2
    return _country_names().get(_key(text), "")


@cache
def normalise_language(value: str | None) -> str:
    """ISO 639-1 ("en") for "ENG", "eng", "en", "en-GB", "ukr", "rum", "English"; "" when unknown."""
    if not value:
        return ""
    text = str(value).strip().replace("_", "-").split("-")[0].lower()
    if len(text) == 2:
        return text if pycountry.languages.get(alpha_2=text) else ""
    if len(text) == 3:
        lang = pycountry.languages.get(alpha_3=text)
        if lang is None:
            try:
                lang = pycountry.languages.get(bibliographic=text)
            except KeyError:
                lang = None
        if lang is not None:
            return getattr(lang, "alpha_2", "") or ""
        return ""
    lang = pycountry.languages.get(name=str(value).strip().title())
    return getattr(lang, "alpha_2", "") if lang else ""


def language_name(code: str, locale: str | None = None) -> str:
    """ "ro" -> "Romanian" in the reader's language ("română" for a Romanian reader); the code when unknown."""
    from babel import Locale, UnknownLocaleError
    from django.utils.translation import get_language

    code = str(code or "").strip().lower()
    if not code:
        return ""
    try:
        reader = Locale.parse((locale or get_language() or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        reader = Locale.parse("en")
    name = reader.languages.get(code) or Locale.parse("en").languages.get(code) or code
    return name[:1].upper() + name[1:]
