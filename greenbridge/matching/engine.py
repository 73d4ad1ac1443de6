"""The matching engine: how well a notice fits a watch, as a score in [0, 1] with reasons a person can read.

Signals (each a strength in [0, 1]; they combine as independent evidence, 1 - Π(1 - s)):
- CPV: the closest pair of a watch code and a notice code (notice and lot codes). A code covers everything
  under it, more strongly the more specific it is; otherwise sharing the class (4 digits) or the group
  (3 digits) counts, and sharing only the division (2 digits) is a weak signal.
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

One `Matcher` serves one watch (preview, evaluation) and ten thousand (alert runs): the watches are
indexed by (country, CPV group) and their keywords and labels compiled into one trie, so each notice is
read once and only the watches it can match are scored. `Matcher([spec]).match(notice)` over every pair
is the naive loop the benchmark compares with, and gives the same results.
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

from greenbridge.reference import green, regions
from greenbridge.reference.cpv import cpv_prefix, normalise_cpv
from greenbridge.reference.normalise import normalise_country
from greenbridge.reference.phrases import GAP_SPACE, PhraseError, PhraseMatcher, Words, parse_phrase
from greenbridge.reference.tables import to_eur
from greenbridge.reference.text import fold

DEFAULT_MIN_SCORE = 0.3
NOTICE_TYPES = ("planning", "competition", "award")
MAX_CODES = 100
MAX_KEYWORDS = 100
# Keyword words of this many letters match as prefixes ("meter" finds "meters", "apometr" "apometre").
AUTO_STEM = 4

# Signal strengths. Covered by a watch code, by how many significant digits that code has.
COVERED = {2: 0.45, 3: 0.6, 4: 0.75, 5: 0.8, 6: 0.85, 7: 0.85, 8: 0.85}
EXACT_BONUS = 0.05
SAME_CLASS, SAME_GROUP, SAME_DIVISION = 0.45, 0.3, 0.12
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

    @functools.cache  # noqa: B019 (one instance per process)
    def terms(self, code: str) -> tuple[LabelTerm, ...]:
        out = []
        for lang, text in self._labels.get(code, {}).items():
            generic = self._generic.get(lang, set())
            words = [w for w in dict.fromkeys(re.findall(r"\w+", fold(text))) if len(w) >= 3 and not w.isdigit()]
            significant = [w for w in words if w not in generic]
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


def _as_list(data: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> list:
    value = data.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[\n,;]", value) if v.strip()] if name != "keywords" else value.splitlines()
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
            if not number.is_finite() or number < 0:
                errors.setdefault(name, []).append("must be a positive amount in euros")
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
                errors.setdefault("min_score", []).append(f"“{min_score}” is not a number between 0.05 and 1")
                min_score = DEFAULT_MIN_SCORE
            else:
                if not 0.05 <= min_score <= 1:
                    errors.setdefault("min_score", []).append("must be between 0.05 and 1")

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
        return cls(
            id=row["id"],
            source=row.get("source", ""),
            source_id=row.get("source_id", ""),
            title=row.get("title") or "",
            notice_type=row.get("notice_type") or "",
            status=row.get("status") or "",
            country=row.get("buyer_country") or "",
            cpv=tuple(c for c in codes if c),
            sectors=frozenset(row.get("green_sectors") or ()),
            value_amount=row.get("value_amount"),
            value_currency=row.get("value_currency") or "",
            deadline=row.get("deadline"),
            languages=languages,
            title_parts=PhraseMatcher.split(title_text),
            body_parts=PhraseMatcher.split(body_text),
        )


# -- the matcher --------------------------------------------------------------------------------------------


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
        if use_labels and labels is None:
            labels = cpv_labels()
        self._countries: list[frozenset[str] | None] = []
        self._codes: list[tuple[tuple[str, str], ...]] = []
        # A watch with a strong signal (CPV code, keyword, CPV label) needs one to match; a sector-only
        # watch matches on its sectors.
        self._strong: list[bool] = []
        # (country or *, CPV group or division) -> [(watch, code, prefix)]
        self._cpv_index: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
        self._keywords = PhraseMatcher()  # payload (watch, keyword index, is an exclusion)
        self._label_matchers: dict[str, PhraseMatcher] = {}  # language -> payload (term id, word)
        self._terms: list[LabelTerm] = []
        self._term_watches: list[list[int]] = []
        self._watch_terms: list[list[int]] = []  # per watch, its codes' label terms in code order
        term_ids: dict[tuple[str, str], int] = {}
        self._sector_only: dict[str, list[int]] = {}
        for i, spec in enumerate(self.specs):
            countries = spec.country_set if spec.countries else None
            self._countries.append(countries)
            codes = tuple((c, cpv_prefix(c)) for c in spec.cpv_codes) if use_cpv or use_labels else ()
            self._codes.append(codes if use_cpv else ())
            for country in countries or (_ANY,):
                for code, prefix in codes if use_cpv else ():
                    key = (country, prefix[:3] if len(prefix) >= 3 else prefix[:2])
                    self._cpv_index.setdefault(key, []).append((i, code, prefix))
            if use_keywords:
                for k, words in enumerate(spec.keyword_words):
                    self._keywords.add(words, (i, k, False))
            for k, words in enumerate(spec.exclude_words):
                self._keywords.add(words, (i, k, True))
            watch_terms: list[int] = []
            self._watch_terms.append(watch_terms)
            if use_labels:
                for code, prefix in codes:
                    if len(prefix) < 3:
                        continue  # a division's label ("Construction work") says too little
                    for term in labels.terms(code):
                        key = (code, term.language)
                        term_id = term_ids.get(key)
                        if term_id is None:
                            term_id = term_ids[key] = len(self._terms)
                            self._terms.append(term)
                            self._term_watches.append([])
                            matcher = self._label_matchers.setdefault(term.language, PhraseMatcher())
                            for w, words in enumerate(term.words):
                                matcher.add(words, (term_id, w))
                        self._term_watches[term_id].append(i)
                        watch_terms.append(term_id)
            has_label_terms = use_labels and any(len(p) >= 3 for _, p in codes)
            self._strong.append(
                bool((use_cpv and spec.cpv_codes) or (use_keywords and spec.keywords) or has_label_terms)
            )
            if spec.green_sectors and "sectors" in self.signals and not self._strong[i]:
                for sector in spec.green_sectors:
                    self._sector_only.setdefault(sector, []).append(i)

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

    def _label_hits(self, notice: NoticeFacts) -> dict[int, str]:
        """term id -> where every significant word of the label was found (title when all are in it)."""
        found: dict[int, str] = {}
        for lang in notice.languages:
            matcher = self._label_matchers.get(lang)
            if matcher is None:
                continue
            seen: dict[int, dict[int, str]] = {}
            for where, parts in (("title", notice.title_parts), ("description", notice.body_parts)):
                for (term_id, w), _, _ in matcher.find_in_parts(parts):
                    words = seen.setdefault(term_id, {})
                    if w not in words:
                        words[w] = where
            for term_id, words in seen.items():
                if len(words) == len(self._terms[term_id].words):
                    found[term_id] = "title" if all(v == "title" for v in words.values()) else "description"
        return found

    def candidates(self, notice: NoticeFacts) -> tuple[set[int], dict, set[int], dict[int, str]]:
        cands: set[int] = set()
        for country in (notice.country, _ANY) if notice.country else (_ANY,):
            for code in notice.cpv:
                for key in ((country, code[:2]), (country, code[:3])):
                    for i, _, _ in self._cpv_index.get(key, ()):
                        cands.add(i)
        kw_hits, excluded = self._keyword_hits(notice)
        cands.update(kw_hits)
        label_hits = self._label_hits(notice) if self._label_matchers else {}
        for term_id in label_hits:
            cands.update(self._term_watches[term_id])
        for sector in notice.sectors:
            cands.update(self._sector_only.get(sector, ()))
        return cands, kw_hits, excluded, label_hits

    def match(self, notice: NoticeFacts) -> list[Result]:
        """The watches this notice matches at or above their minimum score, with the reasons."""
        cands, kw_hits, excluded, label_hits = self.candidates(notice)
        results = []
        for i in cands:
            if i in excluded:
                continue
            result = self.score(i, notice, kw_hits.get(i, {}), label_hits)
            if result is not None and result.score >= self.specs[i].min_score:
                results.append(result)
        return results

    def score(self, i: int, notice: NoticeFacts, kw: Mapping[int, str], label_hits: Mapping[int, str]) -> Result | None:
        spec = self.specs[i]
        countries = self._countries[i]
        if countries is not None and notice.country not in countries:
            return None
        if spec.notice_types and notice.notice_type not in spec.notice_types:
            return None
        reasons: list[tuple] = []
        strengths: list[float] = []

        # CPV: the closest pair.
        best = 0.0
        best_reason = None
        for code, prefix in self._codes[i]:
            for nc in notice.cpv:
                if nc.startswith(prefix):
                    s = COVERED[len(prefix)] + (EXACT_BONUS if nc == code else 0.0)
                    relation = "exact" if nc == code else "under"
                elif len(prefix) > 4 and nc[:4] == code[:4]:
                    s, relation = SAME_CLASS, "class"
                elif len(prefix) > 3 and nc[:3] == code[:3]:
                    s, relation = SAME_GROUP, "group"
                elif nc[:2] == code[:2]:
                    s, relation = SAME_DIVISION, "division"
                else:
                    continue
                if s > best:
                    best, best_reason = s, ("cpv", relation, code, nc, s)
        cpv_strong = best > SAME_DIVISION

        # Keywords: the best place each was found, the strongest first.
        kw_strength = 0.0
        if kw:
            ordered = sorted(kw.items(), key=lambda item: (item[1] != "title", item[0]))
            first = KEYWORD_TITLE if ordered[0][1] == "title" else KEYWORD_BODY
            kw_strength = min(KEYWORD_MAX, first + KEYWORD_EXTRA * (len(ordered) - 1))
            for k, where in ordered:
                reasons.append(("keyword", spec.keywords[k], where))

        # CPV labels in the notice's language.
        label_strength = 0.0
        if label_hits:
            for term_id in self._watch_terms[i]:
                where = label_hits.get(term_id)
                if where is not None:
                    term = self._terms[term_id]
                    label_strength = max(label_strength, LABEL_TITLE if where == "title" else LABEL_BODY)
                    reasons.append(("label", term.code, term.language, term.label, where))

        strong = cpv_strong or kw_strength > 0 or label_strength > 0
        sector_hit = sorted(set(spec.green_sectors) & notice.sectors) if "sectors" in self.signals else []
        if not strong and not (sector_hit and not self._strong[i]):
            return None
        if best_reason and (cpv_strong or best > 0):
            reasons.insert(0, best_reason)
            strengths.append(best)
        if kw_strength:
            strengths.append(kw_strength)
        if label_strength:
            strengths.append(label_strength)
        if sector_hit:
            s = SECTOR_BONUS if self._strong[i] else SECTOR_ONLY
            strengths.append(s)
            reasons.append(("sector", sector_hit))

        miss = 1.0
        for s in strengths:
            miss *= 1.0 - s
        score = 1.0 - miss

        # Fit and factors.
        if countries is not None:
            reasons.append(("country", notice.country, self._region_of(spec, notice.country)))
        if spec.value_min is not None or spec.value_max is not None:
            value = to_eur(notice.value_amount, notice.value_currency)
            if notice.value_amount is None:
                score *= VALUE_UNKNOWN
                reasons.append(("value", "unknown", None, VALUE_UNKNOWN))
            elif value is None:
                reasons.append(("value", "not_comparable", None, 1.0))
            elif (spec.value_min is not None and value < float(spec.value_min)) or (
                spec.value_max is not None and value > float(spec.value_max)
            ):
                score *= VALUE_OUTSIDE
                below = spec.value_min is not None and value < float(spec.value_min)
                reasons.append(("value", "below" if below else "above", round(value), VALUE_OUTSIDE))
            else:
                reasons.append(("value", "in_range", round(value), 1.0))
        if notice.status == "cancelled":
            score *= CANCELLED
            reasons.append(("status", "cancelled", CANCELLED))
        if notice.deadline and notice.notice_type == "competition" and notice.status != "cancelled":
            days = (notice.deadline - self.now).total_seconds() / 86400
            if days < 0:
                score *= DEADLINE_PASSED
                reasons.append(("deadline", "passed", 0, DEADLINE_PASSED))
            elif days < SOON_DAYS:
                score *= DEADLINE_SOON
                reasons.append(("deadline", "soon", int(days), DEADLINE_SOON))
        score = round(score, 4)
        return Result(i, notice, score, [_explain(r) for r in reasons])

    @staticmethod
    def _region_of(spec: WatchSpec, country: str) -> str | None:
        if country in spec.countries:
            return None
        for code in spec.countries:
            if code in regions.REGIONS and country in regions.REGIONS[code][1]:
                return code
        return None


def _explain(reason: tuple) -> dict[str, Any]:
    kind = reason[0]
    if kind == "cpv":
        _, relation, code, notice_code, s = reason
        return {"kind": "cpv", "relation": relation, "watch_code": code, "notice_code": notice_code, "weight": s}
    if kind == "keyword":
        return {"kind": "keyword", "keyword": reason[1], "where": reason[2]}
    if kind == "label":
        _, code, lang, label, where = reason
        return {"kind": "label", "watch_code": code, "language": lang, "label": label, "where": where}
    if kind == "sector":
        return {"kind": "sector", "sectors": reason[1]}
    if kind == "country":
        return {"kind": "country", "country": reason[1], "region": reason[2]}
    if kind == "value":
        return {"kind": "value", "status": reason[1], "value_eur": reason[2], "factor": reason[3]}
    if kind == "status":
        return {"kind": "status", "status": reason[1], "factor": reason[2]}
    return {"kind": "deadline", "status": reason[1], "days": reason[2], "factor": reason[3]}
