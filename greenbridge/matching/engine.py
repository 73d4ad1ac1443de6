"""The matching engine: how well a notice fits a watch, as a score in [0, 1] with reasons a person can read.

Signals (each a strength in [0, 1]; they combine as independent evidence, 1 - Π(1 - s)):
- CPV: the closest pair of a watch code and a notice code (notice and lot codes). A code covers everything
  under it, more strongly the more specific it is; otherwise sharing the class (4 digits) counts, sharing
  the group (3 digits) counts less (alone it stays under the default minimum score), and sharing only
  the division (2 digits) is a weak signal.
- keywords: the watch's keywords and phrases found in the notice's title (strongest) or description and
  lots. Words of 4+ letters match as prefixes ("meter" finds "meters"), shorter ones exactly, "word*" as
  a prefix. An exclusion found anywhere drops the notice.
- CPV labels, across languages: the official label of each watch code in the notice's language
  ("Медичні матеріали" for 33140000 in a Ukrainian notice), found in its text. CPV codes are language
  neutral; their labels carry a Romanian SME's watch into Ukrainian, Italian or French text, even when the
  notice is coded under another branch or not coded at all.
- green sectors: a watch of sectors only matches the notices of those sectors; otherwise a shared sector is
  a bonus. Weak signals (division only, sector bonus) never make a match on their own.
Hard filters: countries (and regions), notice types. Factors that lower the score: a value outside the
watch's range or not published, a deadline passed or days away, a cancelled procedure.

One `Matcher` serves one watch (preview, evaluation) and ten thousand (alert runs): the watches' codes
are indexed by CPV group or class (and country), their keywords and labels compiled into one trie per
language, so each notice is read once and only the watches it can match are scored; plain watches (no
countries, notice types or value range) that only a CPV relation can match are scored in bulk, code by
code. `Matcher([spec]).match(notice)` over every pair is the naive loop the benchmark compares with, and
gives the same results.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from greenbridge.core.bounds import MONEY_MAX, PHRASE_MAX, is_money
from greenbridge.reference import green, regions
from greenbridge.reference.cpv import cpv_prefix, normalise_cpv
from greenbridge.reference.normalise import normalise_country
from greenbridge.reference.phrases import GAP_SPACE, PhraseError, PhraseMatcher, Words, parse_phrase
from greenbridge.reference.tables import to_eur
from greenbridge.reference.text import fold

DEFAULT_MIN_SCORE = 0.3
MIN_SCORE_FLOOR = 0.05  # the lowest minimum score a watch may ask for
NOTICE_TYPES = ("planning", "competition", "award")
MAX_CODES = 100
MAX_KEYWORDS = 100
# Keyword words of this many letters match as prefixes ("meter" finds "meters", "apometr" "apometre").
AUTO_STEM = 4

# Signal strengths. Covered by a watch code, by how many significant digits that code has.
COVERED = {2: 0.45, 3: 0.6, 4: 0.75, 5: 0.8, 6: 0.85, 7: 0.85, 8: 0.85}
EXACT_BONUS = 0.05
# Sharing only the group (452: "construction work") alone stays under the default minimum score: it ranks
# and adds to other evidence, but a group is too broad to alert on by itself.
SAME_CLASS, SAME_GROUP, SAME_DIVISION = 0.45, 0.25, 0.12
KEYWORD_TITLE, KEYWORD_BODY, KEYWORD_EXTRA, KEYWORD_MAX = 0.75, 0.6, 0.1, 0.9
LABEL_TITLE, LABEL_BODY = 0.6, 0.45
SECTOR_ONLY, SECTOR_BONUS = 0.6, 0.2
# Factors.
VALUE_UNKNOWN, VALUE_OUTSIDE = 0.9, 0.5
DEADLINE_PASSED, DEADLINE_SOON, SOON_DAYS = 0.8, 0.9, 7
CANCELLED = 0.5

SIGNALS = frozenset({"cpv", "labels", "keywords", "sectors"})

_QUOTES = str.maketrans(dict.fromkeys("“”„«»", '"'))
_BOOLEAN_RE = re.compile(r"\s(AND|OR|NOT)\s")


class WatchInvalid(ValueError):
    """A watch that cannot be used: `errors` maps a field to messages in plain words."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {m}" for k, msgs in errors.items() for m in msgs))


