"""Normalise the ways sources spell countries and languages.

Countries: ISO alpha-2 and alpha-3 codes, and country names in any language pycountry ships a
translation for ("Україна" -> "UA", "NOR" -> "NO", "Republica Moldova" -> "MD").
Languages: ISO 639-1, 639-2/B, 639-3 codes and English names -> ISO 639-1 ("ENG" -> "en").
"""

import gettext
import re
import struct
from functools import cache
from pathlib import Path

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


_KEY_NOISE = re.compile(r"[\s.,'’()-]+")


def _key(text: str) -> str:
    return _KEY_NOISE.sub(" ", fold(text)).strip()


def _mo_messages(path: Path) -> dict[str, str]:
    """The messages of a GNU .mo catalogue, msgid -> msgstr: what gettext.GNUTranslations looks its
    translations up in, for the UTF-8 catalogues pycountry ships (gettext's own reader took half of
    the table's time parsing headers and plural rules the country names do not need)."""
    data = path.read_bytes()
    if len(data) < 20:
        raise OSError(f"{path} is not a .mo catalogue")
    order = "<" if struct.unpack_from("<I", data)[0] == 0x950412DE else ">"
    count, originals, translations = struct.unpack_from(order + "3I", data, 8)
    msgids = struct.unpack_from(f"{order}{2 * count}I", data, originals)
    msgstrs = struct.unpack_from(f"{order}{2 * count}I", data, translations)

    def text(offsets: tuple[int, ...], i: int) -> str:
        return data[offsets[i + 1] : offsets[i + 1] + offsets[i]].decode()

    try:
        return {text(msgids, i): text(msgstrs, i) for i in range(0, 2 * count, 2)}
    except UnicodeDecodeError:  # not UTF-8: let gettext read its charset
        with open(path, "rb") as f:
            return {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if isinstance(k, str)}


@cache
def _english_country_names() -> dict[str, str]:
    """The English names and the extra spellings: what _country_names gives for them, in a moment."""
    names = {
        _key(value): c.alpha_2
        for c in pycountry.countries
        for attr in ("name", "official_name", "common_name")
        if (value := getattr(c, attr, None))
    }
    names.update({_key(k): v for k, v in _COUNTRY_EXTRA.items()})
    return names


@cache
def _country_names() -> dict[str, str]:
    """Every name of every country (English, then each language pycountry translates into, in order;
    the first language to use a name keeps it), by its _key. Built once per process: it costs most of
    a second."""
    return _names_in(tuple(sorted(p.name for p in Path(pycountry.LOCALES_DIR).iterdir())))


def _names_in(languages: tuple[str, ...]) -> dict[str, str]:
    """The countries' names in English and in these languages (the first to use a name keeps it), by their _key.
    Only the names a catalogue really translates are keyed (a name left in English is there already, and one
    spelled alike in many languages is keyed once)."""
    names: dict[str, str] = {}
    countries = [
        (value, c.alpha_2)
        for c in pycountry.countries
        for attr in ("name", "official_name", "common_name")
        if (value := getattr(c, attr, None))
    ]
    for value, code in countries:
        names[_key(value)] = code
    keys: dict[str, str] = {}
    locales = Path(pycountry.LOCALES_DIR)
    for language in languages:
        try:
            translated = _mo_messages(locales / language / "LC_MESSAGES" / "iso3166-1.mo")
        except OSError:
            continue
        for value, code in countries:
            text = translated.get(value)
            if not text or text == value:
                continue  # gettext gives the English name back: keyed already
            key = keys.get(text)
            if key is None:
                key = keys[text] = _key(text)
            names.setdefault(key, code)
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
    return country_named(text)


def country_named(word: str) -> str:
    """ISO 3166-1 alpha-2 of the country this word names in any language ("Moldova", "Україна", "Moldavie"), not
    a code; "" when it names none."""
    key = _key(word)
    # English names and the extra spellings answer most sources without building the whole table.
    return _english_country_names().get(key) or _country_names().get(key, "")


def country_a_reader_names(word: str) -> str:
    """The country a word typed by someone on the site names: in English or a language of the interface
    ("Moldova", "Україна", "Moldavie"); "" when it names none. Not in every language `country_named` knows, where
    ordinary words are names too ("pole", "pain", "mari", "малі")."""
    return _reader_country_names().get(_key(word), "")


@cache
def _reader_country_names() -> dict[str, str]:
    from django.conf import settings

    return _names_in(tuple(code for code, _name in settings.LANGUAGES))


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


def language_name(code: str, locale: str | None = None, *, capital: bool = True) -> str:
    """ "ro" -> "Romanian" in the reader's language ("Română" for a Romanian reader, "română" without `capital`: as
    a sentence writes it, where the language does not capitalise its names); the code when unknown."""
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
    return name[:1].upper() + name[1:] if capital else name
