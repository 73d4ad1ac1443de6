"""The CPV vocabulary as a multilingual lexicon: what a word means in codes, and how it is said in other
languages.

CPV's 9,454 labels exist in the 24 EU languages (and Ukrainian, as Prozorro's ДК021): a parallel text in
which every label says the same thing in every language. Two uses, for search and for matching:

- **A word's codes** (`codes_of`): the codes whose label, in any language, has a word that starts with it
  ("solar" -> Solar panels, Solar photovoltaic modules, …; "апă" is the same word folded). Words of three
  letters or fewer must be whole label words ("apă" is water, not the start of "aparate"). A word found in
  more than `GENERIC_CODES` labels ("services", "lucrări") means too little to stand for codes. And the codes
  whose labels say the word's translations in most of the languages it has them in (`CONSENSUS`): German
  "Abwasser" also means Sewage plant equipment, labelled "Kläranlage" in German but "sewage", "eaux usées",
  "ścieków" in 17 of the 23 other languages.
- **A word's translations** (`translations`): the labels that have the word, read in another language,
  share its translation more than any other word. For each language, the word stem (a prefix that survives
  inflection, `stem`) that most of those labels have and few others do, scored with the Dice coefficient
  2·|both| / (|with the word| + |with the stem|): "éclairage" -> lighting (EN 0.77), iluminat* (RO), освітлен*
  (UK), alumbrado (ES). A translation must reach `MIN_DICE` and be seen in at least two labels (or in every
  label of a rarer word), so chance co-occurrence in one label never counts. A search (`strict`) asks more, as it
  finds every notice that says one of a word's translations, whatever else it says: a word in a single label has
  none (each word of that label scores alike: "Київ" is also the plural of a billiard cue), one in fewer than
  `RARE_BELOW` labels needs `RARE_DICE`. A watch weighs a translation with its codes and other words, and keeps
  them (on the judged matching set, nDCG@10 0.805 with them, 0.784 without; the judged search set's P@10 0.495
  with, 0.521 without).

Everything is folded (reference.text.fold) and built once per process from the database's labels.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import threading
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, pairwise

from .text import fold

logger = logging.getLogger(__name__)

_WORD_RE = re.compile(r"\w+")
# A label that leaves something out ("Transport services (excl. Waste transport)", "Office equipment except
# furniture": 24 codes, told by their English label) does not mean the words after the exclusion: "waste" must not
# stand for every transport code. Each language's word for it; the labels of the languages that put it after what
# is excluded (Finnish "… lukuun ottamatta", Hungarian "… kivételével", Estonian "v.a") are left out for these codes.
EXCLUDING = re.compile(r"(?<!\w)(?:except|excl\.|excluding)(?!\w)", re.IGNORECASE)
EXCLUSION_MARKERS = {
    "en": r"except|excl\.|excluding",
    "bg": r"с изключение|без|различни от",
    "cs": r"kromě|mimo|s výjimkou",
    "da": r"undtagen|ekskl\.|herunder ikke",
    "de": r"außer|ausgenommen|exkl\.|ohne",
    "el": r"εκτός|εξαιρουμέν\w*",
    "es": r"excepto|salvo|excluid\w*",
    "fr": r"excepté\w*|à l.exception|à l.exclusion|sauf|hors",
    "hr": r"osim|isključujući",
    "it": r"esclus\w*|tranne|eccetto",
    "lt": r"išskyrus",
    "lv": r"izņemot",
    "mt": r"apparti|minbarra|ħlief|għajr",
    "nl": r"met uitzondering|uitgez\.|uitg\.|uitgezonderd|behalve",
    "pl": r"z wyjątkiem|z wyłączeniem|oprócz",
    "pt": r"excepto|exceto|com exceção|excl\.",
    "ro": r"cu excepția|cu excepţia|exclusiv|altele decât",
    "sk": r"okrem|s výnimkou",
    "sl": r"razen|brez",
    "sv": r"utom|exkl\.",
    "uk": r"крім|окрім",
}
# Words of a marker are apart by any space (the labels use no-break spaces: "z\u00a0wyjątkiem").
_SPACE = r"\s+"
_EXCLUSION = {
    language: re.compile(r"(?<!\w)(?:" + words.replace(" ", _SPACE) + r")(?!\w)", re.IGNORECASE)
    for language, words in EXCLUSION_MARKERS.items()
}


def without_exclusion(labels: Mapping[str, str]) -> dict[str, str]:
    """A code's labels without what they exclude (see EXCLUDING): each cut where its language says "except"."""
    if not EXCLUDING.search(labels.get("en", "")):
        return dict(labels)
    out = {}
    for language, text in labels.items():
        marker = _EXCLUSION.get(language)
        found = marker.search(text) if marker else None
        if not found:
            continue
        start = found.start()
        opened = text.rfind("(", 0, start)
        closed = text.find(")", start)
        if opened > text.rfind(")", 0, start) and closed != -1:  # "appliances (excl. lighting) and cleaning products"
            out[language] = text[:opened].rstrip() + " " + text[closed + 1 :].lstrip()
        elif not text[found.end() :].strip(" .,;)"):
            continue  # the word after what it excludes ("Vie d'acqua, canali esclusi"): left out, as fi, hu, et
        else:
            out[language] = text[:start].rstrip(" ,(")
    return out