# -- CPV labels as cross-language terms ---------------------------------------------------------------------

GENERIC_DF = 100  # a word in more than this many of the 9,454 labels of a language says nothing


@dataclass(frozen=True)
class LabelTerm:
    code: str
    language: str
    label: str
    words: tuple[Words, ...]  # each significant word, as a one-word phrase


def _label_word(word: str) -> Words:
    """A significant label word as a prefix that survives inflection ("матеріали" -> "матеріа*")."""
    if len(word) >= 7:
        return ((word[:-2], True, GAP_SPACE),)
    if len(word) >= 5:
        return ((word[:-1], True, GAP_SPACE),)
    return ((word, False, GAP_SPACE),)


class CpvLabels:
    """The CPV labels of every language, turned into terms: their significant words (no stop words, no
    words as common as "services" or "equipment")."""

    def __init__(self, labels: Mapping[str, Mapping[str, str]]):
        self._labels = labels
        df: dict[str, Counter] = {}
        for by_lang in labels.values():
            for lang, text in by_lang.items():
                df.setdefault(lang, Counter()).update(set(re.findall(r"\w+", fold(text))))
        self._generic = {lang: {w for w, n in counts.items() if n > GENERIC_DF} for lang, counts in df.items()}

    def label(self, code: str, language: str) -> str:
        return self._labels.get(code, {}).get(language, "")

    def significant_words(self, code: str, language: str) -> list[str]:
        """The folded words of a label that say something: 3+ letters, not a number, not generic."""
        generic = self._generic.get(language, set())
        words = dict.fromkeys(re.findall(r"\w+", fold(self.label(code, language))))
        return [w for w in words if len(w) >= 3 and not w.isdigit() and w not in generic]

    @functools.cache  # noqa: B019 (one instance per process)
    def terms(self, code: str) -> tuple[LabelTerm, ...]:
        out = []
        for lang, text in self._labels.get(code, {}).items():
            significant = self.significant_words(code, lang)
            if significant:
                out.append(LabelTerm(code, lang, text, tuple(_label_word(w) for w in significant)))
        return tuple(out)


@functools.cache
def cpv_labels() -> CpvLabels:
    from greenbridge.reference.models import CpvCode

    return CpvLabels(dict(CpvCode.objects.values_list("code", "labels")))


@functools.cache
def known_cpv_codes() -> frozenset[str]:
    from greenbridge.reference.models import CpvCode

    return frozenset(CpvCode.objects.values_list("code", flat=True))


# -- watches ------------------------------------------------------------------------------------------------


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
        errors.setdefault(name, []).append("must be a list")
        return []
    return list(value)


