"""CPV code helpers: normalise the spellings sources use, and walk the hierarchy by prefix."""

import re

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
