"""The green-sector taxonomy (data/green_sectors.yaml) and the classifier that puts a notice into sectors.

    >>> classify(cpv_codes=["90400000"], texts=["Reabilitarea rețelei de apă potabilă"])
    ['water', 'wastewater']

A notice is in a sector when any of these holds (docs/green-taxonomy.md explains the choices):
- one of its CPV codes is under one of the sector's `cpv` prefixes and not under one of its
  `exclude_cpv` prefixes (for one code, the longest matching rule of the sector decides);
- its folded text contains one of the sector's keywords as whole words ("word*" = prefix of a word),
  unless that match overlaps one of the sector's `exclude_keywords` (and is not strictly larger than it);
- it carries an eForms flag the sector lists (eForms or OCDS spelling).

classify() runs on every ingested notice, so everything is compiled once (functools.cache): a dict of
CPV prefixes (each code's answer is memoised), and the keywords in a reference.phrases.PhraseMatcher
(one pass over the folded text finds them all). A ~300-character notice takes some 20-30 µs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .cpv import normalise_cpv
from .phrases import PhraseError, PhraseMatcher, Words, parse_phrase

TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "green_sectors.yaml"

# Every sector needs a UI name in these languages (the platform's target markets).
REQUIRED_LABEL_LANGUAGES = ("en", "ro", "uk", "ru", "fr", "es", "it", "de")

# The eForms codelists a flag may come from, with their codes (eForms SDK 1.x: environmental-impact.gc
# for BT-774, gpp-criteria.gc for BT-805, strategic-procurement for BT-06).
FLAG_CODES: dict[str, frozenset[str]] = {
    "environmental-impact": frozenset(
        {"biodiv-eco", "circ-econ", "clim-adapt", "clim-mitig", "other", "pollu-prev", "water-mar"}
    ),
    "strategic-procurement": frozenset({"env-imp", "inn-pur", "none", "soc-obj"}),
    "gpp-criteria": frozenset({"eu", "national", "none", "other"}),
}

# OCDS spellings of the same codes (data/eforms/mapping/ocds_eforms_codelist_map_*.csv), so that OCDS
# sources that publish sustainability strategies classify the same way. OCDS "environmental" stands for
# both BT-06 env-imp and BT-774 other; neither picks a sector.
OCDS_FLAG_ALIASES: dict[str, str] = {
    "environmental.biodiversityProtectionRestoration": "environmental-impact:biodiv-eco",
    "environmental.circularEconomy": "environmental-impact:circ-econ",
    "environmental.climateChangeAdaptation": "environmental-impact:clim-adapt",
    "environmental.climateChangeMitigation": "environmental-impact:clim-mitig",
    "environmental.pollutionPrevention": "environmental-impact:pollu-prev",
    "environmental.waterResources": "environmental-impact:water-mar",
    "environmental": "strategic-procurement:env-imp",
    "economic.innovativePurchase": "strategic-procurement:inn-pur",
    "social": "strategic-procurement:soc-obj",
    "euGPPCriteria": "gpp-criteria:eu",
    "nationalGPPCriteria": "gpp-criteria:national",
    "otherGPPCriteria": "gpp-criteria:other",
}
_FLAG_ALIASES = {k.lower(): v for k, v in OCDS_FLAG_ALIASES.items()}

# Django and browsers say nb/nn for Norwegian; the taxonomy says no.
_LANGUAGE_ALIASES = {"nb": "no", "nn": "no"}

_SECTOR_KEYS = frozenset(
    {"slug", "labels", "description", "cpv", "exclude_cpv", "keywords", "exclude_keywords", "eforms_flags"}
)
_TOP_KEYS = frozenset({"version", "sectors"})
_SLUG_RE = re.compile(r"[a-z][a-z0-9_]*")
_LANG_RE = re.compile(r"[a-z]{2}")
# Texts of one notice are joined with a separator no phrase can span.
_TEXT_JOINER = " | "

_CPV_CACHE_MAX = 100_000


class TaxonomyError(ValueError):
    """The taxonomy file is not valid; the message says where and why."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (plain YAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True)