def _keyword(raw: Any, where: str, errors: dict[str, list[str]]) -> tuple[str, Words] | None:
    text = raw.strip() if isinstance(raw, str) else raw
    if not isinstance(text, str):
        errors.setdefault(where, []).append(f"{raw!r} is not text")
        return None
    if not text:
        return None
    if len(text) > PHRASE_MAX:
        errors.setdefault(where, []).append(f"“{text[:40]}…” is longer than {PHRASE_MAX} characters")
        return None
    text = text.translate(_QUOTES)
    if text.count('"') % 2:
        errors.setdefault(where, []).append(f"“{text}” has an opening quote without a closing one")
        return None
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()  # a quoted phrase is a phrase anyway
    if text.startswith("-"):
        errors.setdefault(where, []).append(f"“{text}”: put words to leave out under “exclude”, without the minus")
        return None
    if _BOOLEAN_RE.search(f" {text} "):
        errors.setdefault(where, []).append(
            f"“{text}”: write each alternative as its own keyword (any keyword matches); AND/OR/NOT are not needed"
        )
        return None
    try:
        words = parse_phrase(text, auto_stem=AUTO_STEM, symbols=True)
    except PhraseError as exc:
        errors.setdefault(where, []).append(str(exc).replace("keyword ", "", 1))
        return None
    if len(words) == 1 and len(words[0][0]) < 3:
        errors.setdefault(where, []).append(f"“{text}” is too short to look for: use a word of 3 letters or more")
        return None
    return text, words


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
            errors["watch"] = [f"unknown fields {', '.join(unknown)} (known: {', '.join(cls.FIELDS)})"]

        codes: list[str] = []
        for raw in _as_list(data, "cpv_codes", errors):
            code = normalise_cpv(raw)
            if code is None:
                errors.setdefault("cpv_codes", []).append(
                    f"“{raw}” is not a CPV code (8 digits, such as 90513000 or 90513000-6)"
                )
            elif code not in known_cpv_codes():
                errors.setdefault("cpv_codes", []).append(f"{code} is not in the CPV 2008 vocabulary")
            elif code not in codes:
                codes.append(code)
        if len(codes) > MAX_CODES:
            errors.setdefault("cpv_codes", []).append(f"at most {MAX_CODES} codes; broader codes cover more")

        def phrases(name: str) -> tuple[tuple[str, ...], tuple[Words, ...]]:
            texts: list[str] = []
            words: list[Words] = []
            for raw in _as_list(data, name, errors):
                parsed = _keyword(raw, name, errors)
                if parsed and parsed[1] not in words:
                    texts.append(parsed[0])
                    words.append(parsed[1])
            if len(texts) > MAX_KEYWORDS:
                errors.setdefault(name, []).append(f"at most {MAX_KEYWORDS} keywords")
            return tuple(texts), tuple(words)

        keywords, keyword_words = phrases("keywords")
        excludes, exclude_words = phrases("exclude_keywords")

        countries: list[str] = []
        for raw in _as_list(data, "countries", errors):
            text = str(raw).strip()
            code = text.upper() if text.upper() in regions.REGIONS else normalise_country(text)
            if not code:
                errors.setdefault("countries", []).append(
                    f"“{text}” is not a country (ISO code or name) or a region ({', '.join(regions.REGIONS)})"
                )
            elif code not in countries:
                countries.append(code)

        slugs = {s.slug for s in green.sectors()}
        sectors = []
        for raw in _as_list(data, "green_sectors", errors):
            if raw not in slugs:
                errors.setdefault("green_sectors", []).append(
                    f"“{raw}” is not a green sector ({', '.join(sorted(slugs))})"
                )
            elif raw not in sectors:
                sectors.append(raw)

        types = []
        for raw in _as_list(data, "notice_types", errors):
            if raw not in NOTICE_TYPES:
                errors.setdefault("notice_types", []).append(f"“{raw}” is not one of {', '.join(NOTICE_TYPES)}")
            elif raw not in types:
                types.append(raw)

        def amount(name: str) -> Decimal | None:
            value = data.get(name)
            if value in (None, ""):
                return None
            try:
                number = Decimal(str(value).replace(" ", "").replace("_", ""))
            except InvalidOperation:
                errors.setdefault(name, []).append(f"“{value}” is not an amount in euros")
                return None
            if not is_money(number):
                errors.setdefault(name, []).append(
                    f"must be an amount in euros from 0 to {MONEY_MAX:,}, with at most two decimals"
                )
                return None
            return number

        value_min, value_max = amount("value_min"), amount("value_max")
        if value_min is not None and value_max is not None and value_min > value_max:
            errors.setdefault("value_max", []).append("the maximum value is below the minimum")

        min_score = data.get("min_score")
        if min_score in (None, ""):
            min_score = DEFAULT_MIN_SCORE
        else:
            try:
                min_score = float(min_score)
            except (TypeError, ValueError):
                errors.setdefault("min_score", []).append(
                    f"“{min_score}” is not a number between {MIN_SCORE_FLOOR} and 1"
                )
                min_score = DEFAULT_MIN_SCORE
            else:
                if not MIN_SCORE_FLOOR <= min_score <= 1:
                    errors.setdefault("min_score", []).append(f"must be between {MIN_SCORE_FLOOR} and 1")

        if not (codes or keywords or sectors) and not any(
            k in errors for k in ("cpv_codes", "keywords", "green_sectors")
        ):
            errors.setdefault("watch", []).append(
                "A watch needs at least one CPV code, keyword or green sector: "
                "with only countries, values or types it would match every notice."
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
                f"{', '.join(broad)} {'is a whole CPV division' if len(broad) == 1 else 'are whole CPV divisions'}: "
                "expect many notices. A more specific code or a keyword narrows it."
            )
        if self.min_score < 0.2:
            out.append("A minimum score below 0.2 lets in notices that share little with the watch.")
        return out