# Irish labels are copies of the English ones: they would only double English.
SKIP_LANGUAGES = frozenset({"ga"})
SHORT_WORD = 3  # words this long or shorter must be whole words
GENERIC_CODES = 400  # a word in more labels than this stands for no codes
GENERIC_DF = 100  # a word in more labels of one language than this is not significant in a label
# Divisions a short stop word must be used in to count as a function word: 3 letters or fewer, and 4 letters
# (where stop-word lists also hold content words such as "fire", "test" or "site").
FUNCTION_SPREAD, FUNCTION_SPREAD_4 = 5, 12
PHRASE_CODES = 40  # a phrase in more labels than this is too broad to stand for codes
NEAR_LANGUAGE, NEAR_JACCARD = "en", 0.5  # near codes: by their English labels, half of the words shared
MIN_DICE = 0.4
# A word in fewer labels than this needs a translation with a Dice of RARE_DICE: in a handful of labels, words that
# merely stand beside it score about as well as its translation (водопостачання: "consulting" 0.5, "provvista" 0.5;
# vandforsyning 0.86).
RARE_BELOW, RARE_DICE = 20, 0.6
MIN_PHRASE_CODES = 2  # a phrase's translations are read from at least so many labels
PHRASE_SHARE = 2 / 3  # of a phrase's labels in a language that must have a word for it to be part of the phrase
PHRASE_NARROW = 0.6  # of the labels saying a shorter translation of a phrase that must be the phrase's
PHRASE_PREFIX = 7  # a word of a phrase's translation this long is searched as its stem, a shorter one whole
MAX_TRANSLATIONS = 2  # per language
# A second translation must be said without the first in this share of its labels: otherwise it is the word beside
# it ("public" in "éclairage public", for "освітлення"), not a synonym ("illumination" beside "lighting").
COLLOCATE = 1 / 3
# A language whose labels have the word itself in this share of the word's codes says it that way: no
# translation into it ("gas" is Spanish and Italian too).
OWN_LANGUAGE = 0.3
# A code means what a word means when its labels say the word's translation in at least this share of the languages
# the word is translated into (and at least MIN_CONSENSUS): "Abwasser" -> Sewage plant equipment, whose German label
# says "Kläranlage" but 17 of its 23 others "sewage", "eaux usées", "ścieków"… A wrong translation is one language's.
CONSENSUS = 0.5
MIN_CONSENSUS = 3


def stem(word: str) -> str:
    """A prefix of a folded word that survives inflection ("матеріали" -> "матеріа", "solaires" -> "solair"):
    words of 7 letters or more lose two, of 6 letters one, shorter ones none (a prefix of 4 letters says too
    little: "sola…" is not only solar)."""
    if len(word) >= 7:
        return word[:-2]
    if len(word) == 6:
        return word[:-1]
    return word


def _phrase_word(word: str) -> tuple[str, bool]:
    """A word of a phrase's translation as searched: (text, whether a prefix). A long word stands for its
    inflections (its stem); a word of six letters or fewer is searched whole ("solari" is not "SolarWinds")."""
    return (stem(word), True) if len(word) >= PHRASE_PREFIX else (word, False)


def words_of(text: str) -> list[str]:
    """The distinct folded words of a text that can carry meaning: 2+ letters, not a number."""
    return [w for w in dict.fromkeys(_WORD_RE.findall(fold(text))) if len(w) >= 2 and not w.isdigit()]


