"""The matcher: any number of watches compiled into indexes, so that each notice is read once and only the
watches it can match are scored (see engine.py for the signals)."""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.utils import timezone

from greenbridge.reference import regions
from greenbridge.reference.cpv import cpv_prefix
from greenbridge.reference.lexicon import Lexicon, cpv_lexicon
from greenbridge.reference.phrases import PhraseMatcher, WordMatcher, Words

from .facts import NoticeFacts
from .labels import (
    BagTerm,
    LabelTerm,
    LabelWordTerm,
    TranslationTerm,
    acronyms,
    bag_term,
    dictionary_forms,
    keyword_code_prefixes,
    label_terms,
    label_word_terms,
    near_prefixes,
    translation_term,
)
from .scoring import (
    CANCELLED,
    COVERED,
    DEADLINE_PASSED,
    DEADLINE_SOON,
    KEYWORD_BODY,
    KEYWORD_CODE,
    KEYWORD_EXTRA,
    KEYWORD_MAX,
    KEYWORD_TITLE,
    KEYWORD_WORDS,
    LABEL_BODY,
    LABEL_TITLE,
    LABEL_WORD,
    NEAR,
    SAME_DIVISION,
    SAME_GROUP,
    SECTOR_BONUS,
    SECTOR_ONLY,
    SIGNALS,
    SOON_DAYS,
    TRANSLATION_BODY,
    TRANSLATION_PARTIAL,
    TRANSLATION_TITLE,
    VALUE_OUTSIDE,
    VALUE_UNKNOWN,
    WEAK_LABEL,
    Matches,
    Result,
    cpv_reason,
    focused,
    relation,
)
from .spec import WatchSpec

_ANY = "*"
_LABEL, _RARE_WORD, _TRANSLATION, _BAG = range(4)
_KINDS = {LabelTerm: _LABEL, LabelWordTerm: _RARE_WORD, TranslationTerm: _TRANSLATION, BagTerm: _BAG}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Compiling ten thousand watches makes a million objects that live as long as the matcher, and no garbage:
    Python's cycle collector would walk all of them several times while they are made (a third of the compile
    time). It is paused meanwhile, and resumed as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _starts_a_word(words: list[str], stem: str) -> bool:
    """Whether a word of these (sorted) starts with this stem of three letters or more."""
    if len(stem) < 3:
        return False
    i = bisect_left(words, stem)
    return i < len(words) and words[i].startswith(stem)