# -- notices ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class NoticeFacts:
    """What matching reads of a notice (built from a Notice or from a values() row)."""

    id: int
    source: str
    source_id: str
    title: str
    notice_type: str
    status: str
    country: str
    cpv: tuple[str, ...]
    sectors: frozenset[str]
    value_amount: Decimal | None
    value_currency: str
    deadline: datetime | None
    languages: tuple[str, ...]
    title_parts: list[str]
    body_parts: list[str]
    # Derived once per notice for every watch scored against it: each prefix (2 to 8 digits) of its codes ->
    # the first code with it, and its value in euros.
    prefixes: dict[str, str]
    value_eur: float | None

    FIELDS = (
        "id",
        "source",
        "source_id",
        "title",
        "titles",
        "description",
        "language",
        "notice_type",
        "status",
        "buyer_country",
        "cpv_codes",
        "green_sectors",
        "value_amount",
        "value_currency",
        "deadline",
        "lots",
    )

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> NoticeFacts:
        lots = row.get("lots") or []
        titles = row.get("titles") or {}
        codes = dict.fromkeys([*(row.get("cpv_codes") or []), *(c for lot in lots for c in lot.get("cpv_codes", []))])
        title_text = " | ".join(dict.fromkeys(t for t in [row.get("title") or "", *titles.values()] if t))
        body_text = " | ".join(
            t for t in [row.get("description") or "", *(lot.get("title") or "" for lot in lots)] if t
        )
        languages = tuple(dict.fromkeys(lang for lang in [row.get("language") or "", *titles] if lang))
        cpv = tuple(c for c in codes if c)
        prefixes: dict[str, str] = {}
        for code in cpv:
            for n in range(2, 9):
                prefixes.setdefault(code[:n], code)
        return cls(
            id=row["id"],
            source=row.get("source", ""),
            source_id=row.get("source_id", ""),
            title=row.get("title") or "",
            notice_type=row.get("notice_type") or "",
            status=row.get("status") or "",
            country=row.get("buyer_country") or "",
            cpv=cpv,
            sectors=frozenset(row.get("green_sectors") or ()),
            value_amount=row.get("value_amount"),
            value_currency=row.get("value_currency") or "",
            deadline=row.get("deadline"),
            languages=languages,
            title_parts=PhraseMatcher.split(title_text),
            body_parts=PhraseMatcher.split(body_text),
            prefixes=prefixes,
            value_eur=to_eur(row.get("value_amount"), row.get("value_currency") or ""),
        )


# -- the matcher --------------------------------------------------------------------------------------------


def _relation(code: tuple, prefixes: Mapping[str, str]) -> tuple[float, str, str, str]:
    """How closely a compiled watch code (as in Matcher) relates to a notice's codes (their prefixes):
    (strength, relation, watch code, notice code); strength 0.0 when not even the division is shared."""
    watch_code, prefix, covered, class_, group, division = code
    get = prefixes.get
    if (nd := get(division)) is None:
        return 0.0, "", watch_code, ""
    if (nc := get(prefix)) is not None:
        if get(watch_code) is not None:
            return covered + EXACT_BONUS, "exact", watch_code, watch_code
        return covered, "under", watch_code, nc
    if class_ and (nc := get(class_)) is not None:
        return SAME_CLASS, "class", watch_code, nc
    if group and (nc := get(group)) is not None:
        return SAME_GROUP, "group", watch_code, nc
    return SAME_DIVISION, "division", watch_code, nd


def _cpv_reason(rel: tuple[float, str, str, str]) -> dict[str, Any]:
    weight, relation, code, notice_code = rel
    return {"kind": "cpv", "relation": relation, "watch_code": code, "notice_code": notice_code, "weight": weight}


@dataclass(slots=True)
class Result:
    watch: int  # index into the matcher's specs
    notice: NoticeFacts
    score: float
    explanation: list[dict[str, Any]]


