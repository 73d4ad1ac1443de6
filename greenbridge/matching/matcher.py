"""The matcher: any number of watches compiled into indexes, so that each notice is read once and only the
watches it can match are scored (see engine.py for the signals)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from greenbridge.reference import regions
from greenbridge.reference.cpv import cpv_prefix
from greenbridge.reference.lexicon import Lexicon, cpv_lexicon
from greenbridge.reference.phrases import PhraseMatcher

from .facts import NoticeFacts
from .labels import LabelTerm, label_terms
from .scoring import (
    CANCELLED,
    COVERED,
    DEADLINE_PASSED,
    DEADLINE_SOON,
    KEYWORD_BODY,
    KEYWORD_EXTRA,
    KEYWORD_MAX,
    KEYWORD_TITLE,
    LABEL_BODY,
    LABEL_TITLE,
    SAME_DIVISION,
    SAME_GROUP,
    SECTOR_BONUS,
    SECTOR_ONLY,
    SIGNALS,
    SOON_DAYS,
    VALUE_OUTSIDE,
    VALUE_UNKNOWN,
    Result,
    cpv_reason,
    relation,
)
from .spec import WatchSpec

_ANY = "*"


class Matcher:
    """Compiled watches. `signals` switches signals off, to measure what each brings."""

    def __init__(
        self,
        specs: Sequence[WatchSpec],
        *,
        signals: Iterable[str] = SIGNALS,
        now: datetime | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.specs = list(specs)
        self.signals = frozenset(signals)
        self.now = now or timezone.now()
        use_cpv = "cpv" in self.signals
        use_labels = "labels" in self.signals
        use_keywords = "keywords" in self.signals
        use_sectors = "sectors" in self.signals
        if use_labels and lexicon is None:
            lexicon = cpv_lexicon()
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
                for term in label_terms(code, lexicon):
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
                rel = relations[code[0]] = relation(code, notice.prefixes)
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
        # Watch code -> its relation to this notice (relation), worked out once for all the watches with it.
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
                        reason = reasons[rel] = [cpv_reason(rel), *factor_reasons]
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
                    rel = relations[code[0]] = relation(code, prefixes)
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
                            reason = reasons[cpv] = [cpv_reason(cpv), *factor_reasons]
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
        explanation: list[dict[str, Any]] = [cpv_reason(cpv)] if cpv else []
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
