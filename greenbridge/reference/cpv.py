"""CPV code helpers: normalise the spellings sources use, and walk the hierarchy by prefix."""

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence

_CPV_RE = re.compile(r"^\s*(\d{8})(?:\s*-\s*\d)?\s*$")


def normalise_cpv(value: object) -> str | None:
    """'90513000-6', '90513000', ' 90513000 - 6 ' -> '90513000'. Anything else -> None."""
    if value is None:
        return None
    m = _CPV_RE.match(str(value))
    return m.group(1) if m else None


def cpv_prefix(code: str) -> str:
    """The significant digits of a code: everything under '90500000' starts with '905'.
    Divisions keep their two digits ('03000000' -> '03')."""
    stripped = code.rstrip("0")
    return stripped if len(stripped) >= 2 else code[:2]


def cpv_range(code: str) -> tuple[str, str | None]:
    """(lower, upper) bounds such that lower <= c < upper for every 8-digit code c under `code`.
    Digit strings of one length sort the same under every collation, so this is an index range
    on SQLite and PostgreSQL alike."""
    prefix = cpv_prefix(code)
    nxt = str(int(prefix) + 1).zfill(len(prefix))
    upper = nxt.ljust(8, "0") if len(nxt) == len(prefix) else None
    return prefix.ljust(8, "0"), upper


def cpv_level(code: str) -> str:
    n = len(cpv_prefix(code))
    return {2: "division", 3: "group", 4: "class", 5: "category"}.get(n, "subcategory")


def cpv_cover(codes: Iterable[str], vocabulary: Sequence[str]) -> list[str]:
    """The fewest prefixes that cover exactly these codes of the sorted `vocabulary`: a branch whose every
    code is wanted becomes its prefix ("0933" for all of Solar panels), a code alone stays whole (8 digits).
    Each prefix stands for the codes that start with it, as a prefix query of the search index does."""
    wanted = sorted(set(codes))
    out: list[str] = []
    i = 0
    while i < len(wanted):
        code = wanted[i]
        taken, size = code, 1
        for n in range(2, 8):
            prefix = code[:n]
            lo = bisect_left(vocabulary, prefix)
            hi = bisect_left(vocabulary, prefix + ":", lo)  # ":" sorts right after the digits
            if hi - lo > 1 and wanted[i : i + hi - lo] == list(vocabulary[lo:hi]):
                taken, size = prefix, hi - lo
                break
        out.append(taken)
        i += size
    return out
