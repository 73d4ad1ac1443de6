"""Signal strengths and the pieces of a score: how a watch code relates to a notice's codes, the factors
that lower a score, and the structured reasons kept with a match (put into words by explain.py)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .facts import NoticeFacts

# Signal strengths. Covered by a watch code, by how many significant digits that code has.
COVERED = {2: 0.45, 3: 0.6, 4: 0.75, 5: 0.8, 6: 0.85, 7: 0.85, 8: 0.85}
EXACT_BONUS = 0.05
# Sharing only the group (452: "construction work") alone stays under the default minimum score: it ranks
# and adds to other evidence, but a group is too broad to alert on by itself.
SAME_CLASS, SAME_GROUP, SAME_DIVISION = 0.45, 0.25, 0.12
# A code in another branch whose label says much the same as a watch code's ("Solar panels" and "Solar panel
# roof-covering work"): as close as the same class.
NEAR = 0.45
KEYWORD_TITLE, KEYWORD_BODY, KEYWORD_EXTRA, KEYWORD_MAX = 0.75, 0.6, 0.1, 0.9
LABEL_TITLE, LABEL_BODY = 0.6, 0.45
WEAK_LABEL = 0.2
LABEL_WORD = 0.3  # one rare word of a label (of several) in the title
# Every word of a keyword of several words in the title, in another order or with others between.
KEYWORD_WORDS = 0.5  # a label whose words are mostly too common to say anything: under the minimum alone
# A keyword said in the notice's language (translated through the CPV labels: less sure than the keyword).
TRANSLATION_TITLE, TRANSLATION_BODY = 0.55, 0.4
TRANSLATION_PARTIAL = 0.35  # two thirds of a keyword of three words or more, said in the title
# A keyword that is what the label of one of the notice's codes says.
KEYWORD_CODE = 0.6
SECTOR_ONLY, SECTOR_BONUS = 0.6, 0.2
# Factors.
VALUE_UNKNOWN, VALUE_OUTSIDE = 0.9, 0.5
DEADLINE_PASSED, DEADLINE_SOON, SOON_DAYS = 0.8, 0.9, 7
CANCELLED = 0.5

# A watch code related to one of a notice's other codes (not its main code, nor a lot's) counts less the more
# lines of work (CPV groups) the notice spans: a school built with solar panels on the roof is a building
# contract, and an annual plan of forty codes is about none of them in particular.
FOCUS_STEP, FOCUS_MIN = 0.08, 0.6


def focus(lines: int) -> float:
    return max(FOCUS_MIN, 1.0 - FOCUS_STEP * max(0, lines - 1))


SIGNALS = frozenset({"cpv", "labels", "keywords", "sectors", "translations", "keyword_codes", "keyword_words"})


def relation(code: tuple, prefixes: Mapping[str, str], focus_of: Mapping[str, float]) -> tuple:
    """How closely a compiled watch code (as in Matcher) relates to a notice's codes (their prefixes):
    (strength, relation, watch code, notice code, focus); strength 0.0 when not even the division is shared. The
    strength is weighed by how central the notice code is to the notice (NoticeFacts.focus)."""
    watch_code, prefix, covered, class_, group, division = code
    get = prefixes.get
    if (nd := get(division)) is None:
        return 0.0, "", watch_code, "", 1.0
    if (nc := get(prefix)) is not None:
        strength, kind = (covered + EXACT_BONUS, "exact") if get(watch_code) is not None else (covered, "under")
        if kind == "exact":
            nc = watch_code
    elif class_ and (nc := get(class_)) is not None:
        strength, kind = SAME_CLASS, "class"
    elif group and (nc := get(group)) is not None:
        strength, kind = SAME_GROUP, "group"
    else:
        strength, kind, nc = SAME_DIVISION, "division", nd
    return focused(strength, kind, watch_code, nc, focus_of)


def focused(strength: float, kind: str, watch_code: str, notice_code: str, focus_of: Mapping[str, float]) -> tuple:
    """A relation weighed by how central its notice code is to the notice."""
    f = focus_of.get(notice_code, 1.0)
    return (round(strength * f, 4) if f < 1.0 else strength), kind, watch_code, notice_code, f


def cpv_reason(rel: tuple) -> dict[str, Any]:
    """A relation (as `relation` gives it) as a stored reason."""
    reason = {"kind": "cpv", "relation": rel[1], "watch_code": rel[2], "notice_code": rel[3], "weight": rel[0]}
    if rel[4] < 1.0:
        reason["focus"] = rel[4]  # one of the notice's other codes, among several lines of work
    return reason


@dataclass(slots=True)
class Result:
    watch: int  # index into the matcher's specs
    notice: NoticeFacts
    score: float
    explanation: list[dict[str, Any]]


@dataclass(slots=True)
class Matches:
    """Watches that match a notice with the same score for the same reasons (most plain watches that share a
    code do): one object for all of them, made into a Result per watch only where one is needed."""

    watches: Collection[int]  # indexes into the matcher's specs
    notice: NoticeFacts
    score: float
    explanation: list[dict[str, Any]]  # shared by the watches: never changed
