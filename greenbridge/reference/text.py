"""Text folding shared by every look-up: case- and accent-insensitive, any script."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so "Apă", "APA" and "apa" meet; Cyrillic keeps its letters
    (й stays й: NFD would split it into и + breve, which changes the word)."""
    out = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        if ch.isascii() or "\u0400" <= ch <= "\u04ff":
            out.append(ch)
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base)
    return "".join(out)
