"""Cross-language terms of a watch, all from the CPV vocabulary (reference.lexicon):
- a code's label in each language: each significant word as a one-word phrase that survives inflection. A
  notice whose text has every significant word of a label in its own language speaks of that code, whatever
  it is classified under;
- a keyword said in another language (`TranslationTerm`), word by word;
- the CPV branches whose labels say a keyword (`keyword_code_prefixes`), so a keyword also finds notices
  classified under them in any language."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from greenbridge.reference.cpv import cpv_cover
from greenbridge.reference.lexicon import Lexicon, cpv_lexicon, stem
from greenbridge.reference.phrases import GAP_SPACE, Words
from greenbridge.reference.text import fold

# Rare label words: in at most this many labels of their language, and long (short rare words are often
# another word's homograph: "cursos" of "cursos de água", watercourses, is also training courses).
RARE_LABEL_WORD, RARE_WORD_LENGTH = 5, 8
_ACRONYM_RE = re.compile(r"\b[A-Z][A-Z0-9]+\b")
_WORD_RE = re.compile(r"[\w]+")


@dataclass(frozen=True)
class LabelTerm:
    code: str
    language: str
    label: str
    words: tuple[Words, ...]  # each significant word, as a one-word phrase
    # The share of the label's words that are significant: "Serviços de sistemas e de apoio" is one word in
    # three ("apoio": support of any kind), a weak sign that a text speaks of the code.
    share: float = 1.0
    # The significant words as the label writes them, when they are not the whole label: a reason shows them
    # ("stații, epurare" of "Lucrări de construcții de stații de epurare"), not the label as if it were found.
    shown: tuple[str, ...] = ()


def label_word(word: str) -> Words:
    """A significant label word as a prefix that survives inflection ("матеріали" -> "матеріа*"; "solar" ->
    "solar*"; words of three letters whole)."""
    return ((stem(word), len(word) > 3, GAP_SPACE),)


@functools.lru_cache(maxsize=20_000)
def label_terms(code: str, lexicon: Lexicon | None = None) -> tuple[LabelTerm, ...]:
    """The code's label in each language as a term (languages whose label has no significant word are left
    out)."""
    lexicon = lexicon or cpv_lexicon()
    out = []
    for language in lexicon.languages:
        significant = lexicon.significant_words(code, language)
        if significant:
            words = tuple(label_word(w) for w in significant)
            content = [w for w in lexicon.label_words(code, language) if len(w) >= 3]
            share = len(significant) / max(len(content), len(significant))
            label = lexicon.label(code, language)
            out.append(LabelTerm(code, language, label, words, share, _written(label, significant)))
    return tuple(out)


def _written(label: str, significant: list[str]) -> tuple[str, ...]:
    """The label's significant words as it writes them, in its order; empty when they are all its words."""
    wanted, written = set(significant), []
    every = _WORD_RE.findall(label)
    for word in every:
        if fold(word) in wanted and word not in written:
            written.append(word)
    return () if len(written) == len(every) else tuple(written)


@dataclass(frozen=True)
class LabelWordTerm:
    """One rare word of a code's label ("regularização" of "Obras de regularização dos cursos de água e de
    controlo das cheias"), found in a title: a weaker sign than the whole label."""

    code: str
    language: str
    label: str
    word: str
    slots: tuple[tuple[Words, ...], ...]


@functools.lru_cache(maxsize=20_000)
def label_word_terms(code: str, lexicon: Lexicon | None = None) -> tuple[LabelWordTerm, ...]:
    """The rare long words (`RARE_LABEL_WORD`, `RARE_WORD_LENGTH`) of a label of several significant words, in
    each language."""
    lexicon = lexicon or cpv_lexicon()
    out = []
    for language in lexicon.languages:
        significant = lexicon.significant_words(code, language)
        if len(significant) < 2:
            continue
        for w in significant:
            # Rare with every ending: inflected languages spread a common word ("souvisejícího", associated) over
            # many rare forms.
            if (
                len(w) >= RARE_WORD_LENGTH
                and lexicon.label_frequency(stem(w), language, prefix=True) <= RARE_LABEL_WORD
            ):
                out.append(LabelWordTerm(code, language, lexicon.label(code, language), w, ((label_word(w),),)))
    return tuple(out)