class Sector:
    slug: str
    labels: dict[str, str]
    description: str = ""

    def label(self, language: str | None = None) -> str:
        """The UI name in `language` ("ro", "uk-UA", "de_CH", "nb"...), falling back to English."""
        if language:
            lang = language.replace("_", "-").split("-", 1)[0].lower()
            lang = _LANGUAGE_ALIASES.get(lang, lang)
            found = self.labels.get(lang)
            if found:
                return found
        return self.labels["en"]

    def __hash__(self) -> int:
        return hash(self.slug)

    def __str__(self) -> str:
        return self.label()


@dataclass(frozen=True, slots=True)
class _Keyword:
    text: str  # as written in the YAML, for explanations
    language: str
    sector: int
    negative: bool
    words: Words


def _iter_strings(values: Iterable[Any] | str | None) -> Iterable[str]:
    if values is None:
        return ()
    if isinstance(values, str):  # a lone string, not an iterable of characters
        return (values,)
    return (v if isinstance(v, str) else str(v) for v in values if v is not None)


class Taxonomy:
    """A validated, compiled taxonomy. Use the module functions for the packaged one."""

    def __init__(self, data: Any, source: str = "taxonomy"):
        self.source = source
        self.sectors: tuple[Sector, ...] = ()
        self._by_slug: dict[str, Sector] = {}
        self._cpv_rules: dict[str, list[tuple[int, bool]]] = {}
        self._keywords: list[_Keyword] = []
        self._matcher = PhraseMatcher()  # payloads: (sector index, keyword id, is an exclusion)
        self._flag_sectors: dict[str, tuple[int, ...]] = {}
        self._cpv_cache: dict[str, tuple[tuple[int, str], ...]] = {}
        self._compile(data)

    @classmethod
    def from_file(cls, path: Path | str) -> Taxonomy:
        path = Path(path)
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 (safe loader)
        except yaml.YAMLError as exc:
            raise TaxonomyError(f"{path}: not valid YAML: {exc}") from exc
        return cls(data, source=str(path))

    # -- loading and validation -------------------------------------------------------------------------

    def _error(self, where: str, message: str) -> TaxonomyError:
        return TaxonomyError(f"{self.source}: {where}: {message}")

    def _compile(self, data: Any) -> None:
        if not isinstance(data, Mapping):
            raise self._error("top level", "expected a mapping with 'version' and 'sectors'")
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise self._error("top level", f"unknown keys {sorted(map(str, unknown))}")
        if data.get("version") != 1:
            raise self._error("top level", f"version must be 1, not {data.get('version')!r}")
        raw_sectors = data.get("sectors")
        if not isinstance(raw_sectors, list) or not raw_sectors:
            raise self._error("top level", "'sectors' must be a non-empty list")

        sectors: list[Sector] = []
        flag_sectors: dict[str, list[int]] = {}
        for index, raw in enumerate(raw_sectors):
            sector = self._compile_sector(index, raw, flag_sectors)
            if sector.slug in self._by_slug:
                raise self._error(f"sector '{sector.slug}'", "duplicate slug")
            self._by_slug[sector.slug] = sector
            sectors.append(sector)
        self.sectors = tuple(sectors)
        self._flag_sectors = {flag: tuple(ids) for flag, ids in flag_sectors.items()}
        for kw_id, kw in enumerate(self._keywords):
            self._matcher.add(kw.words, (kw.sector, kw_id, kw.negative))

    def _compile_sector(self, index: int, raw: Any, flag_sectors: dict[str, list[int]]) -> Sector:
        where = f"sector #{index + 1}"
        if not isinstance(raw, Mapping):
            raise self._error(where, "expected a mapping")
        slug = raw.get("slug")
        if not isinstance(slug, str) or not _SLUG_RE.fullmatch(slug):
            raise self._error(where, f"slug {slug!r} must be lower-case letters, digits and _")
        where = f"sector '{slug}'"
        unknown = set(raw) - _SECTOR_KEYS
        if unknown:
            raise self._error(
                where, f"unknown keys {sorted(map(str, unknown))} (allowed: {', '.join(sorted(_SECTOR_KEYS))})"
            )

        labels = self._languages_map(where, "labels", raw.get("labels"))
        if not labels:
            raise self._error(where, "has no labels")
        for lang, value in labels.items():
            if not isinstance(value, str) or not value.strip():
                raise self._error(where, f"label '{lang}' must be a non-empty string")
        missing = [lang for lang in REQUIRED_LABEL_LANGUAGES if lang not in labels]
        if missing:
            raise self._error(where, f"labels missing for {', '.join(missing)}")
        description = raw.get("description") or ""
        if not isinstance(description, str):
            raise self._error(where, "description must be a string")

        includes = self._cpv_list(where, "cpv", raw.get("cpv"))
        excludes = self._cpv_list(where, "exclude_cpv", raw.get("exclude_cpv"))
        for p in includes:
            for q in includes:
                if p != q and q.startswith(p):
                    raise self._error(where, f"cpv prefix '{q}' is already covered by '{p}'")
        for p in excludes:
            if p in includes:
                raise self._error(where, f"cpv prefix '{p}' is both in cpv and exclude_cpv")
            if not any(p.startswith(q) for q in includes):
                raise self._error(where, f"exclude_cpv '{p}' is not under any of the sector's cpv prefixes")
        for p in includes:
            self._cpv_rules.setdefault(p, []).append((index, True))
        for p in excludes:
            self._cpv_rules.setdefault(p, []).append((index, False))

        n_keywords = self._keyword_lists(where, index, "keywords", raw.get("keywords"), negative=False)
        self._keyword_lists(where, index, "exclude_keywords", raw.get("exclude_keywords"), negative=True)

        flags = raw.get("eforms_flags") or []
        if not isinstance(flags, list):
            raise self._error(where, "eforms_flags must be a list")
        for flag in flags:
            self._check_flag(where, flag)
            flag_sectors.setdefault(flag, []).append(index)

        if not (includes or n_keywords or flags):
            raise self._error(where, "has no cpv, keywords or eforms_flags: nothing could ever match it")
        return Sector(slug=slug, labels={k: v.strip() for k, v in labels.items()}, description=description)

    def _languages_map(self, where: str, field: str, value: Any) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self._error(where, f"{field} must be a mapping language -> value")
        for lang in value:
            if lang is False:
                raise self._error(where, f'{field}: write "no" (Norwegian) in quotes: YAML reads bare no as false')
            if not isinstance(lang, str) or not _LANG_RE.fullmatch(lang):
                raise self._error(where, f"{field}: language {lang!r} must be a two-letter lower-case code")
        return dict(value)

    def _cpv_list(self, where: str, field: str, value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._error(where, f"{field} must be a list of quoted CPV prefixes")
        seen: list[str] = []
        for item in value:
            if not isinstance(item, str):
                raise self._error(
                    where, f'{field}: {item!r} must be a quoted string ("{item}"): a leading 0 would be lost'
                )
            if not item.isdigit() or not item.isascii():
                raise self._error(where, f"{field}: CPV prefix '{item}' is not digits")
            if not 2 <= len(item) <= 8:
                raise self._error(where, f"{field}: CPV prefix '{item}' must have 2 to 8 digits")
            if 3 <= len(item) <= 7 and item.endswith("0"):
                raise self._error(
                    where,
                    f"{field}: CPV prefix '{item}' ends with 0: write the significant digits "
                    f"('{item.rstrip('0') or item[:2]}') for the whole group, or the 8-digit code for that code only",
                )
            if item in seen:
                raise self._error(where, f"{field}: duplicate CPV prefix '{item}'")
            seen.append(item)
        return seen

    def _keyword_lists(self, where: str, sector: int, field: str, value: Any, *, negative: bool) -> int:
        count = 0
        for lang, items in self._languages_map(where, field, value).items():
            if not isinstance(items, list):
                raise self._error(where, f"{field}.{lang} must be a list")
            seen: set[tuple[tuple[str, bool, int], ...]] = set()
            for item in items:
                words = self._parse_keyword(f"{where}: {field}.{lang}", item)
                if words in seen:
                    raise self._error(where, f"{field}.{lang}: duplicate keyword {item!r}")
                seen.add(words)
                self._keywords.append(_Keyword(item.strip(), lang, sector, negative, words))
                count += 1
        return count

    def _parse_keyword(self, where: str, raw: Any) -> Words:
        try:
            return parse_phrase(raw)
        except PhraseError as exc:
            raise TaxonomyError(f"{self.source}: {where}: {exc}") from exc

    def _check_flag(self, where: str, flag: Any) -> None:
        if not isinstance(flag, str) or ":" not in flag:
            raise self._error(where, f"eforms flag {flag!r} must look like 'environmental-impact:circ-econ'")
        listname, code = flag.split(":", 1)
        if listname not in FLAG_CODES:
            raise self._error(where, f"eforms flag {flag!r}: unknown list '{listname}' ({', '.join(FLAG_CODES)})")
        if code not in FLAG_CODES[listname]:
            raise self._error(
                where, f"eforms flag {flag!r}: unknown code '{code}' ({', '.join(sorted(FLAG_CODES[listname]))})"
            )

    # -- look-ups ---------------------------------------------------------------------------------------

    def sector(self, slug: str) -> Sector | None:
        return self._by_slug.get(slug)

    def cpv_prefixes(self, slug: str) -> tuple[list[str], list[str]]:
        """(cpv, exclude_cpv) of a sector, as in the file."""
        index = self.sectors.index(self._by_slug[slug])
        inc = [p for p, rules in self._cpv_rules.items() if (index, True) in rules]
        exc = [p for p, rules in self._cpv_rules.items() if (index, False) in rules]
        return inc, exc

    def keywords(self, slug: str, *, negative: bool = False) -> dict[str, list[str]]:
        """language -> keywords (or exclude_keywords) of a sector, as written in the file."""
        index = self.sectors.index(self._by_slug[slug])
        out: dict[str, list[str]] = {}
        for kw in self._keywords:
            if kw.sector == index and kw.negative == negative:
                out.setdefault(kw.language, []).append(kw.text)
        return out

    # -- classification ---------------------------------------------------------------------------------

    def _cpv_hits(self, code: str) -> tuple[tuple[int, str], ...]:
        """(sector index, deciding prefix) for one CPV code, memoised (the CPV list is finite)."""
        hit = self._cpv_cache.get(code)
        if hit is not None:
            return hit
        norm = code if len(code) == 8 and code.isdigit() else normalise_cpv(code)
        result: tuple[tuple[int, str], ...] = ()
        if norm and norm.isascii():
            decided: dict[int, tuple[bool, str]] = {}
            rules_by_prefix = self._cpv_rules
            for n in range(8, 1, -1):
                prefix = norm[:n]
                rules = rules_by_prefix.get(prefix)
                if rules:
                    for sector, include in rules:
                        if sector not in decided:
                            decided[sector] = (include, prefix)
            result = tuple(sorted((s, p) for s, (inc, p) in decided.items() if inc))
        if len(self._cpv_cache) >= _CPV_CACHE_MAX:
            self._cpv_cache.clear()
        self._cpv_cache[code] = result
        return result

    def _keyword_hits(self, text: str, folded: bool = False) -> list[tuple[int, int]]:
        """(sector index, keyword id) of every keyword match in `text` that survives the exclusions."""
        positives: list[tuple[int, int, int, int]] = []
        negatives: list[tuple[int, int, int]] = []
        for (sector, kw_id, negative), i, j in self._matcher.find(text, folded):
            if negative:
                negatives.append((sector, i, j))
            else:
                positives.append((sector, kw_id, i, j))
        if negatives:
            # An exclusion vetoes an overlapping match of its sector, unless the match is strictly larger
            # and contains it ("water and waste water" survives the exclusion "waste water").
            positives = [
                hit
                for hit in positives
                if not any(
                    s == hit[0]
                    and start <= hit[3]
                    and hit[2] <= end
                    and not (hit[2] <= start and end <= hit[3] and (start, end) != (hit[2], hit[3]))
                    for s, start, end in negatives
                )
            ]
        return [(sector, kw_id) for sector, kw_id, _, _ in positives]

    def _flag_hits(self, flag: str) -> tuple[str, tuple[int, ...]]:
        key = flag.strip()
        key = _FLAG_ALIASES.get(key.lower(), key.lower())
        return key, self._flag_sectors.get(key, ())

    def classify(
        self, *, cpv_codes: Iterable[str], texts: Iterable[str], flags: Iterable[str] = (), folded: bool = False
    ) -> list[str]:
        found: set[int] = set()
        for code in _iter_strings(cpv_codes):
            for sector, _ in self._cpv_hits(code):
                found.add(sector)
        text = _TEXT_JOINER.join(t for t in _iter_strings(texts) if t)
        if text and len(found) < len(self.sectors):
            for sector, _ in self._keyword_hits(text, folded):
                found.add(sector)
        for flag in _iter_strings(flags):
            found.update(self._flag_hits(flag)[1])
        return [self.sectors[i].slug for i in sorted(found)]

    def explain(
        self, *, cpv_codes: Iterable[str], texts: Iterable[str], flags: Iterable[str] = ()
    ) -> dict[str, list[str]]:
        reasons: dict[int, list[str]] = {}

        def add(sector: int, reason: str) -> None:
            bucket = reasons.setdefault(sector, [])
            if reason not in bucket:
                bucket.append(reason)

        for code in _iter_strings(cpv_codes):
            norm = normalise_cpv(code) or code
            for sector, prefix in self._cpv_hits(code):
                add(sector, f"CPV {norm} (prefix {prefix})" if prefix != norm else f"CPV {norm}")
        text = _TEXT_JOINER.join(t for t in _iter_strings(texts) if t)
        if text:
            for sector, kw_id in self._keyword_hits(text):
                kw = self._keywords[kw_id]
                add(sector, f"keyword '{kw.text}' ({kw.language})")
        for flag in _iter_strings(flags):
            key, sectors_ = self._flag_hits(flag)
            for sector in sectors_:
                add(sector, f"eForms {key}")
        return {self.sectors[i].slug: reasons[i] for i in sorted(reasons)}


@functools.cache
def taxonomy() -> Taxonomy:
    """The packaged taxonomy, loaded and compiled once per process."""
    return Taxonomy.from_file(TAXONOMY_PATH)


def sectors() -> list[Sector]:
    """The sectors in taxonomy order."""
    return list(taxonomy().sectors)


def sector(slug: str) -> Sector | None:
    return taxonomy().sector(slug)


def choices(language: str | None = None) -> list[tuple[str, str]]:
    """(slug, label) pairs for forms and filters, in taxonomy order."""
    return [(s.slug, s.label(language)) for s in taxonomy().sectors]


def classify(
    *, cpv_codes: Iterable[str], texts: Iterable[str], flags: Iterable[str] = (), folded: bool = False
) -> list[str]:
    """Sector slugs of a notice, in taxonomy order. `texts`: titles and descriptions, any languages
    (`folded=True`: already passed through reference.text.fold, which is then not done again);
    `cpv_codes`: '90400000', '90400000-1'...; `flags`: 'environmental-impact:circ-econ'..."""
    return taxonomy().classify(cpv_codes=cpv_codes, texts=texts, flags=flags, folded=folded)


def explain(*, cpv_codes: Iterable[str], texts: Iterable[str], flags: Iterable[str] = ()) -> dict[str, list[str]]:
    """slug -> why the notice is in that sector ("CPV 90410000 (prefix 904)", "keyword 'apă potabilă' (ro)",
    "eForms environmental-impact:circ-econ"), for the sectors classify() returns."""
    return taxonomy().explain(cpv_codes=cpv_codes, texts=texts, flags=flags)
