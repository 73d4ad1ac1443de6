"""Find many keywords and phrases in a text in one pass: the matcher behind the green-sector classifier
and the watches of the matching engine.

A phrase is one or more words; a word ending in "*" is a stem (a prefix of a text word). Phrases are
folded like every text (reference.text.fold) and compiled into a trie: the text is split once into words
and separators, and each word costs a dict look-up for literal first words plus a check of the few stems
sharing its first three letters; only then is the trie followed to the next words. So the cost of a
text barely depends on how many phrases are loaded: thousands of watches' keywords cost about what one
watch's do.

Between two words of a phrase the text may only have what the phrase has: a space in the phrase accepts
spaces and/or hyphens ("waste water" = "waste-water"), a hyphen accepts a hyphen only ("e-bus" is not
Italian "camion e bus"), an apostrophe accepts an apostrophe only ("d'eau"). Punctuation never joins a
phrase ("water. Supply").
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable

from .text import fold

_KEYWORD_CHARS_RE = re.compile(r"[\w*'’ʼ\- ]+")
# With symbols allowed (watches): "O&M", "R+D", "TCP/IP", "S.A." - the text must have the same symbol.
_SYMBOL_CHARS_RE = re.compile(r"[\w*'’ʼ\- &/+.]+")
_SYMBOLS = frozenset("&/+.")
_KEYWORD_SPLIT_RE = re.compile(r"([\w*]+)")
SPLIT_RE = re.compile(r"(\W+)")
GAP_SPACE, GAP_HYPHEN, GAP_APOSTROPHE = 0, 1, 2
_GAP_MATCHERS = (
    re.compile(r"[\s\-‐‑‒–—]+").fullmatch,
    re.compile(r"\s*[\-‐‑‒–]\s*").fullmatch,
    re.compile(r"\s*['’ʼ`´]\s*").fullmatch,
)
_HYPHENS = frozenset("-‐‑‒–—")
_APOSTROPHES = frozenset("'’ʼ`´")

MIN_STEM = 3  # letters before a "*"
MIN_SINGLE_WORD_STEM = 4  # ... when the phrase is one stemmed word

Words = tuple[tuple[str, bool, int | str], ...]  # (folded word, is a stem, GAP_* or symbol before it)


class PhraseError(ValueError):
    """A phrase that cannot be used; the message says why in plain words."""


def parse_phrase(raw: str, *, auto_stem: int = 0, symbols: bool = False) -> Words:
    """A phrase as written -> its folded words. `auto_stem`: words of at least that many letters match
    as prefixes without a "*" (0: only words written with "*"). `symbols`: "&", "/", "+" and "." may
    join words, and then join them in the text too."""
    if not isinstance(raw, str) or not raw.strip():
        raise PhraseError(f"keyword {raw!r} must be a non-empty string")
    folded = fold(raw.strip())
    if not (_SYMBOL_CHARS_RE if symbols else _KEYWORD_CHARS_RE).fullmatch(folded):
        allowed = "spaces, hyphens, apostrophes, & / + ." if symbols else "spaces, hyphens, apostrophes"
        raise PhraseError(f"keyword {raw!r} may only hold letters, digits, {allowed} and a final * per word")
    words: list[tuple[str, bool, int | str]] = []
    parts = _KEYWORD_SPLIT_RE.split(folded)  # [before, word, separator, word, ..., after]
    for i in range(1, len(parts), 2):
        token, sep = parts[i], parts[i - 1]
        symbol = "".join(c for c in sep if c in _SYMBOLS)
        if symbol and words:
            gap_kind = symbol  # the text must join the words with the same symbol(s)
        elif any(c in _APOSTROPHES for c in sep):
            gap_kind = GAP_APOSTROPHE
        elif any(c in _HYPHENS for c in sep):
            gap_kind = GAP_HYPHEN
        else:
            gap_kind = GAP_SPACE
        stem = token.endswith("*")
        word = token[:-1] if stem else token
        if not word or "*" in word:
            raise PhraseError(f"keyword {raw!r}: '*' only at the end of a word")
        if stem and len(word) < MIN_STEM:
            raise PhraseError(f"keyword {raw!r}: stem '{word}*' is shorter than {MIN_STEM} letters")
        if auto_stem and len(word) >= auto_stem:
            stem = True
        words.append((word, stem, gap_kind if words else GAP_SPACE))
    if not words:
        raise PhraseError(f"keyword {raw!r} has no word")
    if len(words) == 1 and words[0][1] and len(words[0][0]) < MIN_SINGLE_WORD_STEM:
        raise PhraseError(f"keyword {raw!r}: a one-word stem needs {MIN_SINGLE_WORD_STEM}+ letters")
    return tuple(words)


class _Node:
    """A node of the trie: one word of a phrase has been matched."""

    __slots__ = ("ends", "literal", "stems")

    def __init__(self) -> None:
        self.literal: dict[str, list[tuple[int | str, _Node]]] = {}  # next word -> [(GAP_* before it, node)]
        self.stems: list[tuple[str, int | str, _Node]] = []  # (next word's stem, GAP_* before it, node)
        self.ends: list[Hashable] = []  # payloads of the phrases ending here


def _child(node: _Node, word: str, stem: bool, gap_kind: int | str) -> _Node:
    if stem:
        for other, other_gap, child in node.stems:
            if other == word and other_gap == gap_kind:
                return child
        child = _Node()
        node.stems.append((word, gap_kind, child))
        return child
    edges = node.literal.setdefault(word, [])
    for other_gap, child in edges:
        if other_gap == gap_kind:
            return child
    child = _Node()
    edges.append((gap_kind, child))
    return child


def _gap_ok(gap_kind: int | str, sep: str, gaps) -> bool:
    if sep == " ":
        return gap_kind == GAP_SPACE
    if isinstance(gap_kind, str):
        return sep.strip() == gap_kind
    return bool(gaps[gap_kind](sep))


class PhraseMatcher:
    """Phrases with payloads; `find` returns every (payload, first word, last word) found in a text,
    word positions being indexes into `split(text)` (even indexes are words)."""

    def __init__(self) -> None:
        self._literal: dict[str, _Node] = {}
        self._stem_roots: dict[str, _Node] = {}
        self._stem_lengths: dict[str, list[int]] = {}  # first three letters -> lengths of such stems, shortest first
        self.size = 0

    def add(self, words: Words, payload: Hashable) -> None:
        (first, is_stem, _), rest = words[0], words[1:]
        if is_stem:
            node = self._stem_roots.get(first)
            if node is None:
                node = self._stem_roots[first] = _Node()
                lengths = self._stem_lengths.setdefault(first[:3], [])
                if len(first) not in lengths:
                    lengths.append(len(first))
                    lengths.sort()
        else:
            node = self._literal.setdefault(first, _Node())
        for word, stem, gap_kind in rest:
            node = _child(node, word, stem, gap_kind)
        node.ends.append(payload)
        self.size += 1

    @staticmethod
    def split(text: str, folded: bool = False) -> list[str]:
        return SPLIT_RE.split(text if folded else fold(text))

    def find(self, text: str, folded: bool = False) -> list[tuple[Hashable, int, int]]:
        return self.find_in_parts(self.split(text, folded))

    def find_in_parts(self, parts: list[str]) -> list[tuple[Hashable, int, int]]:
        n = len(parts)
        literal_roots = self._literal
        stem_roots = self._stem_roots
        stem_lengths = self._stem_lengths
        gaps = _GAP_MATCHERS
        found: list[tuple[Hashable, int, int]] = []
        for i in range(0, n, 2):
            w = parts[i]
            if not w:
                continue
            node = literal_roots.get(w)
            stack = [(node, i)] if node is not None else None
            # A word starts with a stem: look up its prefixes of the lengths of the stems that begin like it.
            for length in stem_lengths.get(w[:3], ()):
                if length > len(w):
                    break
                node = stem_roots.get(w[:length])
                if node is not None:
                    if stack is None:
                        stack = [(node, i)]
                    else:
                        stack.append((node, i))
            if stack is None:
                continue
            while stack:
                node, j = stack.pop()
                for payload in node.ends:
                    found.append((payload, i, j))
                k = j + 2
                if k >= n or not (node.literal or node.stems):
                    continue
                sep, token = parts[k - 1], parts[k]
                for gap_kind, child in node.literal.get(token, ()):
                    if _gap_ok(gap_kind, sep, gaps):
                        stack.append((child, k))
                for stem, gap_kind, child in node.stems:
                    if token.startswith(stem) and _gap_ok(gap_kind, sep, gaps):
                        stack.append((child, k))
        return found


class WordMatcher:
    """Single words with payloads, each whole or a prefix (a stem): the faster cousin of PhraseMatcher for terms
    made of one-word parts (CPV label words, keywords said in other languages). `find` takes the distinct
    words of a text and returns the payloads of every entry each word has, in order."""

    __slots__ = ("_literal", "_stem_lengths", "_stems", "size")

    def __init__(self) -> None:
        self._literal: dict[str, list[Hashable]] = {}
        self._stems: dict[str, list[Hashable]] = {}
        self._stem_lengths: dict[str, list[int]] = {}  # first three letters -> lengths of such stems, shortest first
        self.size = 0

    def add(self, word: str, is_stem: bool, payload: Hashable) -> None:
        if is_stem:
            self._stems.setdefault(word, []).append(payload)
            lengths = self._stem_lengths.setdefault(word[:3], [])
            if len(word) not in lengths:
                lengths.append(len(word))
                lengths.sort()
        else:
            self._literal.setdefault(word, []).append(payload)
        self.size += 1

    def find(self, words: Iterable[str]) -> list[Hashable]:
        """The payloads of each entry a word is (literal) or starts with (stem), word by word."""
        literal, stems, stem_lengths = self._literal, self._stems, self._stem_lengths
        found: list[Hashable] = []
        for w in words:
            if (payloads := literal.get(w)) is not None:
                found.extend(payloads)
            if (lengths := stem_lengths.get(w[:3])) is not None:
                for length in lengths:
                    if length > len(w):
                        break
                    if (payloads := stems.get(w[:length])) is not None:
                        found.extend(payloads)
        return found
