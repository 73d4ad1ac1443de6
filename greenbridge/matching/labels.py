"""CPV labels as cross-language terms: each significant word of a watch code's label, in every language
of the vocabulary, as a one-word phrase that survives inflection. A notice whose text has every significant
word of a label in its own language speaks of that code, whatever it is classified under."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from greenbridge.reference.lexicon import Lexicon, cpv_lexicon, stem
from greenbridge.reference.phrases import GAP_SPACE, Words


@dataclass(frozen=True)
class LabelTerm:
    code: str
    language: str
    label: str
    words: tuple[Words, ...]  # each significant word, as a one-word phrase


def label_word(word: str) -> Words:
    """A significant label word as a prefix that survives inflection ("матеріали" -> "матеріа*")."""
    s = stem(word)
    return ((s, s != word, GAP_SPACE),)


@functools.lru_cache(maxsize=20_000)
def label_terms(code: str, lexicon: Lexicon | None = None) -> tuple[LabelTerm, ...]:
    """The code's label in each language as a term (languages whose label has no significant word are left
    out)."""
    lexicon = lexicon or cpv_lexicon()
    out = []
    for language in lexicon.languages:
        significant = lexicon.significant_words(code, language)
        if significant:
            out.append(
                LabelTerm(code, language, lexicon.label(code, language), tuple(label_word(w) for w in significant))
            )
    return tuple(out)
