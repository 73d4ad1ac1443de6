"""What matching reads of a notice: `NoticeFacts`, built once per notice from a Notice or a values() row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from greenbridge.reference.phrases import PhraseMatcher
from greenbridge.reference.tables import to_eur

from .scoring import focus


@dataclass(slots=True)
class NoticeFacts:
    """What matching reads of a notice (built from a Notice or from a values() row)."""

    id: int
    source: str
    source_id: str
    title: str
    notice_type: str
    status: str
    country: str
    cpv: tuple[str, ...]
    sectors: frozenset[str]
    value_amount: Decimal | None
    value_currency: str
    deadline: datetime | None
    languages: tuple[str, ...]
    title_parts: list[str]
    body_parts: list[str]
    # Derived once per notice for every watch scored against it: each prefix (2 to 8 digits) of its codes ->
    # the first code with it, and its value in euros.
    prefixes: dict[str, str]
    value_eur: float | None
    # How central each code is to the notice (scoring.focus): 1.0 for its main code and its lots' main codes,
    # less for its other codes the more lines of work (CPV groups) the notice spans.
    focus: dict[str, float]

    FIELDS = (
        "id",
        "source",
        "source_id",
        "title",
        "titles",
        "description",
        "language",
        "notice_type",
        "status",
        "buyer_country",
        "cpv_codes",
        "green_sectors",
        "value_amount",
        "value_currency",
        "deadline",
        "lots",
    )

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> NoticeFacts:
        lots = row.get("lots") or []
        titles = row.get("titles") or {}
        codes = dict.fromkeys([*(row.get("cpv_codes") or []), *(c for lot in lots for c in lot.get("cpv_codes", []))])
        title_text = " | ".join(dict.fromkeys(t for t in [row.get("title") or "", *titles.values()] if t))
        body_text = " | ".join(
            t for t in [row.get("description") or "", *(lot.get("title") or "" for lot in lots)] if t
        )
        languages = tuple(dict.fromkeys(lang for lang in [row.get("language") or "", *titles] if lang))
        cpv = tuple(c for c in codes if c)
        prefixes: dict[str, str] = {}
        for code in cpv:
            for n in range(2, 9):
                prefixes.setdefault(code[:n], code)
        main_codes = [*(row.get("cpv_codes") or [])[:1], *(lot["cpv_codes"][0] for lot in lots if lot.get("cpv_codes"))]
        central = set(main_codes)
        other = focus(len({c[:3] for c in cpv}))
        code_focus = {c: 1.0 if c in central else other for c in cpv}
        return cls(
            id=row["id"],
            source=row.get("source", ""),
            source_id=row.get("source_id", ""),
            title=row.get("title") or "",
            notice_type=row.get("notice_type") or "",
            status=row.get("status") or "",
            country=row.get("buyer_country") or "",
            cpv=cpv,
            sectors=frozenset(row.get("green_sectors") or ()),
            value_amount=row.get("value_amount"),
            value_currency=row.get("value_currency") or "",
            deadline=row.get("deadline"),
            languages=languages,
            title_parts=PhraseMatcher.split(title_text),
            body_parts=PhraseMatcher.split(body_text),
            prefixes=prefixes,
            value_eur=to_eur(row.get("value_amount"), row.get("value_currency") or ""),
            focus=code_focus,
        )