# -- keywords in other languages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationTerm:
    """A watch keyword said in another language: for each of its words that means something, the ways this
    language says it (reference.lexicon); a text has the term when it has one way of saying every word."""

    keyword: Words  # the keyword's words, as the watch has them
    language: str
    slots: tuple[tuple[Words, ...], ...]  # per word: its alternatives, each a one-word phrase
    shown: tuple[str, ...]  # per word: the label word it is read from, to show


def acronyms(text: str) -> frozenset[str]:
    """The acronyms of a keyword as written ("PV", "O&M", "LED"), folded: words that are the point of a phrase
    however short, and that other languages write the same."""
    return frozenset(fold(a) for a in _ACRONYM_RE.findall(text))


@dataclass(frozen=True)
class BagTerm:
    """The words of a keyword of several words, in any order, all in a title: "PV maintenance" in "PV Servicing
    and Maintenance". Weaker than the phrase itself."""

    keyword: Words
    slots: tuple[tuple[Words, ...], ...]  # per word: the word as matched, as a one-word phrase


def bag_term(keyword: Words, lexicon: Lexicon, keep: frozenset[str] = frozenset()) -> BagTerm | None:
    """The keyword as a bag of its words that say something (3+ letters and not a function word, or an
    acronym); None for a keyword of fewer than two such words (the phrase is the bag)."""
    slots = tuple(
        (((word, is_stem, GAP_SPACE),),)
        for word, is_stem, _ in keyword
        if word in keep or (len(word) >= 3 and not lexicon.is_function_word(word))
    )
    return BagTerm(keyword, slots) if len(slots) >= 2 else None


def dictionary_forms(text: str) -> tuple[str, ...]:
    """A keyword's words as written (folded, whole): what the lexicon looks up, where matching uses stems."""
    return tuple(m.lower() for m in _WORD_RE.findall(fold(text)))


def translation_term(
    keyword: Words, forms: tuple[str, ...], language: str, lexicon: Lexicon, keep: frozenset[str] = frozenset()
) -> TranslationTerm | None:
    """The keyword (its words as matched, and as written: `forms`) said in this language, word by word; None
    when it needs no translation (every word is said the same) or cannot be said there: at least half of its
    words that mean something must be (a word without a translation, such as "contre" in "protection contre
    les inondations", is left out), and none may be unknown to the vocabulary (its point would be lost).
    Words in `keep` (acronyms) are kept as they are."""
    slots: list[tuple[Words, ...]] = []
    shown: list[str] = []
    translated = False
    meaningful = 0
    for (word, is_stem, _), form in zip(keyword, forms, strict=False):
        if word in keep:
            slots.append((((word, False, GAP_SPACE),),))
            shown.append(word)
            continue
        if len(form) <= 2 or lexicon.is_function_word(form) or lexicon.is_generic(form):
            continue  # "de", "pour", "services": leave them out
        if not lexicon.knows(form):
            if len(form) > 3:
                return None  # a word no label has ("termomodernizacji", a brand): the keyword itself finds it
            continue
        meaningful += 1
        if lexicon.says_itself(form, language):
            slots.append((((word, is_stem, GAP_SPACE),),))
            shown.append(form)
            continue
        ways = lexicon.translations(form, [language])
        if ways:
            translated = True
            slots.append(tuple(((t.text, t.prefix, GAP_SPACE),) for t in ways))
            shown.append(ways[0].word)
    if not translated or 2 * (len(slots) - len(keep & set(forms))) < meaningful:
        return None
    return TranslationTerm(keyword, language, tuple(slots), tuple(shown))


@functools.lru_cache(maxsize=20_000)
def near_prefixes(code: str, lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """The branches near a code (reference.lexicon.near_codes), as prefixes."""
    lexicon = lexicon or cpv_lexicon()
    return tuple(cpv_cover(lexicon.near_codes(code), lexicon.codes))


@functools.lru_cache(maxsize=20_000)
def keyword_code_prefixes(
    forms: tuple[str, ...], lexicon: Lexicon | None = None, keep: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The CPV branches whose labels say this keyword (every word of it as written, in one language), as
    prefixes."""
    lexicon = lexicon or cpv_lexicon()
    codes = lexicon.phrase_codes(forms, keep)
    return tuple(cpv_cover(codes, lexicon.codes)) if codes else ()