def _function_words(language: str, index: _Words, codes: list[str]) -> frozenset[str]:
    """The function words of a language's labels: short words (4 letters or fewer) of the stop-word list of
    stopwords-iso that the labels use across many CPV divisions (so that a short content word a stop-word list
    happens to hold, such as "fire" or "bill", is kept when the labels use it in a few lines of work only).
    Not significant even where a language's labels use them less than `GENERIC_DF` times ("dos", "das")."""
    import stopwordsiso

    listed = stopwordsiso.stopwords(language) if stopwordsiso.has_lang(language) else set()
    short = {fold(w) for w in listed if len(w) <= 4}
    return frozenset(
        w
        for w in short
        if w in index.codes
        and len({codes[i][:2] for i in index.codes[w]}) >= (FUNCTION_SPREAD if len(w) <= 3 else FUNCTION_SPREAD_4)
    )


def _common_length(a: str, b: str) -> int:
    """How many letters two words share at their start."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


@dataclass(frozen=True, slots=True)
class Translation:
    language: str
    text: str  # a whole word, or a prefix of the words it stands for
    prefix: bool
    word: str  # the label word it was read from (the commonest one), to show
    dice: float


@dataclass(frozen=True, slots=True)
class PhraseTranslation:
    language: str
    words: tuple[tuple[str, bool], ...]  # each word as searched: (text, whether a prefix)
    word: str  # the label's words, to show


class _Words:
    """One language's label words: word -> the codes (as indexes) whose label has it, and the words in order
    for prefix look-ups."""

    __slots__ = ("codes", "sorted")

    def __init__(self) -> None:
        self.codes: dict[str, list[int]] = {}
        self.sorted: list[str] = []

    def matching(self, word: str, *, prefix: bool) -> Iterable[str]:
        if not prefix:
            return (word,) if word in self.codes else ()
        words = self.sorted
        i = bisect_left(words, word)
        out = []
        while i < len(words) and words[i].startswith(word):
            out.append(words[i])
            i += 1
        return out

    def codes_with(self, word: str, *, prefix: bool) -> set[int]:
        found: set[int] = set()
        for w in self.matching(word, prefix=prefix):
            found.update(self.codes[w])
        return found


class Lexicon:
    """CPV labels by code and language ({"09331200": {"en": "Solar photovoltaic modules", …}})."""

    def __init__(self, labels: Mapping[str, Mapping[str, str]]):
        self.codes: list[str] = sorted(labels)
        self._index = {code: i for i, code in enumerate(self.codes)}
        self._labels = labels
        self._languages: dict[str, _Words] = {}
        # Per code and language, the label's folded words (2+ letters, no numbers).
        self._label_words: list[dict[str, tuple[str, ...]]] = [{} for _ in self.codes]
        self._long_words_by_language: dict[str, list[tuple[str, ...]]] = {}
        by_language: dict[str, list[tuple[int, str]]] = {}
        for i, code in enumerate(self.codes):
            for language, text in without_exclusion(labels[code]).items():
                if text and language not in SKIP_LANGUAGES:
                    by_language.setdefault(language, []).append((i, text))
        findall = _WORD_RE.findall
        for language, texts in by_language.items():
            index = self._languages[language] = _Words()
            codes = index.codes
            # One fold per language: the labels joined by newlines, which folding keeps.
            folded = fold("\n".join(text.replace("\n", " ") for _, text in texts)).split("\n")
            for (i, _), text in zip(texts, folded, strict=True):
                words = tuple(w for w in dict.fromkeys(findall(text)) if len(w) >= 2 and not w.isdigit())
                self._label_words[i][language] = words
                for w in words:
                    found = codes.get(w)
                    if found is None:
                        codes[w] = [i]
                    else:
                        found.append(i)
        for index in self._languages.values():
            index.sorted = sorted(index.codes)
        self._function_words = {
            language: _function_words(language, index, self.codes) for language, index in self._languages.items()
        }
        self._any_function_word = frozenset().union(*self._function_words.values())
        self._generic = {
            language: frozenset(w for w, found in index.codes.items() if len(found) > GENERIC_DF)
            | self._function_words[language]
            for language, index in self._languages.items()
        }

    def label_frequency(self, word: str, language: str, *, prefix: bool = False) -> int:
        """In how many labels of this language the folded word is (or a word starting with it)."""
        if language not in self._languages:
            return 0
        return self._frequency(language, word, prefix)

    def is_function_word(self, word: str) -> bool:
        """A short word that only joins others ("dos", "for", "для") in any language of the labels."""
        return word in self._any_function_word

    @property
    def languages(self) -> list[str]:
        return sorted(self._languages)

    def label(self, code: str, language: str) -> str:
        return self._labels.get(code, {}).get(language, "")

    def label_words(self, code: str, language: str) -> tuple[str, ...]:
        """The distinct folded words of a code's label in this language (2+ letters, no numbers), as `words_of`."""
        i = self._index.get(code)
        return self._label_words[i].get(language, ()) if i is not None else ()

    def significant_words(self, code: str, language: str) -> list[str]:
        """The folded words of a label that say something: 3+ letters, not generic in that language."""
        i = self._index.get(code)
        if i is None:
            return []
        generic = self._generic.get(language, frozenset())
        return [w for w in self._label_words[i].get(language, ()) if len(w) >= 3 and w not in generic]

    # -- a word's codes --------------------------------------------------------------------------------------

    @functools.lru_cache(maxsize=262_144)  # noqa: B019
    def _frequency(self, language: str, text: str, prefix: bool) -> int:
        """In how many labels of this language a word (or a word starting with it) is."""
        return len(self._languages[language].codes_with(text, prefix=prefix))

    @functools.lru_cache(maxsize=65_536)  # noqa: B019
    def _code_indexes(self, word: str) -> frozenset[int]:
        prefix = len(word) > SHORT_WORD
        found: set[int] = set()
        for index in self._languages.values():
            found |= index.codes_with(word, prefix=prefix)
        return frozenset(found)

    @functools.lru_cache(maxsize=65_536)  # noqa: B019 (one lexicon per process)
    def _concept(self, word: str) -> frozenset[int]:
        found = self._code_indexes(word)
        return found if len(found) <= GENERIC_CODES else frozenset()

    @functools.lru_cache(maxsize=65_536)  # noqa: B019
    def _meaning(self, word: str) -> frozenset[int]:
        """The word's codes (`_concept`) and the codes whose labels say its translations (`translations`) in at
        least `CONSENSUS` of the languages it is translated into: the parallel labels agree on what it means."""
        concept = self._concept(word)
        translations = self.translations(word) if concept else ()
        languages = {t.language for t in translations}
        need = max(MIN_CONSENSUS, math.ceil(CONSENSUS * len(languages)))
        if len(languages) < need:
            return concept
        saying: dict[int, set[str]] = {}  # code -> the languages whose label says the translation
        for t in translations:
            for i in self._languages[t.language].codes_with(t.text, prefix=t.prefix):
                if i not in concept:
                    saying.setdefault(i, set()).add(t.language)
        meaning = concept | {i for i, said in saying.items() if len(said) >= need}
        return meaning if len(meaning) <= GENERIC_CODES else concept

    def codes_of(self, word: str) -> list[str]:
        """The codes whose label, in any language, has a word starting with this folded word (a whole word
        when it is short), and those whose labels say its translations in most languages (`CONSENSUS`); none
        for a word as common as "services"."""
        return [self.codes[i] for i in sorted(self._meaning(fold(word)))]

    def is_generic(self, word: str) -> bool:
        return len(self._code_indexes(fold(word))) > GENERIC_CODES

    def knows(self, word: str) -> bool:
        """Whether a label has this folded word (or a word starting with it), and it is not as common as
        "services": whether `codes_of` has any."""
        return bool(self._concept(fold(word)))

    @functools.lru_cache(maxsize=4096)  # noqa: B019
    def phrase_codes(self, words: tuple[str, ...], keep: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The codes whose label, in one language, has every word of a phrase (folded words): "contoare de
        apă" -> Water meters. Words of two letters are left out ("de", "of") unless kept (an acronym such as
        "PV" is the point of the phrase); words of five letters or more may start a label word ("contoare" ->
        "contoarelor"), shorter ones must be whole ("led" is not "ledger"). None when the phrase stands for
        more than `PHRASE_CODES` codes ("maintenance", "software development"): too broad to be a code."""
        words = tuple(w for w in words if w in keep or (len(w) > 2 and not self.is_function_word(w)))
        if not words:
            return ()
        found: set[int] = set()
        for index in self._languages.values():
            codes: set[int] | None = None
            for w in words:
                with_word = index.codes_with(stem(w) if len(w) >= 5 else w, prefix=len(w) >= 5)
                codes = with_word if codes is None else codes & with_word
                if not codes:
                    break
            found |= codes or set()
        if len(found) > PHRASE_CODES:
            return ()
        return tuple(self.codes[i] for i in sorted(found))

    @functools.lru_cache(maxsize=4096)  # noqa: B019
    def phrase_translations(self, words: tuple[str, ...]) -> tuple[PhraseTranslation, ...]:
        """How a phrase of folded words is said in each language of the labels, read from the labels of its codes
        (`phrase_codes`): the words that at least `PHRASE_SHARE` of those labels have in that language, e.g.
        "street lighting" -> "iluminação pública", "éclairage public", "вуличного освітлення" (word by word,
        "street" would be "ruas" and "lighting" "iluminação": no such notice says "ruas"). Only for a phrase of
        at least `MIN_PHRASE_CODES` codes (one label cannot tell the phrase from the rest of it), in no more words
        than the phrase; the languages whose words are the phrase's own are left out."""
        codes = [self._index[c] for c in self.phrase_codes(words)]
        if len(codes) < MIN_PHRASE_CODES:
            return ()
        code_set = set(codes)
        own = {stem(w) for w in words}
        out = []
        for language in self.languages:
            generic = self._generic[language]  # "parts" of "Parts of heat pumps" is not the phrase
            counts: Counter[str] = Counter()
            for i in codes:
                counts.update(w for w in self._label_words[i].get(language, ()) if len(w) >= 3 and w not in generic)
            common = [w for w, n in counts.items() if n >= PHRASE_SHARE * len(codes)]
            if not common or len(common) > len(words) or {stem(w) for w in common} == own:
                continue
            # In the order of a label that has them all, as it is shown.
            wanted = set(common)
            first = next((ws for i in codes if wanted <= set(ws := self._label_words[i].get(language, ()))), common)
            ordered = [w for w in first if w in wanted]
            searched = tuple(map(_phrase_word, ordered))
            # As a word's translations: the labels that say it in this language must be much the phrase's labels
            # (Dice), or it says more or less than the phrase ("lighting" alone for "éclairage public").
            index = self._languages[language]
            saying = set.intersection(*(index.codes_with(text, prefix=prefix) for text, prefix in searched))
            both = len(saying & code_set)
            if 2 * both / (len(codes) + len(saying)) < MIN_DICE:
                continue
            # Fewer words than the phrase: one word for two ("gadebelysning", "dricksvatten"), or one of the two
            # ("osvětlení" alone): the labels that say it must be mostly the phrase's.
            if len(searched) < len(words) and both < PHRASE_NARROW * len(saying):
                continue
            out.append(PhraseTranslation(language, searched, " ".join(ordered)))
        return tuple(out)

    @functools.lru_cache(maxsize=20_000)  # noqa: B019
    def near_codes(self, code: str) -> tuple[str, ...]:
        """Codes in other branches of the vocabulary that say much the same as this one: their English labels share
        at least two significant words (as stems) and half of the words of both ("Solar panels" and "Solar panel
        roof-covering work"; "Architectural design services" and "Organisation of architectural design
        contests"). Codes under this one's class, or above it, are left out: the hierarchy relates those."""
        i = self._index.get(code)
        if i is None:
            return ()
        mine = {stem(w) for w in self.significant_words(code, NEAR_LANGUAGE)}
        if len(mine) < 2:
            return ()
        index = self._languages.get(NEAR_LANGUAGE)
        if index is None:
            return ()
        counts: Counter[int] = Counter()
        for s in mine:
            for j in index.codes_with(s, prefix=len(s) > SHORT_WORD):
                counts[j] += 1
        prefix = code.rstrip("0")
        out = []
        for j, shared in counts.items():
            other = self.codes[j]
            if shared < 2 or other[:4] == code[:4] or prefix.startswith(other.rstrip("0")):
                continue
            theirs = {stem(w) for w in self.significant_words(other, NEAR_LANGUAGE)}
            if theirs and len(mine & theirs) / len(mine | theirs) >= NEAR_JACCARD:
                out.append(other)
        return tuple(sorted(out))

    # -- a word's translations -------------------------------------------------------------------------------

    def translations(
        self, word: str, languages: Iterable[str] | None = None, *, strict: bool = False
    ) -> tuple[Translation, ...]:
        """How this folded word is said in each language of the labels (or in these languages): at most
        `MAX_TRANSLATIONS` per language, best first; none for a word no label has, or a generic one. A
        translation is a whole word (4 letters or fewer) or a prefix that covers a word's inflections and
        derivations: of the prefixes of the label words (at least 5 letters and 60% of the word), the one with
        the best Dice wins, the longer on a tie. The word itself (and prefixes of it) is left out: it is
        searched anyway; so are the languages that use the word itself. `strict`: for a search (see above)."""
        word = fold(word)
        wanted = self._languages if languages is None else [lang for lang in languages if lang in self._languages]
        return tuple(t for language in wanted for t in self._translations_into(word, language, strict))

    @functools.lru_cache(maxsize=65_536)  # noqa: B019
    def says_itself(self, word: str, language: str) -> bool:
        """Whether this language's labels use the folded word itself for its meaning (no translation needed)."""
        concept = self._concept(word)
        index = self._languages.get(language)
        if not concept or index is None:
            return False
        own = index.codes_with(word, prefix=len(word) > SHORT_WORD) & concept
        return len(own) >= max(1, OWN_LANGUAGE * len(concept))

    def _long_words(self, language: str) -> list[tuple[str, ...]]:
        """Per code (as an index), the words of its label in this language longer than `SHORT_WORD`."""
        found = self._long_words_by_language.get(language)
        if found is None:
            found = self._long_words_by_language[language] = [
                tuple(w for w in words.get(language, ()) if len(w) >= SHORT_WORD) for words in self._label_words
            ]
        return found

    @functools.lru_cache(maxsize=65_536)  # noqa: B019
    def _translations_into(self, word: str, language: str, strict: bool = False) -> tuple[Translation, ...]:
        concept = self._concept(word)
        if len(concept) < (2 if strict else 1) or self.says_itself(word, language):
            return ()
        size = len(concept)
        min_dice = RARE_DICE if strict and size < RARE_BELOW else MIN_DICE
        least = max(2, math.ceil(min_dice / 2 * size)) if size > 1 else 1  # Dice >= min_dice needs as many
        in_language = self._languages[language].codes  # word -> the labels of this language with it
        # Words of these labels in this language, counted once per label.
        long_words = self._long_words(language)
        words: dict[str, int] = Counter(chain.from_iterable(map(long_words.__getitem__, concept)))
        # A candidate's labels are at most those of all the words sharing its first five letters: words whose
        # five letters are in fewer than `least` labels cannot give a candidate (most of them, in a big concept).
        groups: dict[str, int] = {}
        for w, n in words.items():
            groups[w[:5]] = groups.get(w[:5], 0) + n
        words = {w: n for w, n in words.items() if groups[w[:5]] >= least}
        ordered = sorted(words)
        # A prefix that starts no other word here has the labels of its word, and at least its frequency: it can
        # never do better than the word. Only the prefixes a word shares with its neighbours in order count.
        shared = dict.fromkeys(ordered, 0)
        for a, b in pairwise(ordered):
            n = _common_length(a, b)
            if n > shared[a]:
                shared[a] = n
            shared[b] = n
        counts: dict[str, int] = {}  # candidate (a word, or a prefix ending in "*") -> labels with it
        # A prefix's labels in the whole language are at least those of its most frequent word here.
        least_frequency: dict[str, int] = {}
        for w, n in words.items():
            counts[w] = n
            for length in range(max(5, math.ceil(0.6 * len(w))), min(len(w), shared[w] + 1)):
                p = w[:length]
                if p + "*" not in counts:
                    # Labels with a word starting with it: the counts of those words (a label with two such words,
                    # rare, counts twice; never more than all of them).
                    lo = bisect_left(ordered, p)
                    hi = bisect_left(ordered, p + "\uffff", lo)
                    span = ordered[lo:hi]
                    counts[p + "*"] = min(size, sum(words[x] for x in span))
                    least_frequency[p] = max(len(in_language[x]) for x in span)
        scored = []
        for candidate, both in counts.items():
            if both < least:
                continue
            prefix = candidate[-1] == "*"
            text = candidate[:-1] if prefix else candidate
            if word.startswith(text) or text.startswith(word):
                continue  # the word itself, searched anyway
            if prefix:
                # Most prefixes fail on the bound of their most frequent word, without counting their labels.
                if 2 * both / (size + least_frequency[text]) < min_dice:
                    continue
                frequency = self._frequency(language, text, True)
            else:
                frequency = len(in_language[text])  # a label's words are distinct
            dice = 2 * both / (size + frequency)
            if dice >= min_dice:
                scored.append((dice, len(text), prefix, text))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        out: list[Translation] = []

        labels_of: dict[str, list[int]] = {}  # word -> the labels with it: made for a second translation only

        def labels_with(text: str, prefix: bool) -> set[int]:
            if not labels_of:
                for i in concept:
                    for w in long_words[i]:
                        labels_of.setdefault(w, []).append(i)
            if not prefix:
                return set(labels_of.get(text, ()))
            lo = bisect_left(ordered, text)
            hi = bisect_left(ordered, text + "\uffff", lo)
            return set(chain.from_iterable(labels_of[w] for w in ordered[lo:hi]))

        first: set[int] | None = None  # the first translation's labels, once a second one is weighed
        for dice, _, prefix, text in scored:
            if any(text.startswith(t.text) or t.text.startswith(text) for t in out):
                continue
            if out:  # a word beside the first in the same labels ("éclairage public"), not another way to say it
                if first is None:
                    first = labels_with(out[0].text, out[0].prefix)
                mine = labels_with(text, prefix)
                if len(mine - first) < COLLOCATE * len(mine):
                    continue
            # The label word it stands for most often, to show.
            shown = max((w for w in words if (w.startswith(text) if prefix else w == text)), key=lambda w: words[w])
            out.append(Translation(language, text, prefix, shown, round(dice, 2)))
            if len(out) == MAX_TRANSLATIONS:
                break
        return tuple(out)


