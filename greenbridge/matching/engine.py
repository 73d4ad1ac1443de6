"""The matching engine: how well a notice fits a watch, as a score in [0, 1] with reasons a person can read.

Signals (each a strength in [0, 1]; they combine as independent evidence, 1 - Π(1 - s)):
- CPV: the closest pair of a watch code and a notice code (notice and lot codes). A code covers everything
  under it, more strongly the more specific it is; otherwise sharing the class (4 digits) counts, sharing
  the group (3 digits) counts less (alone it stays under the default minimum score), and sharing only
  the division (2 digits) is a weak signal.
- keywords: the watch's keywords and phrases found in the notice's title (strongest) or description and
  lots. Words of 4+ letters match as prefixes ("meter" finds "meters"), shorter ones exactly, "word*" as
  a prefix. An exclusion found anywhere drops the notice.
- CPV labels, across languages: the official label of each watch code in the notice's language
  ("Медичні матеріали" for 33140000 in a Ukrainian notice), found in its text. CPV codes are language
  neutral; their labels carry a Romanian SME's watch into Ukrainian, Italian or French text, even when the
  notice is coded under another branch or not coded at all.
- green sectors: a watch of sectors only matches the notices of those sectors; otherwise a shared sector is
  a bonus. Weak signals (division only, sector bonus) never make a match on their own.
Hard filters: countries (and regions), notice types. Factors that lower the score: a value outside the
watch's range or not published, a deadline passed or days away, a cancelled procedure.

One `Matcher` serves one watch (preview, evaluation) and ten thousand (alert runs): the watches' codes
are indexed by CPV group or class (and country), their keywords and labels compiled into one trie per
language, so each notice is read once and only the watches it can match are scored; plain watches (no
countries, notice types or value range) that only a CPV relation can match are scored in bulk, code by
code. `Matcher([spec]).match(notice)` over every pair is the naive loop the benchmark compares with, and
gives the same results.


The engine's parts, each in its module: `spec` (the watch), `facts` (the notice), `labels` (CPV labels as
terms), `scoring` (strengths, CPV relations, reasons), `matcher` (the compiled index and the scoring loop).
This module is their public face: other apps import from here.
"""

from .facts import NoticeFacts
from .labels import LabelTerm, label_terms
from .matcher import Matcher
from .scoring import SIGNALS, Result
from .spec import (
    DEFAULT_MIN_SCORE,
    MAX_CODES,
    MAX_KEYWORDS,
    MIN_SCORE_FLOOR,
    NOTICE_TYPES,
    WatchInvalid,
    WatchSpec,
    known_cpv_codes,
    split_items,
)

__all__ = [
    "DEFAULT_MIN_SCORE",
    "MAX_CODES",
    "MAX_KEYWORDS",
    "MIN_SCORE_FLOOR",
    "NOTICE_TYPES",
    "SIGNALS",
    "LabelTerm",
    "Matcher",
    "NoticeFacts",
    "Result",
    "WatchInvalid",
    "WatchSpec",
    "known_cpv_codes",
    "label_terms",
    "split_items",
]
