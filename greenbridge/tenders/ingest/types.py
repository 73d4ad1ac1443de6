"""What every connector produces: a normalised notice, independent of the source format."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext


class Said:
    """Words of ours, marked for translation with gettext_noop, and their values: "line %(number)s: not valid JSON:
    %(error)s" with number=7, error=<the parser's English>. `str()` is the English text (the command line, logs
    and stored reasons use it), `said()` the text in the active language. A value that is itself Said (a phrase:
    "a JSON array", "empty") is said in the same language; any other value is kept as it is (a number, a name, a
    library's own English message): only our own words are translated."""

    def __init__(self, message: "str | Said", /, **params: Any) -> None:
        if isinstance(message, Said):  # the same words again (an input's error become one item's rejection)
            message, params = message.message, {**message.params, **params}
        self.message = message
        self.params = {name: _value(value) for name, value in params.items()}

    def __str__(self) -> str:
        return self.message % {name: _english(name, v) for name, v in self.params.items()}

    def said(self) -> str:
        return say(self.as_json(), str(self))

    def as_json(self) -> dict[str, Any]:
        """What is stored to say it again later: {"message": …, "params": {…}}, phrases as the same dicts."""
        return {
            "message": self.message,
            "params": {name: v.as_json() if isinstance(v, Said) else v for name, v in self.params.items()},
        }


# The values that are amounts of bytes or items, written with their thousands grouped; a line or column number is not.
GROUPED = {"bytes", "byte", "limit", "count", "offset"}


def _english(name: str, value: Any) -> Any:
    """An amount as English writes it ("1,048,576"); anything else as it is."""
    return f"{value:,}" if name in GROUPED and type(value) is int else value


def _grouped(name: str, value: Any) -> Any:
    """An amount as the active language writes it ("1 048 576", "1.048.576"); anything else as it is."""
    return number_format(value, force_grouping=True) if name in GROUPED and type(value) is int else value


def _value(value: Any) -> Any:
    if isinstance(value, Said):
        return Said(value.message, **value.params) if isinstance(value, BaseException) else value
    return value if isinstance(value, int | float | str) else str(value)


def say(stored: Any, english: Any = "") -> str:
    """A stored sentence ({"message": …, "params": {…}}, as Said.as_json gives it) in the active language; `english`
    (the text stored with it) when it is not one (a row stored before reasons were kept as data) or cannot be said
    (a damaged row, a translation whose placeholders do not fit its values)."""
    try:
        return _say(stored)
    except Exception:  # never a server error on a damaged row: the English it was stored with
        return "" if english is None else str(english)


def _say(stored: dict[str, Any]) -> str:
    message, params = stored["message"], stored.get("params", {})
    if not isinstance(message, str) or not message or not isinstance(params, dict):
        raise ValueError(f"not a stored message: {stored!r}")
    values = {name: _say(v) if isinstance(v, dict) else _grouped(name, v) for name, v in params.items()}
    return gettext(message) % values


class SaidError(Said, Exception):
    """An exception whose message is Said: `str(exc)` the English text, `exc.said()` in the active language."""

    def __init__(self, message: "str | Said", /, **params: Any) -> None:
        Said.__init__(self, message, **params)
        Exception.__init__(self, str(self))

    def __reduce__(self) -> tuple[Any, ...]:  # the message and its values, not the English text alone
        return _rebuilt, (type(self), self.message, self.params)


def _rebuilt(cls: type[SaidError], message: str, params: dict[str, Any]) -> SaidError:
    return cls(message, **params)


class IngestError(SaidError):
    """The whole input cannot be read (not JSON, not XML, empty, binary, wrong kind of JSON).
    The message is shown to the user as it is: plain words, no traceback."""


class RejectedItem(SaidError):
    """One item cannot be used; the others go on. The message says why, in plain words."""


@dataclass
class Lot:
    id: str
    title: str = ""
    cpv_codes: list[str] = field(default_factory=list)
    value_amount: Decimal | None = None
    value_currency: str = ""
    deadline: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "cpv_codes": self.cpv_codes,
            "value_amount": str(self.value_amount) if self.value_amount is not None else None,
            "value_currency": self.value_currency,
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }


@dataclass
class Award:
    supplier_name: str = ""
    supplier_country: str = ""
    value_amount: Decimal | None = None
    value_currency: str = ""
    number_of_tenderers: int | None = None  # tenders received
    date: datetime | None = None
    lot_ids: list[str] = field(default_factory=list)
    # Where the source says so (TED's R2.0.9 award notices): whether the winner is an SME, and how
    # many of the tenders came from SMEs, from other EU countries and from outside the EU. None: not said.
    supplier_sme: bool | None = None
    tenders_from_smes: int | None = None
    tenders_from_other_eu: int | None = None
    tenders_from_non_eu: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "supplier_name": self.supplier_name,
            "supplier_country": self.supplier_country,
            "value_amount": str(self.value_amount) if self.value_amount is not None else None,
            "value_currency": self.value_currency,
            "number_of_tenderers": self.number_of_tenderers,
            "date": self.date.isoformat() if self.date else None,
            "lot_ids": self.lot_ids,
            "supplier_sme": self.supplier_sme,
            "tenders_from_smes": self.tenders_from_smes,
            "tenders_from_other_eu": self.tenders_from_other_eu,
            "tenders_from_non_eu": self.tenders_from_non_eu,
        }


@dataclass
class NoticeData:
    """A notice normalised from any source. Countries are ISO alpha-2, languages ISO 639-1,
    CPV codes 8 digits (main first, no duplicates), datetimes timezone-aware."""

    source_id: str
    notice_type: str = "other"  # planning | competition | award | other
    ocid: str = ""
    procedure_id: str = ""
    title: str = ""
    description: str = ""
    language: str = ""
    titles: dict[str, str] = field(default_factory=dict)  # every language, including `language`
    descriptions: dict[str, str] = field(default_factory=dict)
    buyer_name: str = ""
    buyer_id: str = ""
    buyer_country: str = ""
    cpv_codes: list[str] = field(default_factory=list)
    nuts_codes: list[str] = field(default_factory=list)  # NUTS regions of the place of performance
    value_amount: Decimal | None = None
    value_currency: str = ""
    deadline: datetime | None = None
    published: datetime | None = None
    ojs_number: str = ""  # the Official Journal S reference of a TED notice, "2021/S 098-260082"
    procedure_type: str = ""
    status: str = ""
    url: str = ""
    lots: list[Lot] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    # eForms strategic-procurement (BT-06), environmental-impact (BT-774), GPP (BT-805) codes.
    green_flags: list[str] = field(default_factory=list)
    raw: str = ""
    raw_format: str = "json"  # json | xml
    # This state: its key at the source (release id, notice id + version), date and tags.
    version_key: str = ""
    version_date: datetime | None = None
    version_tags: list[str] = field(default_factory=list)


@dataclass
class SourceItem:
    """One item read from an input, with where it came from (for rejection reports).
    `data` is a parsed NoticeData, or the exception that rejected it."""

    position: str
    data: "NoticeData | RejectedItem"


ItemStream = Iterator[SourceItem]