@functools.cache
def cpv_label_table() -> dict[str, dict[str, str]]:
    """Every CPV code's labels by language, from the database (read once per process)."""
    from .models import CpvCode

    return dict(CpvCode.objects.values_list("code", "labels"))


def cpv_label(code: str, language: str | None = None) -> str:
    """A code's label in this language (the reader's by default), else in English; "" for an unknown code."""
    from django.utils.translation import get_language

    labels = cpv_label_table().get(code) or {}
    language = (language or get_language() or "en").split("-")[0].lower()
    return labels.get(language) or labels.get("en") or ""


@functools.cache
def nace_label_table() -> dict[str, dict[str, str]]:
    """Every NACE code's labels by language, from the database (read once per process)."""
    from .models import NaceCode

    return dict(NaceCode.objects.values_list("code", "labels"))


def nace_label(code: str, language: str | None = None) -> str:
    """A NACE code's label in this language (the reader's by default), else in English; "" for an unknown code."""
    from django.utils.translation import get_language

    labels = nace_label_table().get(code) or {}
    language = (language or get_language() or "en").split("-")[0].lower()
    return labels.get(language) or labels.get("en") or ""


@functools.cache
def _build_lexicon() -> Lexicon:
    return Lexicon(cpv_label_table())


_BUILDING = threading.Lock()


def cpv_lexicon() -> Lexicon:
    """The lexicon of the CPV labels in the database (built once per process: a few seconds; a search during
    a web process's warm-up waits for it rather than building it twice)."""
    with _BUILDING:
        return _build_lexicon()


cpv_lexicon.cache_clear = _build_lexicon.cache_clear  # type: ignore[attr-defined]


def warm_in_background(then: Callable[[], object] | None = None) -> threading.Thread:
    """Build the lexicon in a daemon thread (a web process, as it starts), then call `then`. A database not ready
    yet (not migrated, no code lists) is logged and left: the first search builds it then."""

    def build() -> None:
        try:
            cpv_lexicon()
            if then is not None:
                then()
        except Exception:
            logger.warning("The CPV lexicon was not built in advance", exc_info=True)
        finally:
            from django.db import connection

            connection.close()  # this thread's own connection

    thread = threading.Thread(target=build, name="cpv-lexicon", daemon=True)
    thread.start()
    return thread


def reset() -> None:
    """Forget the labels and the lexicon (after the code lists were reloaded)."""
    cpv_label_table.cache_clear()
    nace_label_table.cache_clear()
    cpv_lexicon.cache_clear()