class Matcher:
    """Compiled watches. `signals` switches signals off, to measure what each brings."""

    @_collector_paused()
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
        use_keyword_codes = use_keywords and "keyword_codes" in self.signals
        if (use_labels or use_cpv or use_keywords or "translations" in self.signals) and lexicon is None:
            lexicon = cpv_lexicon()
        self._lexicon = lexicon
        # Per watch, what scoring reads: (spec, countries or None, notice types, green sectors or None, minimum
        # score, codes, strong, (min, max) in EUR or None). Codes are (code, prefix, strength when covered,
        # class, group, division), the class and group only where they are coarser than the prefix. A watch
        # with a strong signal (CPV code, keyword, CPV label) needs one to match; a sector-only watch matches
        # on its sectors.
        self._watches: list[tuple] = []
        # (country or *, CPV division, group or class[, green sector]) -> watches
        self._cpv_index: dict[tuple[str, ...], list[int]] = {}
        self._keywords = PhraseMatcher()  # payload (watch, keyword index, is an exclusion)
        self._label_matchers: dict[str, WordMatcher] = {}  # language -> payload (term id, word)
        self._terms: list[LabelTerm | LabelWordTerm | TranslationTerm | BagTerm] = []
        self._term_kinds: list[int] = []  # _LABEL, _RARE_WORD, _TRANSLATION or _BAG per term
        self._reasons: dict[tuple, dict[str, Any]] = {}  # see _explain
        self._term_sizes: list[int] = []  # significant words per term
        self._term_rest: list[tuple] = []  # per term, its parts but the one looked up: ((word, is stem), ...) each
        self._term_watches: list[list[int]] = []
        term_ids: dict[tuple, int] = {}
        code_watches: dict[str, list[int]] = {}  # watch code -> the watches its label terms serve
        self._term_ids = term_ids
        # Keywords said in other languages (reference.lexicon): compiled for a language when the first notice in
        # it arrives, since most runs see a few languages of the 25. (watch, keyword index, words).
        self._translatable: list[tuple[int, int, Words, tuple[str, ...], frozenset[str]]] = []
        self._translation_matchers: dict[str, WordMatcher] = {}  # language -> payload (term id, word)
        self._bag_matcher = WordMatcher()  # keywords' words in any order: payload (term id, word)
        self._compiled_languages: set[str] = set()
        self._translation_cache: dict[tuple[Words, str, frozenset[str]], TranslationTerm | None] = {}
        # Codes whose label says a keyword ("contoare de apă" -> Water meters): (country or *, code prefix) ->
        # [(watch, keyword index)].
        self._keyword_codes: dict[tuple[str, str], list[tuple[int, int]]] = {}
        # Codes in other branches that say much the same as a watch code (reference.lexicon.near_codes): (country or
        # *, code prefix) -> [(watch, watch code)].
        self._near_codes: dict[tuple[str, str], list[tuple[int, str]]] = {}
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
            # score, else under its class (a shared green sector never lifts a shared group to a match): no
            # candidate that cannot match.
            group_matches = spec.min_score <= SAME_GROUP
            # Branches the watch's own codes cover need neither near codes nor keyword codes: their relation is
            # at least as strong.
            covered = tuple(c[1] for c in codes if len(c[1]) >= 3)
            near = {}
            if use_cpv and spec.min_score <= NEAR:
                near = {c[0]: [p for p in near_prefixes(c[0], lexicon) if not p.startswith(covered)] for c in codes}
            plain = countries is None and not spec.notice_types and limits is None
            for country in countries or (_ANY,):
                for code in codes:
                    key = code[1][: 3 if group_matches else 4]
                    if plain:
                        bulk.setdefault(key, {}).setdefault(code, []).append(i)
                    else:
                        self._cpv_index.setdefault((country, key), []).append(i)
                    for prefix in near.get(code[0], ()):
                        self._near_codes.setdefault((country, prefix), []).append((i, code[0]))
            if use_keywords:
                for k, words in enumerate(spec.keyword_words):
                    self._keywords.add(words, (i, k, False))
                    keep, forms = acronyms(spec.keywords[k]), dictionary_forms(spec.keywords[k])
                    if "keyword_words" in self.signals and (bag := bag_term(words, lexicon, keep)) is not None:
                        self._add_term(("bag", words, keep), bag, self._bag_matcher, i)
                    if "translations" in self.signals:
                        self._translatable.append((i, k, words, forms, keep))
                    for prefix in keyword_code_prefixes(forms, lexicon, keep) if use_keyword_codes else ():
                        if covered and prefix.startswith(covered):
                            continue
                        for country in countries or (_ANY,):
                            self._keyword_codes.setdefault((country, prefix), []).append((i, k))
            for k, words in enumerate(spec.exclude_words):
                self._keywords.add(words, (i, k, True))
            has_label_terms = False
            for code, prefix in prefixes if use_labels else ():
                if len(prefix) < 3:
                    continue  # a division's label ("Construction work") says too little
                # The terms of a code's labels (every language) serve the same watches: one list, compiled once.
                watches = code_watches.get(code)
                if watches is None:
                    watches = code_watches[code] = []
                    for term in label_terms(code, lexicon):
                        matcher = self._label_matchers.setdefault(term.language, WordMatcher())
                        self._new_term((code, term.language), term, matcher, watches)
                    for term in label_word_terms(code, lexicon):
                        matcher = self._label_matchers.setdefault(term.language, WordMatcher())
                        self._new_term(("word", code, term.language, term.word), term, matcher, watches)
                if not watches or watches[-1] != i:
                    watches.append(i)
                has_label_terms = has_label_terms or bool(label_terms(code, lexicon))
            strong = bool(codes or (use_keywords and spec.keywords) or has_label_terms)
            if spec.green_sectors and use_sectors and not strong:
                for sector in spec.green_sectors:
                    self._sector_only.setdefault(sector, []).append(i)
            sectors = frozenset(spec.green_sectors) if spec.green_sectors and use_sectors else None
            if sectors:
                self._with_sectors.add(i)
            self._min_scores.append(spec.min_score)
            self._watches.append((spec, countries, spec.notice_types, sectors, spec.min_score, codes, strong, limits))
        self._bulk_index = {
            key: [(code, frozenset(ids)) for code, ids in by_code.items()] for key, by_code in bulk.items()
        }
        # The plain watches by minimum score, the highest first: a group's score leaves out those above it.
        by_min: dict[float, set[int]] = {}
        for by_code in bulk.values():
            for ids in by_code.values():
                for i in ids:
                    by_min.setdefault(self._min_scores[i], set()).add(i)
        self._bulk_min_scores = sorted(((v, frozenset(ids)) for v, ids in by_min.items()), reverse=True)

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

    def _add_term(self, key: tuple, term: LabelTerm | TranslationTerm | BagTerm, matcher: WordMatcher, watch: int):
        """A term (shared by the watches with the same key) and the watch it serves."""
        term_id = self._term_ids.get(key)
        if term_id is None:
            term_id = self._new_term(key, term, matcher, [])
        watches = self._term_watches[term_id]
        if not watches or watches[-1] != watch:
            watches.append(watch)

    def _new_term(self, key: tuple, term: Any, matcher: WordMatcher, watches: list[int]) -> int:
        """Compile a term into its language's matcher; `watches` is the list of the watches it serves (the terms
        of one code's labels share one)."""
        term_id = self._term_ids[key] = len(self._terms)
        self._terms.append(term)
        self._term_kinds.append(_KINDS[type(term)])
        # Each part: its ways of being said, each one word, whole or a stem.
        slots = [
            [(way[0][0], way[0][1]) for way in (ways if not isinstance(term, LabelTerm) else (ways,))]
            for ways in (term.words if isinstance(term, LabelTerm) else term.slots)
        ]
        self._term_sizes.append(len(slots))
        self._term_watches.append(watches)
        # Only the part least likely to be in a text (its shortest way longest) is looked up; the others are
        # checked in the notice's words once it is found. Most terms never get that far.
        anchor = max(range(len(slots)), key=lambda n: min(len(w) for w, _ in slots[n]))
        self._term_rest.append(tuple(tuple(slot) for n, slot in enumerate(slots) if n != anchor))
        for word, is_stem in slots[anchor]:
            matcher.add(word, is_stem, term_id)
        return term_id

    @_collector_paused()
    def _compile_translations(self, language: str) -> None:
        """The watches' keywords said in this language, added to its term matcher (once per language)."""
        self._compiled_languages.add(language)
        lexicon = self._lexicon
        if lexicon is None or language not in lexicon.languages:
            return
        cache = self._translation_cache
        for i, _, words, forms, keep in self._translatable:
            key = (words, language, keep)
            if key not in cache:
                cache[key] = translation_term(words, forms, language, lexicon, keep)
            term = cache[key]
            if term is not None:
                self._add_term(key, term, self._translation_matchers.setdefault(language, WordMatcher()), i)

    def _label_hits(self, notice: NoticeFacts) -> dict[int, list[tuple[int, str]]]:
        """watch -> [(term id, where every word of the term was found: title when all are in it)], for the
        labels of its codes and its keywords said in the notice's languages."""
        found: dict[int, list[tuple[int, str]]] = {}
        matchers = [m for lang in notice.languages if (m := self._label_matchers.get(lang)) is not None]
        if self._bag_matcher.size:
            matchers.append(self._bag_matcher)
        if self._translatable:
            # Keywords are also looked for in English: notices in every language use English terms ("software",
            # "scanner", "smart city").
            for lang in dict.fromkeys([*notice.languages, "en"]):
                if lang not in self._compiled_languages:
                    self._compile_translations(lang)
                if (m := self._translation_matchers.get(lang)) is not None:
                    matchers.append(m)
        if not matchers:
            return found
        # Terms are made of one-word parts: each distinct word is enough, the title's first.
        title = [w for w in dict.fromkeys(notice.title_parts[::2]) if w]
        in_title = set(title)
        body = [w for w in dict.fromkeys(notice.body_parts[::2]) if w and w not in in_title]
        # The title's words, then the rest, sorted: a part of a term not looked up that is a word's start is found
        # by bisection (sorted when first needed: most notices find no term with more than one part).
        title_sorted: list[str] | None = None
        body_sorted: list[str] = []
        in_body = set(body)
        sizes, kinds, rests = self._term_sizes, self._term_kinds, self._term_rest
        term_watches = self._term_watches
        done: set[int] = set()
        for matcher in matchers:
            for where, words in (("title", title), ("description", body)):
                for term_id in matcher.find(words):
                    if term_id in done:
                        continue
                    done.add(term_id)
                    # How many of the term's parts are in the text (the one looked up is), and whether one is only
                    # in the description.
                    parts, in_body_only = 1, where == "description"
                    if rest := rests[term_id]:
                        if title_sorted is None:
                            title_sorted, body_sorted = sorted(title), sorted(body)
                        for ways in rest:
                            for word, is_stem in ways:
                                if _starts_a_word(title_sorted, word) if is_stem else (word in in_title):
                                    parts += 1
                                    break
                            else:
                                for word, is_stem in ways:
                                    if _starts_a_word(body_sorted, word) if is_stem else (word in in_body):
                                        parts += 1
                                        in_body_only = True
                                        break
                    size = sizes[term_id]
                    if parts < size:
                        # Two thirds of a keyword of three words or more said in another language, in the title.
                        if not (
                            size >= 3 and 3 * parts >= 2 * size and kinds[term_id] == _TRANSLATION and not in_body_only
                        ):
                            continue
                        found_where = "title-partial"
                    else:
                        found_where = "description" if in_body_only else "title"
                        if in_body_only and kinds[term_id] in (_BAG, _RARE_WORD):
                            continue  # a keyword's words scattered in a long text say little
                    hit = (term_id, found_where)  # one tuple for all its watches
                    for i in term_watches[term_id]:
                        hits = found.get(i)
                        if hits is None:
                            found[i] = [hit]
                        else:
                            hits.append(hit)
        return found

    @staticmethod
    def _prefix_hits(index: dict[tuple[str, str], list[tuple]], notice: NoticeFacts) -> dict[int, dict[Any, str]]:
        """watch -> {what it indexed (a keyword, a watch code): the notice code under the indexed prefix}. The index
        is keyed by whole prefixes: each prefix of the notice's codes is one look-up, and every entry a hit."""
        hits: dict[int, dict[Any, str]] = {}
        get = index.get
        for country in (notice.country, _ANY) if notice.country else (_ANY,):
            for prefix, nc in notice.prefixes.items():
                for i, what in get((country, prefix), ()):
                    found = hits.get(i)
                    if found is None:
                        hits[i] = {what: nc}
                    elif what not in found:
                        found[what] = nc
        return hits

    def candidates(self, notice: NoticeFacts) -> tuple[set[int], dict, set[int], dict, dict, dict]:
        cands: set[int] = set()
        for country in (notice.country, _ANY) if notice.country else (_ANY,):
            for code in notice.cpv:
                for key in ((country, code[:2]), (country, code[:3]), (country, code[:4])):
                    cands.update(self._cpv_index.get(key, ()))
        kw_hits, excluded = self._keyword_hits(notice)
        cands.update(kw_hits)
        label_hits = (
            self._label_hits(notice) if (self._label_matchers or self._translatable or self._bag_matcher.size) else {}
        )
        cands.update(label_hits)
        code_hits = self._prefix_hits(self._keyword_codes, notice) if self._keyword_codes else {}
        cands.update(code_hits)
        near_hits = self._prefix_hits(self._near_codes, notice) if self._near_codes else {}
        cands.update(near_hits)
        for sector in notice.sectors:
            cands.update(self._sector_only.get(sector, ()))
        return cands, kw_hits, excluded, label_hits, code_hits, near_hits

    def _bulk_matches(
        self, notice: NoticeFacts, relations: dict[str, tuple], claimed: set[int], cands: set[int], factors: tuple
    ) -> list[Matches]:
        """The plain watches this notice matches by a CPV relation alone, in groups with the same relation (and so
        the same score and reasons). Each code found in the bulk index is related once, and its watches go to
        their closest relation (the strongest first; a watch keeps the best of its codes). Watches in `claimed`
        (those with words found, or an exclusion) are left out: they go the long way; so are those with a green
        sector the notice has, added to `cands`."""
        found = []
        index = self._bulk_index
        for nc in notice.cpv:
            for key in (nc[:2], nc[:3], nc[:4]):
                found.extend(index.get(key, ()))
        if not found:
            return []
        # By strength, then watch code, then place found, the greatest first: plain tuples sort without a key.
        ranked = []
        get, prefixes, focus_of = relations.get, notice.prefixes, notice.focus
        for n, (code, ids) in enumerate(found):
            rel = get(code[0])
            if rel is None:
                rel = relations[code[0]] = relation(code, prefixes, focus_of)
            ranked.append((rel[0], rel[2], n, rel, ids))
        ranked.sort(reverse=True)
        notice_factor, factor_reasons, scores, reasons = factors
        with_sectors = self._with_sectors if notice.sectors else None
        by_min = self._bulk_min_scores  # not empty: a watch was found
        highest, lowest = by_min[0][0], by_min[-1][0]
        groups = []
        for strength, _, _, rel, ids in ranked:
            members = ids - claimed
            if not members:
                continue
            claimed |= members
            if with_sectors is not None and (own := members & with_sectors):
                cands |= own
                members -= own
            if (score := scores.get(strength)) is None:
                score = scores[strength] = round(strength * notice_factor, 4)
            if score < lowest:
                continue
            if score < highest:
                for min_score, above in by_min:
                    if min_score <= score:
                        break
                    members -= above
            if not members:
                continue
            if (reason := reasons.get(rel)) is None:
                reason = reasons[rel] = [cpv_reason(rel), *factor_reasons]
            groups.append(Matches(members, notice, score, reason))
        return groups

    def match(self, notice: NoticeFacts) -> list[Result]:
        """The watches this notice matches at or above their minimum score, with the reasons: a Result each."""
        return [Result(i, m.notice, m.score, m.explanation) for m in self.match_grouped(notice) for i in m.watches]

    def match_grouped(self, notice: NoticeFacts) -> list[Matches]:
        """The watches this notice matches at or above their minimum score, with the reasons, in groups of
        watches with the same score for the same reasons (what an alert run stores, a row per watch).

        The hot loop of an alert run (every candidate watch of every new notice), so written for speed.
        Plain watches that only a CPV relation can match (most of them) are scored in bulk, a group per
        relation; the others in one pass per candidate with local names. Reasons are built only for the
        watches that match."""
        cands, kw_hits, excluded, label_hits, code_hits, near_hits = self.candidates(notice)
        notice_factor, factor_reasons = self._notice_factors(notice)
        # A CPV-only match's score and reason depend on the relation alone: made once per notice.
        scores: dict[float, float] = {}
        reasons: dict[tuple, list[dict[str, Any]]] = {}
        # Watch code -> its relation to this notice (relation), worked out once for all the watches with it.
        relations: dict[str, tuple[float, str, str, str]] = {}
        results = (
            self._bulk_matches(
                notice, relations, cands | excluded, cands, (notice_factor, factor_reasons, scores, reasons)
            )
            if self._bulk_index
            else []
        )
        if not cands:
            return results
        cpv_reasons: dict[tuple, dict[str, Any]] = {}  # relation -> its reason, shared by the watches with it
        weighed_hits: dict[tuple, tuple] = {}  # label hits -> their strengths and kinds (below)
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

            # CPV: the closest relation of a watch code to the notice's codes (the first code wins a tie). A code
            # in none of the notice's divisions has none (most codes of the watches found by words alone).
            best = 0.0
            cpv = None
            for code in codes:
                if code[5] not in prefixes:
                    continue
                if (rel := relations.get(code[0])) is None:
                    rel = relations[code[0]] = relation(code, prefixes, notice.focus)
                if rel[0] > best:
                    best, cpv = rel[0], rel

            kw = kw_found = kw_hits.get(i) if kw_hits else None  # keyword index -> where
            labels = label_hits.get(i) if label_hits else None
            kw_codes = code_hits.get(i) if code_hits else None
            if near_hits and (near := near_hits.get(i)) and best < NEAR:
                # A notice code in another branch that says much the same as a watch code.
                watch_code, notice_code = next(iter(near.items()))
                cpv = focused(NEAR, "near", watch_code, notice_code, notice.focus)
                best = cpv[0]
            if not (kw or labels or kw_codes or limits or countries or (sectors and notice_sectors)):
                # Nothing but the CPV relation to weigh (a watch with notice types only): as in bulk.
                if best > SAME_DIVISION:
                    if (score := scores.get(best)) is None:
                        score = scores[best] = round(best * notice_factor, 4)
                    if score >= min_score:
                        if (reason := reasons.get(cpv)) is None:
                            reason = reasons[cpv] = [cpv_reason(cpv), *factor_reasons]
                        results.append(Matches((i,), notice, score, reason))  # the reason shared: never changed
                continue

            # Keywords: the best place each was found, the strongest first.
            kw_strength = 0.0
            if kw:
                kw = sorted(kw.items(), key=lambda item: (item[1] != "title", item[0]))
                first = KEYWORD_TITLE if kw[0][1] == "title" else KEYWORD_BODY
                kw_strength = min(KEYWORD_MAX, first + KEYWORD_EXTRA * (len(kw) - 1))

            # CPV labels, keywords said in the notice's languages, keywords' words in any order in the title.
            label_strength = translation_strength = bag_strength = 0.0
            translations = bags = None
            if labels:
                # What the hits weigh depends on the hits alone (but for a keyword's words, on the watch's keywords
                # found): watches with the same hits share it.
                key = None if kw_found else tuple(labels)
                if key is not None and (weighed := weighed_hits.get(key)) is not None:
                    label_strength, translation_strength, bag_strength, labels, translations, bags = weighed
                else:
                    terms = self._terms
                    complete, translations, bags, rare = [], [], [], []
                    kinds = self._term_kinds
                    # Where they were found, noted on the way (no second pass over the hits).
                    label_in_title = translation_in_title = translation_whole = False
                    share = 0.0
                    for hit in labels:
                        kind = kinds[hit[0]]
                        if kind == _TRANSLATION:
                            translations.append(hit)
                            if hit[1] == "title":
                                translation_in_title = True
                            if hit[1] != "title-partial":
                                translation_whole = True
                        elif kind == _RARE_WORD:
                            rare.append(hit)
                        elif kind == _BAG:
                            if not kw_found or spec.keyword_words.index(terms[hit[0]].keyword) not in kw_found:
                                bags.append(hit)
                        else:
                            complete.append(hit)
                            if hit[1] == "title":
                                label_in_title = True
                            if (term_share := terms[hit[0]].share) > share:
                                share = term_share
                    if translations:
                        translation_strength = TRANSLATION_TITLE if translation_in_title else TRANSLATION_BODY
                        if not translation_whole:
                            translation_strength = TRANSLATION_PARTIAL
                    if bags:
                        bag_strength = KEYWORD_WORDS
                    if complete:
                        label_strength = LABEL_TITLE if label_in_title else LABEL_BODY
                        # A label mostly of common words ("Services de gestion de documents") is a weak sign: it adds
                        # to other evidence but does not make a match alone.
                        label_strength = label_strength * (0.5 + 0.5 * share) if share >= 0.5 else WEAK_LABEL
                    elif rare:
                        label_strength = LABEL_WORD
                    labels = complete or rare
                    if key is not None:
                        weighed = (label_strength, translation_strength, bag_strength, labels, translations, bags)
                        weighed_hits[key] = weighed

            # A keyword that is what a notice code's label says counts like a code of the watch (not twice).
            if kw_codes and best < KEYWORD_CODE:
                best, cpv = KEYWORD_CODE, None

            sector_hit = sorted(sectors & notice_sectors) if sectors and notice_sectors else None
            words_strength = kw_strength or label_strength or translation_strength or bag_strength
            if sector_hit and strong and best <= SAME_GROUP and not words_strength:
                sector_hit = None  # a shared sector does not make a match of a group or division shared alone
            if not (best > SAME_DIVISION or words_strength or (sector_hit and not strong)):
                continue
            miss = (1.0 - best) * (1.0 - kw_strength) * (1.0 - label_strength) * (1.0 - translation_strength)
            miss *= 1.0 - bag_strength
            if sector_hit:
                miss *= 1.0 - (SECTOR_BONUS if strong else SECTOR_ONLY)

            factor = notice_factor
            value_reason = None
            if limits is not None:
                value_reason, value_factor = self._value_fit(notice, *limits)
                factor *= value_factor
            score = round((1.0 - miss) * factor, 4)
            if score >= min_score:
                cpv_why = None
                if cpv is not None and (cpv_why := cpv_reasons.get(cpv)) is None:
                    cpv_why = cpv_reasons[cpv] = cpv_reason(cpv)
                why = (cpv_why, kw, labels, translations, bags, kw_codes, sector_hit, countries is not None)
                why += (value_reason,)
                results.append(Matches((i,), notice, score, self._explain(spec, notice, *why, factor_reasons)))
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
                    {
                        "kind": "deadline",
                        "status": "soon",
                        "days": int(days),
                        "deadline": notice.deadline.isoformat(),  # the days are counted again when shown
                        "factor": DEADLINE_SOON,
                    }
                ]
        return 1.0, []

    def _explain(
        self,
        spec: WatchSpec,
        notice: NoticeFacts,
        cpv: dict[str, Any] | None,
        keywords: list[tuple[int, str]] | None,
        labels: list[tuple[int, str]] | None,
        translations: list[tuple[int, str]] | None,
        bags: list[tuple[int, str]] | None,
        keyword_codes: dict[int, str] | None,
        sectors: list[str] | None,
        by_country: bool,
        value_reason: dict[str, Any] | None,
        factor_reasons: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """The reasons of a match; `cpv` is the reason of its CPV relation (cpv_reason), if any."""
        explanation: list[dict[str, Any]] = [cpv] if cpv else []
        cache = self._reasons  # reasons that depend on a term (and where it was found) only: made once per run
        if keyword_codes and not cpv:
            for k, notice_code in sorted(keyword_codes.items()):
                explanation.append({"kind": "keyword_code", "keyword": spec.keywords[k], "notice_code": notice_code})
        for k, where in keywords or ():
            key = (spec.keywords[k], where)
            if (reason := cache.get(key)) is None:
                reason = cache[key] = {"kind": "keyword", "keyword": spec.keywords[k], "where": where}
            explanation.append(reason)
        for t, where in (*(bags or ()), *(translations or ())) if bags or translations else ():
            # The keyword as the watch writes it is one of its keywords: they make the key.
            key = (t, where, spec.keywords)
            if (reason := cache.get(key)) is None:
                term = self._terms[t]
                text = spec.keywords[spec.keyword_words.index(term.keyword)]
                if type(term) is BagTerm:
                    reason = {"kind": "keyword_words", "keyword": text, "where": "title"}
                else:
                    reason = {"kind": "translation", "keyword": text, "language": term.language}
                    reason |= {"words": list(term.shown), "where": where}
                cache[key] = reason
            explanation.append(reason)
        if labels:
            if len(labels) > 1:  # in the watch's code order
                labels = sorted(labels, key=lambda hit: spec.cpv_codes.index(self._terms[hit[0]].code))
            for t, where in labels:
                if (reason := cache.get((t, where))) is None:
                    term = self._terms[t]
                    reason = {"kind": "label", "watch_code": term.code, "language": term.language, "label": term.label}
                    if type(term) is LabelWordTerm:
                        reason["word"] = term.word
                    elif term.shown:
                        reason["words"] = list(term.shown)
                    reason = cache[(t, where)] = reason | {"where": where}
                explanation.append(reason)
        if sectors:
            explanation.append({"kind": "sector", "sectors": sectors})
        if by_country:
            key = ("country", spec.countries, notice.country)
            if (reason := cache.get(key)) is None:
                region = self._region_of(spec, notice.country)
                reason = cache[key] = {"kind": "country", "country": notice.country, "region": region}
            explanation.append(reason)
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