_ANY = "*"


class Matcher:
    """Compiled watches. `signals` switches signals off, to measure what each brings."""

    def __init__(
        self,
        specs: Sequence[WatchSpec],
        *,
        signals: Iterable[str] = SIGNALS,
        now: datetime | None = None,
        labels: CpvLabels | None = None,
    ) -> None:
        self.specs = list(specs)
        self.signals = frozenset(signals)
        self.now = now or timezone.now()
        use_cpv = "cpv" in self.signals
        use_labels = "labels" in self.signals
        use_keywords = "keywords" in self.signals
        use_sectors = "sectors" in self.signals
        if use_labels and labels is None:
            labels = cpv_labels()
        # Per watch, what scoring reads: (spec, countries or None, notice types, green sectors or None, minimum
        # score, codes, strong, (min, max) in EUR or None). Codes are (code, prefix, strength when covered,
        # class, group, division), the class and group only where they are coarser than the prefix. A watch
        # with a strong signal (CPV code, keyword, CPV label) needs one to match; a sector-only watch matches
        # on its sectors.
        self._watches: list[tuple] = []
        # (country or *, CPV division, group or class[, green sector]) -> watches
        self._cpv_index: dict[tuple[str, ...], list[int]] = {}
        self._keywords = PhraseMatcher()  # payload (watch, keyword index, is an exclusion)
        self._label_matchers: dict[str, PhraseMatcher] = {}  # language -> payload (term id, word)
        self._terms: list[LabelTerm] = []
        self._term_sizes: list[int] = []  # significant words per term
        self._term_watches: list[list[int]] = []
        term_ids: dict[tuple[str, str], int] = {}
        self._sector_only: dict[str, list[int]] = {}
        # Plain watches (no countries, notice types or value range: most) are scored in bulk, code by code:
        # CPV division, group or class -> [(code, its watches)].
        bulk: dict[str, dict[tuple, list[int]]] = {}
        self._min_scores: list[float] = []
        self._with_sectors: set[int] = set()
        for i, spec in enumerate(self.specs):
            countries = spec.country_set if spec.countries else None
            prefixes = [(c, cpv_prefix(c)) for c in spec.cpv_codes]
            codes = tuple(
                (c, p, COVERED[len(p)], c[:4] if len(p) > 4 else None, c[:3] if len(p) > 3 else None, c[:2])
                for c, p in (prefixes if use_cpv else ())
            )
            limits = None
            if spec.value_min is not None or spec.value_max is not None:
                limits = tuple(float(v) if v is not None else None for v in (spec.value_min, spec.value_max))

            # A code is indexed under its group when sharing only the group reaches the watch's minimum
            # score, else under its class, and under (group, sector) when the group does with the bonus of
            # a shared green sector: no candidate that cannot match.
            group_matches = spec.min_score <= SAME_GROUP
            group_sectors = (
                spec.green_sectors
                if use_sectors and not group_matches and spec.min_score <= 1 - (1 - SAME_GROUP) * (1 - SECTOR_BONUS)
                else ()
            )
            plain = countries is None and not spec.notice_types and limits is None
            for country in countries or (_ANY,):
                for code in codes:
                    prefix = code[1]
                    key = prefix[: 3 if group_matches else 4]
                    if plain:
                        bulk.setdefault(key, {}).setdefault(code, []).append(i)
                    else:
                        self._cpv_index.setdefault((country, key), []).append(i)
                    for sector in group_sectors if len(prefix) > 3 else ():
                        self._cpv_index.setdefault((country, prefix[:3], sector), []).append(i)
            if use_keywords:
                for k, words in enumerate(spec.keyword_words):
                    self._keywords.add(words, (i, k, False))
            for k, words in enumerate(spec.exclude_words):
                self._keywords.add(words, (i, k, True))
            has_label_terms = False
            for code, prefix in prefixes if use_labels else ():
                if len(prefix) < 3:
                    continue  # a division's label ("Construction work") says too little
                for term in labels.terms(code):
                    has_label_terms = True
                    term_id = term_ids.get((code, term.language))
                    if term_id is None:
                        term_id = term_ids[(code, term.language)] = len(self._terms)
                        self._terms.append(term)
                        self._term_sizes.append(len(term.words))
                        self._term_watches.append([])
                        matcher = self._label_matchers.setdefault(term.language, PhraseMatcher())
                        for w, words in enumerate(term.words):
                            matcher.add(words, (term_id, w))
                    self._term_watches[term_id].append(i)
            strong = bool(codes or (use_keywords and spec.keywords) or has_label_terms)
            if spec.green_sectors and use_sectors and not strong:
                for sector in spec.green_sectors:
                    self._sector_only.setdefault(sector, []).append(i)
            sectors = frozenset(spec.green_sectors) if spec.green_sectors and use_sectors else None
            if sectors:
                self._with_sectors.add(i)
            self._min_scores.append(spec.min_score)
            self._watches.append((spec, countries, spec.notice_types, sectors, spec.min_score, codes, strong, limits))
        self._bulk_index = {key: [(code, tuple(ids)) for code, ids in by_code.items()] for key, by_code in bulk.items()}

    # Hits of one notice, shared by every watch scored against it.
    def _keyword_hits(self, notice: NoticeFacts) -> tuple[dict[int, dict[int, str]], set[int]]:
        hits: dict[int, dict[int, str]] = {}
        excluded: set[int] = set()
        if not self._keywords.size:
            return hits, excluded
        for where, parts in (("title", notice.title_parts), ("description", notice.body_parts)):
            for (i, k, negative), _, _ in self._keywords.find_in_parts(parts):
                if negative:
                    excluded.add(i)
                else:
                    hits.setdefault(i, {}).setdefault(k, where)
        return hits, excluded

    def _label_hits(self, notice: NoticeFacts) -> dict[int, list[tuple[int, str]]]:
        """watch -> [(term id, where every significant word of the label was found: title when all are in
        it)]."""
        found: dict[int, list[tuple[int, str]]] = {}
        matchers = [m for lang in notice.languages if (m := self._label_matchers.get(lang)) is not None]
        if not matchers:
            return found
        # Label words are one-word phrases: each distinct word is enough, the title's first.
        title = dict.fromkeys(notice.title_parts[::2])
        body = [w for w in dict.fromkeys(notice.body_parts[::2]) if w not in title]
        words_in = (
            ("title", [p for w in title for p in (w, " ")]),
            ("description", [p for w in body for p in (w, " ")]),
        )
        sizes = self._term_sizes
        for matcher in matchers:
            seen: dict[int, dict[int, str]] = {}  # term id -> {word: where found first}
            for where, parts in words_in:
                for (term_id, w), _, _ in matcher.find_in_parts(parts):
                    words = seen.get(term_id)
                    if words is None:
                        seen[term_id] = {w: where}
                    elif w not in words:
                        words[w] = where
            for term_id, words in seen.items():
                if len(words) == sizes[term_id]:
                    where = "description" if "description" in words.values() else "title"
                    for i in self._term_watches[term_id]:
                        found.setdefault(i, []).append((term_id, where))
        return found

    def candidates(self, notice: NoticeFacts) -> tuple[set[int], dict, set[int], dict]:
        cands: set[int] = set()
        for country in (notice.country, _ANY) if notice.country else (_ANY,):
            for code in notice.cpv:
                for key in ((country, code[:2]), (country, code[:3]), (country, code[:4])):
                    cands.update(self._cpv_index.get(key, ()))
                for sector in notice.sectors:
                    cands.update(self._cpv_index.get((country, code[:3], sector), ()))
        kw_hits, excluded = self._keyword_hits(notice)
        cands.update(kw_hits)
        label_hits = self._label_hits(notice) if self._label_matchers else {}
        cands.update(label_hits)
        for sector in notice.sectors:
            cands.update(self._sector_only.get(sector, ()))
        return cands, kw_hits, excluded, label_hits

    def _bulk_cpv(self, notice: NoticeFacts, relations: dict[str, tuple]) -> dict[int, tuple[float, str, str, str]]:
        """Plain watch -> its closest CPV relation to the notice (strength, relation, watch code, notice
        code): each code found in the bulk index is related once, then given to all its watches, the
        strongest last (a watch keeps the best of its codes)."""
        found = []
        index = self._bulk_index
        for nc in notice.cpv:
            for key in (nc[:2], nc[:3], nc[:4]):
                found.extend(index.get(key, ()))
        if not found:
            return {}
        ranked = []
        for code, ids in found:
            rel = relations.get(code[0])
            if rel is None:
                rel = relations[code[0]] = _relation(code, notice.prefixes)
            ranked.append((rel, ids))
        ranked.sort(key=lambda item: (item[0][0], item[0][2]))
        best: dict[int, tuple[float, str, str, str]] = {}
        for rel, ids in ranked:
            best.update(dict.fromkeys(ids, rel))
        return best

    def match(self, notice: NoticeFacts) -> list[Result]:
        """The watches this notice matches at or above their minimum score, with the reasons.

        The hot loop of an alert run (every candidate watch of every new notice), so written for speed.
        Plain watches that only a CPV relation can match (most of them) are scored in bulk; the others
        in one pass per candidate with local names. Reasons are built only for the watches that match."""
        cands, kw_hits, excluded, label_hits = self.candidates(notice)
        # Watch code -> its relation to this notice (_relation), worked out once for all the watches with it.
        relations: dict[str, tuple[float, str, str, str]] = {}
        bulk = self._bulk_cpv(notice, relations)
        if not (cands or bulk):
            return []
        notice_factor, factor_reasons = self._notice_factors(notice)
        results = []
        # A CPV-only match's score and reason depend on the relation alone: made once per notice.
        scores: dict[float, float] = {}
        reasons: dict[tuple, list[dict[str, Any]]] = {}
        if bulk:
            # Plain watches with anything else to weigh (keywords, labels, an exclusion, maybe a sector)
            # go the long way.
            special = bulk.keys() & (kw_hits.keys() | label_hits.keys() | excluded)
            if notice.sectors:
                special |= bulk.keys() & self._with_sectors
            cands |= special
            min_scores = self._min_scores
            for i, rel in bulk.items():
                if i in special:
                    continue
                if (score := scores.get(rel[0])) is None:
                    score = scores[rel[0]] = round(rel[0] * notice_factor, 4)
                if score >= min_scores[i]:
                    if (reason := reasons.get(rel)) is None:
                        reason = reasons[rel] = [_cpv_reason(rel), *factor_reasons]
                    results.append(Result(i, notice, score, list(reason)))
        prefixes = notice.prefixes
        country, notice_type, notice_sectors = notice.country, notice.notice_type, notice.sectors
        watches = self._watches
        for i in cands:
            if i in excluded:
                continue
            spec, countries, types, sectors, min_score, codes, strong, limits = watches[i]
            if countries is not None and country not in countries:
                continue
            if types and notice_type not in types:
                continue

            # CPV: the closest relation of a watch code to the notice's codes (the first code wins a tie).
            best = 0.0
            cpv = None
            for code in codes:
                if (rel := relations.get(code[0])) is None:
                    rel = relations[code[0]] = _relation(code, prefixes)
                if rel[0] > best:
                    best, cpv = rel[0], rel

            kw = kw_hits.get(i) if kw_hits else None
            labels = label_hits.get(i) if label_hits else None
            if not (kw or labels or limits or countries or (sectors and notice_sectors)):
                # Nothing but the CPV relation to weigh (a watch with notice types only): as in bulk.
                if best > SAME_DIVISION:
                    if (score := scores.get(best)) is None:
                        score = scores[best] = round(best * notice_factor, 4)
                    if score >= min_score:
                        if (reason := reasons.get(cpv)) is None:
                            reason = reasons[cpv] = [_cpv_reason(cpv), *factor_reasons]
                        results.append(Result(i, notice, score, list(reason)))
                continue

            # Keywords: the best place each was found, the strongest first.
            kw_strength = 0.0
            if kw:
                kw = sorted(kw.items(), key=lambda item: (item[1] != "title", item[0]))
                first = KEYWORD_TITLE if kw[0][1] == "title" else KEYWORD_BODY
                kw_strength = min(KEYWORD_MAX, first + KEYWORD_EXTRA * (len(kw) - 1))

            # CPV labels in the notice's languages.
            label_strength = 0.0
            if labels:
                label_strength = LABEL_TITLE if any(where == "title" for _, where in labels) else LABEL_BODY

            sector_hit = sorted(sectors & notice_sectors) if sectors and notice_sectors else None
            if not (best > SAME_DIVISION or kw_strength or label_strength or (sector_hit and not strong)):
                continue
            miss = (1.0 - best) * (1.0 - kw_strength) * (1.0 - label_strength)
            if sector_hit:
                miss *= 1.0 - (SECTOR_BONUS if strong else SECTOR_ONLY)

            factor = notice_factor
            value_reason = None
            if limits is not None:
                value_reason, value_factor = self._value_fit(notice, *limits)
                factor *= value_factor
            score = round((1.0 - miss) * factor, 4)
            if score >= min_score:
                why = (cpv, kw, labels, sector_hit, countries is not None, value_reason)
                results.append(Result(i, notice, score, self._explain(spec, notice, *why, factor_reasons)))
        return results

    def _notice_factors(self, notice: NoticeFacts) -> tuple[float, list[dict[str, Any]]]:
        """What lowers the score of this notice for every watch: a cancelled procedure, a deadline passed
        or close."""
        if notice.status == "cancelled":
            return CANCELLED, [{"kind": "status", "status": "cancelled", "factor": CANCELLED}]
        if notice.deadline and notice.notice_type == "competition":
            days = (notice.deadline - self.now).total_seconds() / 86400
            if days < 0:
                return DEADLINE_PASSED, [{"kind": "deadline", "status": "passed", "days": 0, "factor": DEADLINE_PASSED}]
            if days < SOON_DAYS:
                return DEADLINE_SOON, [
                    {"kind": "deadline", "status": "soon", "days": int(days), "factor": DEADLINE_SOON}
                ]
        return 1.0, []

    def _explain(
        self,
        spec: WatchSpec,
        notice: NoticeFacts,
        cpv: tuple[float, str, str, str] | None,
        keywords: list[tuple[int, str]] | None,
        labels: list[tuple[int, str]] | None,
        sectors: list[str] | None,
        by_country: bool,
        value_reason: dict[str, Any] | None,
        factor_reasons: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        explanation: list[dict[str, Any]] = [_cpv_reason(cpv)] if cpv else []
        for k, where in keywords or ():
            explanation.append({"kind": "keyword", "keyword": spec.keywords[k], "where": where})
        if labels:
            if len(labels) > 1:  # in the watch's code order
                labels = sorted(labels, key=lambda hit: spec.cpv_codes.index(self._terms[hit[0]].code))
            for t, where in labels:
                term = self._terms[t]
                explanation.append(
                    {"kind": "label", "watch_code": term.code, "language": term.language, "label": term.label}
                    | {"where": where}
                )
        if sectors:
            explanation.append({"kind": "sector", "sectors": sectors})
        if by_country:
            explanation.append(
                {"kind": "country", "country": notice.country, "region": self._region_of(spec, notice.country)}
            )
        if value_reason:
            explanation.append(value_reason)
        explanation.extend(factor_reasons)
        return explanation

    @staticmethod
    def _value_fit(notice: NoticeFacts, low: float | None, high: float | None) -> tuple[dict[str, Any], float]:
        value = notice.value_eur
        if notice.value_amount is None:
            status, shown, factor = "unknown", None, VALUE_UNKNOWN
        elif value is None:
            status, shown, factor = "not_comparable", None, 1.0
        elif low is not None and value < low:
            status, shown, factor = "below", round(value), VALUE_OUTSIDE
        elif high is not None and value > high:
            status, shown, factor = "above", round(value), VALUE_OUTSIDE
        else:
            status, shown, factor = "in_range", round(value), 1.0
        return {"kind": "value", "status": status, "value_eur": shown, "factor": factor}, factor

    @staticmethod
    def _region_of(spec: WatchSpec, country: str) -> str | None:
        if country in spec.countries:
            return None
        for code in spec.countries:
            if code in regions.REGIONS and country in regions.REGIONS[code][1]:
                return code
        return None
