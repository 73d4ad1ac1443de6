"""Text folding shared by every look-up: case- and accent-insensitive, any script."""

import re
import unicodedata

QUERY_MAX = 300  # characters of search words anyone may type (core.bounds has the other bounds)

# Characters folding may change once text is NFKC-normalised and case-folded: all but ASCII and Cyrillic.
_NEEDS_FOLD_RE = re.compile(r"[^\x00-\x7f\u0400-\u04ff]")
_CHAR_CACHE: dict[str, str] = {}


def _fold_char(match: re.Match[str]) -> str:
    ch = match.group()
    folded = _CHAR_CACHE.get(ch)
    if folded is None:
        # The base letter without its diacritics ("ă" -> "a", "ø" stays "ø": it has no decomposition).
        folded = _CHAR_CACHE[ch] = unicodedata.normalize("NFD", ch)[0]
    return folded


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so "Apă", "APA" and "apa" meet; Cyrillic keeps its letters
    (й stays й: NFD would split it into и + breve, which changes the word).

    It runs on every ingested notice, so it is quick: ASCII text only needs lower(); otherwise only
    the characters that are neither ASCII nor Cyrillic go through the (cached) per-character mapping."""
    if text.isascii():
        return text.lower()
    return _NEEDS_FOLD_RE.sub(_fold_char, unicodedata.normalize("NFKC", text).casefold())
