"""A watch as the matching engine reads it: `WatchSpec`, its fields validated and normalised from what
WATCH.json, the API and the editor give, with plain-word errors per field (`WatchInvalid`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from greenbridge.core.bounds import MONEY_MAX, PHRASE_MAX, is_money
from greenbridge.reference import green, regions
from greenbridge.reference.cpv import cpv_prefix, normalise_cpv
from greenbridge.reference.lexicon import stem
from greenbridge.reference.normalise import normalise_country
from greenbridge.reference.phrases import PhraseError, Words, parse_phrase

DEFAULT_MIN_SCORE = 0.3
MIN_SCORE_FLOOR = 0.05  # the lowest minimum score a watch may ask for
NOTICE_TYPES = ("planning", "competition", "award")
MAX_CODES = 100
MAX_KEYWORDS = 100
# Keyword words of this many letters match as prefixes ("meter" finds "meters", "apometr" "apometre").
AUTO_STEM = 4
MIN_INFLECTED = 7  # shorter words lose their meaning with their last letters ("portal" is not "porta")

_QUOTES = str.maketrans(dict.fromkeys("“”„«»", '"'))
_BOOLEAN_RE = re.compile(r"\s(AND|OR|NOT)\s")


class WatchInvalid(ValueError):
    """A watch that cannot be used: `errors` maps a field to messages in plain words."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {m}" for k, msgs in errors.items() for m in msgs))


@functools.cache
def known_cpv_codes() -> frozenset[str]:
    from greenbridge.reference.models import CpvCode

    return frozenset(CpvCode.objects.values_list("code", flat=True))


def split_items(text: str) -> list[str]:
    """A watch's list written as text: one item per line, or separated by commas or semicolons (no keyword
    phrase holds one)."""
    return [item.strip() for item in re.split(r"[\n,;]", text) if item.strip()]


def _as_list(data: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> list:
    value = data.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):  # one item per line, or separated by commas or semicolons (no phrase holds one)
        return split_items(value)
    if not isinstance(value, (list, tuple)):
        errors.setdefault(name, []).append(gettext("must be a list"))
        return []
    return list(value)


def _keyword(raw: Any, where: str, errors: dict[str, list[str]]) -> tuple[str, Words] | None:
    text = raw.strip() if isinstance(raw, str) else raw
    if not isinstance(text, str):
        errors.setdefault(where, []).append(gettext("%(value)s is not text") % {"value": repr(raw)})
        return None
    if not text:
        return None
    if len(text) > PHRASE_MAX:
        errors.setdefault(where, []).append(
            gettext("“%(text)s…” is longer than %(max)s characters") % {"text": text[:40], "max": PHRASE_MAX}
        )
        return None
    text = text.translate(_QUOTES)
    if text.count('"') % 2:
        errors.setdefault(where, []).append(
            gettext("“%(text)s” has an opening quote without a closing one") % {"text": text}
        )
        return None
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()  # a quoted phrase is a phrase anyway
    if text.startswith("-"):
        errors.setdefault(where, []).append(
            gettext("“%(text)s”: put words to leave out under “exclude”, without the minus") % {"text": text}
        )
        return None
    if _BOOLEAN_RE.search(f" {text} "):
        errors.setdefault(where, []).append(
            gettext(
                "“%(text)s”: write each alternative as its own keyword (any keyword matches); AND/OR/NOT are not needed"
            )
            % {"text": text}
        )
        return None
    try:
        words = parse_phrase(text, auto_stem=AUTO_STEM, symbols=True)
    except PhraseError as exc:
        errors.setdefault(where, []).append(str(exc).replace("keyword ", "", 1))
        return None
    if len(words) == 1 and len(words[0][0]) < 3:
        errors.setdefault(where, []).append(
            gettext("“%(text)s” is too short to look for: use a word of 3 letters or more") % {"text": text}
        )
        return None
    if where == "keywords" and "*" not in text:
        # Inflected languages change a word's ending ("технічне" -> "технічного", "contoare" -> "contoarelor"):
        # a long keyword word also finds the words that differ in its last two letters. Exclusions stay as
        # written.
        words = tuple((_inflected(w) if is_stem else w, is_stem, gap) for w, is_stem, gap in words)
    return text, words


def _inflected(word: str) -> str:
    return stem(word) if len(word) >= MIN_INFLECTED else word


@dataclass(frozen=True)
class WatchSpec:
    """A watch's fields, validated and normalised. `from_data` accepts what WATCH.json, the API and the
    editor give (lists or text with one item per line)."""

    cpv_codes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO alpha-2 and region codes (reference.regions)
    green_sectors: tuple[str, ...] = ()
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    notice_types: tuple[str, ...] = ()
    min_score: float = DEFAULT_MIN_SCORE
    keyword_words: tuple[Words, ...] = field(default=(), compare=False, repr=False)
    exclude_words: tuple[Words, ...] = field(default=(), compare=False, repr=False)

    FIELDS = (
        "cpv_codes",
        "keywords",
        "exclude_keywords",
        "countries",
        "green_sectors",
        "value_min",
        "value_max",
        "notice_types",
        "min_score",
    )

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WatchSpec:
        errors: dict[str, list[str]] = {}
        if not isinstance(data, Mapping):
            raise WatchInvalid({"watch": ["must be a JSON object with the watch's fields"]})
        unknown = sorted(set(data) - set(cls.FIELDS) - {"name"})
        if unknown:
            errors["watch"] = [
                gettext("unknown fields %(unknown)s (known: %(known)s)")
                % {"unknown": ", ".join(unknown), "known": ", ".join(cls.FIELDS)}
            ]

        codes: list[str] = []
        for raw in _as_list(data, "cpv_codes", errors):
            code = normalise_cpv(raw)
            if code is None:
                errors.setdefault("cpv_codes", []).append(
                    gettext("“%(value)s” is not a CPV code (8 digits, such as 90513000 or 90513000-6)") % {"value": raw}
                )
            elif code not in known_cpv_codes():
                errors.setdefault("cpv_codes", []).append(
                    gettext("%(code)s is not in the CPV 2008 vocabulary") % {"code": code}
                )
            elif code not in codes:
                codes.append(code)
        if len(codes) > MAX_CODES:
            errors.setdefault("cpv_codes", []).append(
                gettext("at most %(max)s codes; broader codes cover more") % {"max": MAX_CODES}
            )

        def phrases(name: str) -> tuple[tuple[str, ...], tuple[Words, ...]]:
            texts: list[str] = []
            words: list[Words] = []
            for raw in _as_list(data, name, errors):
                parsed = _keyword(raw, name, errors)
                if parsed and parsed[1] not in words:
                    texts.append(parsed[0])
                    words.append(parsed[1])
            if len(texts) > MAX_KEYWORDS:
                errors.setdefault(name, []).append(gettext("at most %(max)s keywords") % {"max": MAX_KEYWORDS})
            return tuple(texts), tuple(words)

        keywords, keyword_words = phrases("keywords")
        excludes, exclude_words = phrases("exclude_keywords")

        countries: list[str] = []
        for raw in _as_list(data, "countries", errors):
            text = str(raw).strip()
            code = text.upper() if text.upper() in regions.REGIONS else normalise_country(text)
            if not code:
                errors.setdefault("countries", []).append(
                    gettext("“%(value)s” is not a country (ISO code or name) or a region (%(regions)s)")
                    % {"value": text, "regions": ", ".join(regions.REGIONS)}
                )
            elif code not in countries:
                countries.append(code)

        slugs = {s.slug for s in green.sectors()}
        sectors = []
        for raw in _as_list(data, "green_sectors", errors):
            if raw not in slugs:
                errors.setdefault("green_sectors", []).append(
                    gettext("“%(value)s” is not a green sector (%(sectors)s)")
                    % {"value": raw, "sectors": ", ".join(sorted(slugs))}
                )
            elif raw not in sectors:
                sectors.append(raw)

        types = []
        for raw in _as_list(data, "notice_types", errors):
            if raw not in NOTICE_TYPES:
                errors.setdefault("notice_types", []).append(
                    gettext("“%(value)s” is not one of %(types)s") % {"value": raw, "types": ", ".join(NOTICE_TYPES)}
                )
            elif raw not in types:
                types.append(raw)

        def amount(name: str) -> Decimal | None:
            value = data.get(name)
            if value in (None, ""):
                return None
            try:
                number = Decimal(str(value).replace(" ", "").replace("_", ""))
            except InvalidOperation:
                errors.setdefault(name, []).append(gettext("“%(value)s” is not an amount in euros") % {"value": value})
                return None
            if not is_money(number):
                errors.setdefault(name, []).append(
                    gettext("must be an amount in euros from 0 to %(max)s, with at most two decimals")
                    % {"max": number_format(MONEY_MAX, force_grouping=True)}
                )
                return None
            return number

        value_min, value_max = amount("value_min"), amount("value_max")
        if value_min is not None and value_max is not None and value_min > value_max:
            errors.setdefault("value_max", []).append(gettext("the maximum value is below the minimum"))

        min_score = data.get("min_score")
        if min_score in (None, ""):
            min_score = DEFAULT_MIN_SCORE
        else:
            try:
                min_score = float(min_score)
            except (TypeError, ValueError):
                errors.setdefault("min_score", []).append(
                    gettext("“%(value)s” is not a number between %(floor)s and 1")
                    % {"value": min_score, "floor": number_format(MIN_SCORE_FLOOR)}
                )
                min_score = DEFAULT_MIN_SCORE
            else:
                if not MIN_SCORE_FLOOR <= min_score <= 1:
                    errors.setdefault("min_score", []).append(
                        gettext("must be between %(floor)s and 1") % {"floor": number_format(MIN_SCORE_FLOOR)}
                    )

        if not (codes or keywords or sectors) and not any(
            k in errors for k in ("cpv_codes", "keywords", "green_sectors")
        ):
            errors.setdefault("watch", []).append(
                gettext(
                    "A watch needs at least one CPV code, keyword or green sector: "
                    "with only countries, values or types it would match every notice."
                )
            )
        if errors:
            raise WatchInvalid(errors)
        return cls(
            cpv_codes=tuple(codes),
            keywords=keywords,
            exclude_keywords=excludes,
            countries=tuple(countries),
            green_sectors=tuple(sectors),
            value_min=value_min,
            value_max=value_max,
            notice_types=tuple(types),
            min_score=min_score,
            keyword_words=keyword_words,
            exclude_words=exclude_words,
        )

    def as_data(self) -> dict[str, Any]:
        return {
            "cpv_codes": list(self.cpv_codes),
            "keywords": list(self.keywords),
            "exclude_keywords": list(self.exclude_keywords),
            "countries": list(self.countries),
            "green_sectors": list(self.green_sectors),
            "value_min": str(self.value_min) if self.value_min is not None else None,
            "value_max": str(self.value_max) if self.value_max is not None else None,
            "notice_types": list(self.notice_types),
            "min_score": self.min_score,
        }

    @property
    def country_set(self) -> frozenset[str]:
        return regions.expand(list(self.countries))

    def warnings(self) -> list[str]:
        """Things that are allowed but probably not what the user wants."""
        out = []
        broad = [c for c in self.cpv_codes if len(cpv_prefix(c)) == 2]
        if broad and not self.keywords:
            out.append(
                ngettext(
                    "%(codes)s is a whole CPV division: expect many notices. A more specific code or a keyword "
                    "narrows it.",
                    "%(codes)s are whole CPV divisions: expect many notices. A more specific code or a keyword "
                    "narrows it.",
                    len(broad),
                )
                % {"codes": ", ".join(broad)}
            )
        if self.min_score < 0.2:
            out.append(gettext("A minimum score below 0.2 lets in notices that share little with the watch."))
        return out
