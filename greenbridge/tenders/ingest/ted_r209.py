"""TED's notices from before eForms: TED_EXPORT documents, schema R2.0.9 (2014 until eForms, 2023).

Pure parsing, no database. The forms are F01–F25 (the standard forms of the 2014 directives) and
T01/T02 (public passenger transport, Regulation 1370/2007). The schema's minor versions spell its
namespace three ways (S01: http://formex.publications.europa.eu/ted/schema/export/R2.0.9.S01.E01,
S02: the relative URI ted/R2.0.9.S02/publication, S03–S05:
http://publications.europa.eu/resource/schema/ted/R2.0.9/publication), and NUTS codes sit in yet
other namespaces: elements are found in the document's own namespace, whatever its spelling, and NUTS
codes in any (`{*}`).

One TED_EXPORT holds the notice once per language. The form in the original language
(CATEGORY="ORIGINAL"; elements such as NOTICE_UUID may come before it) is read; the translations give
the titles and descriptions in their languages. A notice is known by its TED number (DOC_ID,
"260082-2021", shown without leading zeros as TED shows it). A corrigendum (F14) is known by the number
of the notice it corrects and carries its changes (`TedNotice.changes`), which ted_corrigenda.py
applies to that notice. Times in the forms are the buyer's local time.

    build_ted_notice(root, data) -> TedNotice     (raises RejectedItem)
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global
from django.utils.translation import gettext_noop
from lxml import etree

from greenbridge.reference.cpv import normalise_cpv
from greenbridge.reference.normalise import normalise_country, normalise_language

from .eforms import _raw_text, _unique
from .types import Award, Lot, NoticeData, RejectedItem

__all__ = ["Change", "TedNotice", "build_ted_notice", "ted_number"]

# Notice kind by form. F01/F04 (prior information) and F21–F23 (social and other specific services)
# say in NOTICE/@TYPE whether they are a plan, a call for competition or an award (below). The kinds
# follow the eForms reader's: voluntary ex-ante transparency (F15) and modifications (F20) are "other".
_FORM_KINDS = {
    "F01": "planning",
    "F02": "competition",
    "F03": "award",
    "F04": "planning",
    "F05": "competition",
    "F06": "award",
    "F07": "competition",  # a qualification system: eForms subtype 15, a competition
    "F08": "planning",  # a notice on a buyer profile
    "F12": "competition",  # a design contest
    "F13": "award",  # the results of a design contest
    "F14": "other",  # a corrigendum: it updates the notice it corrects
    "F15": "other",
    "F16": "planning",
    "F17": "competition",
    "F18": "award",
    "F19": "competition",
    "F20": "other",
    "F24": "competition",
    "F25": "award",
    "T01": "planning",
    "T02": "award",
}
_STATUS = {"planning": "planned", "competition": "active"}
# The procedure element (PROCEDURE/PT_* or PROCEDURE/DIRECTIVE_*/PT_*) as the eForms procedure code
# (BT-105) that says the same, so that notices of both formats filter alike.
_PROCEDURES = {
    "PT_OPEN": "open",
    "PT_RESTRICTED": "restricted",
    "PT_COMPETITIVE_NEGOTIATION": "neg-w-call",
    "PT_NEGOTIATED_WITH_PRIOR_CALL": "neg-w-call",
    "PT_INVOLVING_NEGOTIATION": "neg-w-call",
    "PT_COMPETITIVE_DIALOGUE": "comp-dial",
    "PT_INNOVATION_PARTNERSHIP": "innovation",
    "PT_NEGOTIATED_WITHOUT_PUBLICATION": "neg-wo-call",
    "PT_AWARD_CONTRACT_WITHOUT_CALL": "neg-wo-call",
    "PT_AWARD_CONTRACT_WITHOUT_PUBLICATION": "neg-wo-call",
    "PT_AWARD_CONTRACT_WITH_PRIOR_PUBLICATION": "oth-single",  # concessions (F25, F23)
}
# Regulation 1370/2007 direct awards (T01/T02: PT_DA_RAILWAY_TRANSPORT, PT_DA_SMALL_CONTRACT, …).
_DIRECT_AWARD = "neg-wo-call"
# Countries spanning several time zones: the capital's, for local times in their forms.
_CAPITAL_ZONES = {
    "PT": "Europe/Lisbon",
    "ES": "Europe/Madrid",
    "DE": "Europe/Berlin",
    "CY": "Asia/Nicosia",
    "UA": "Europe/Kyiv",
    "RU": "Europe/Moscow",
    "KZ": "Asia/Almaty",
    "UZ": "Asia/Tashkent",
    "US": "America/New_York",
    "CA": "America/Toronto",
    "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo",
    "AR": "America/Argentina/Buenos_Aires",
    "CL": "America/Santiago",
    "EC": "America/Guayaquil",
    "AU": "Australia/Sydney",
    "NZ": "Pacific/Auckland",
    "CN": "Asia/Shanghai",
    "ID": "Asia/Jakarta",
    "MY": "Asia/Kuala_Lumpur",
    "MN": "Asia/Ulaanbaatar",
    "CD": "Africa/Kinshasa",
}
_DEFAULT_ZONE = "Europe/Brussels"  # TED's own, for a form whose country is unknown
_NUMBER = re.compile(r"^\s*0*(\d{1,8})-(\d{4})\s*$")  # DOC_ID "059400-2022"
_OJS_NUMBER = re.compile(r"(\d{4})\s*/\s*S\s*\d+\s*-\s*0*(\d{1,8})")  # "2021/S 071-181256"
_SECTION = re.compile(r"^\s*([IVX]+(?:\.\d+)*)")
_DATE = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})")  # "2021-06-07", "20210607"
_TIME = re.compile(r"(\d{1,2})[:.h](\d{2})")  # "11:00", "11.00"


@dataclass
class Change:
    """One change a corrigendum makes (F14 CHANGES/CHANGE): where (a form section such as "IV.2.2",
    a lot), and the new value: a date and time, CPV codes (the old ones they replace) or a text."""

    section: str
    lot: str = ""
    date: datetime | None = None
    cpv_main: str = ""
    cpv_additional: list[str] = field(default_factory=list)
    old_cpv: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class TedNotice(NoticeData):
    """A notice read from a TED_EXPORT document (one language version of it is the original)."""

    form: str = ""  # "F02", "T01"
    number: str = ""  # this document's TED number, "260082-2021"
    corrects: str = ""  # a corrigendum: the TED number of the notice it corrects
    changes: list[Change] = field(default_factory=list)
    coded_deadline: datetime | None = None  # the deadline as TED coded it (CODIF_DATA)


# ---------------------------------------------------------------------------------------------
# Small readers


@cache
def _path(path: str, namespace: str) -> str:
    """ "A/B" -> "{namespace}A/{namespace}B", in the namespace of the element searched from (every
    element of a TED_EXPORT is in the document's one). A step written "{*}NUTS" matches in any
    namespace: NUTS codes have their own (n2016, n2021)."""
    prefix = f"{{{namespace}}}" if namespace else ""
    return "/".join(step if not step or step[0] in ".*{" else prefix + step for step in path.split("/"))


def _namespace(el: etree._Element) -> str:
    tag = el.tag
    return tag[1 : tag.index("}")] if tag[0] == "{" else ""


def _find(el: etree._Element | None, path: str) -> etree._Element | None:
    return None if el is None else el.find(_path(path, _namespace(el)))


def _findall(el: etree._Element | None, path: str) -> list[etree._Element]:
    return [] if el is None else el.findall(_path(path, _namespace(el)))


_LOCAL_NAMES: dict[object, str] = {}  # "{namespace}NAME" -> "NAME": a few hundred tags in all


def _name(el: etree._Element) -> str:
    """The local name of an element ("" for a comment or a processing instruction)."""
    tag = el.tag
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag[tag.find("}") + 1 :] if isinstance(tag, str) else ""
    return name


def _kids(el: etree._Element | None) -> dict[str, etree._Element]:
    """The first child of each name: one pass over the children, where the readers below would
    otherwise search an element many times (awards and lots: hundreds in one notice)."""
    kids: dict[str, etree._Element] = {}
    if el is not None:
        for child in el:
            kids.setdefault(_name(child), child)
    return kids


def _all_named(el: etree._Element | None, name: str) -> list[etree._Element]:
    return [child for child in el if _name(child) == name] if el is not None else []


_SCRIPT_CHARACTERS = "0123456789+-=()"
_SCRIPTS = {  # TED's inline formatting of a few characters, as the characters that say it
    "SUP": str.maketrans(_SCRIPT_CHARACTERS, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"),
    "SUB": str.maketrans(_SCRIPT_CHARACTERS, "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"),
}


def _inline_text(el: etree._Element) -> str:
    """An element's text, its inline markup joined without a space: a superscript or subscript of digits
    (m<FT TYPE="SUP">3</FT>, CO<FT TYPE="SUB">2</FT>) as the character that says it ("m³", "CO₂"), which search
    folds back to the digit; other markup as its text."""
    out = [el.text or ""]
    for child in el:
        if _name(child):  # not a comment or a processing instruction
            inner = _inline_text(child)
            table = _SCRIPTS.get(child.get("TYPE", "")) if _name(child) == "FT" else None
            if table and inner and all(c in _SCRIPT_CHARACTERS for c in inner):
                inner = inner.translate(table)
            out.append(inner)
        out.append(child.tail or "")
    return "".join(out)


def _line(el: etree._Element | None) -> str:
    """The text of an element on one line, its paragraphs (P) joined by a space (_inline_text)."""
    if el is None:
        return ""
    if not len(el):  # no child elements: its own text
        return " ".join(el.text.split()) if el.text else ""
    paragraphs = _all_named(el, "P")
    parts = [_inline_text(p) for p in paragraphs] if paragraphs else [_inline_text(el)]
    return " ".join(" ".join(parts).split())


def _paragraphs(el: etree._Element | None) -> str:
    """The text of an element, one line per paragraph (P)."""
    if el is None:
        return ""
    paragraphs = _all_named(el, "P")
    if not paragraphs:
        return _line(el)
    return "\n".join(t for p in paragraphs if (t := " ".join(_inline_text(p).split())))


def _code(el: etree._Element | None, attribute: str = "CODE") -> str:
    return (el.get(attribute) or "").strip() if el is not None else ""


def _cpvs(elements: Iterable[etree._Element]) -> Iterator[str | None]:
    for el in elements:
        yield normalise_cpv(el.get("CODE"))


def _money(el: etree._Element | None) -> tuple[Decimal | None, str]:
    """An amount and its currency (@CURRENCY). Zero is no amount, as in the eForms reader."""
    if el is None or not el.text:
        return None, ""
    try:
        value = Decimal(el.text.strip().replace(" ", ""))
    except InvalidOperation:
        return None, ""
    if not value.is_finite() or not value:
        return None, ""
    return value, (el.get("CURRENCY") or "").strip().upper()


def _int(el: etree._Element | None) -> int | None:
    text = (el.text or "").strip() if el is not None else ""
    return int(text) if text.isdigit() else None


def ted_number(text: str | None) -> str:
    """A TED notice number as TED shows it: "059400-2022" -> "59400-2022"; from an OJ S reference,
    "2021/S 071-181256" -> "181256-2021". "" when there is none."""
    if not text:
        return ""
    if m := _NUMBER.match(text):
        return f"{m.group(1)}-{m.group(2)}"
    if m := _OJS_NUMBER.search(text):
        return f"{m.group(2)}-{m.group(1)}"
    return ""


@cache
def _zone(country: str) -> tzinfo:
    """The time zone of a country's capital (babel's CLDR data), for local times in its forms."""
    zones = get_global("territory_zones").get(country) or []
    name = _CAPITAL_ZONES.get(country) or (zones[0] if zones else _DEFAULT_ZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(_DEFAULT_ZONE)


def _day(text: str | None) -> date | None:
    m = _DATE.match(text or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _local(day: date | None, clock: str | None, country: str) -> datetime | None:
    """A deadline: a date and a local time in the buyer's country; a date alone is the end of that
    day (the whole day is still open)."""
    if day is None:
        return None
    m = _TIME.search(clock or "")
    try:
        moment = time(int(m.group(1)), int(m.group(2))) if m else time(23, 59, 59)
    except ValueError:
        moment = time(23, 59, 59)
    return datetime.combine(day, moment, tzinfo=_zone(country)).astimezone(UTC)


def _midnight(day: date | None) -> datetime | None:
    """A publication or contract date: the start of that day (UTC)."""
    return datetime.combine(day, time(0), tzinfo=UTC) if day else None


# ---------------------------------------------------------------------------------------------
# The notice


def _original(form_section: etree._Element | None, language: str) -> etree._Element | None:
    """The form in the original language: CATEGORY="ORIGINAL"; else the form in the notice's
    original language (LG_ORIG); else the first form. Children without a FORM (NOTICE_UUID) are not forms."""
    if form_section is None:
        return None
    forms = [el for el in form_section if isinstance(el.tag, str) and el.get("FORM")]
    for el in forms:
        if (el.get("CATEGORY") or "").strip().upper() == "ORIGINAL":
            return el
    for el in forms:
        if (el.get("LG") or "").strip().upper() == language:
            return el
    return forms[0] if forms else None


def _kind(form: str, notice_type: str) -> str:
    """planning | competition | award | other."""
    if form in ("F01", "F04", "F21", "F22", "F23") and notice_type:
        if "AWARD" in notice_type:  # AWARD_CONTRACT, CONCESSION_AWARD_CONTRACT
            return "award"
        if "CALL_COMPETITION" in notice_type or notice_type in ("CONTRACT", "CONCESSION"):
            return "competition"
        return "planning"  # PRI, PRI_ONLY, PER_ONLY, …_REDUCING_TIME_LIMITS
    return _FORM_KINDS.get(form, "other")


def _procedure_type(procedure: etree._Element | None) -> str:
    if procedure is None:
        return ""
    for el in procedure.iter():
        name = el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""
        if name.startswith("PT_DA_"):
            return _DIRECT_AWARD
        if name in _PROCEDURES:
            return _PROCEDURES[name]
    return ""


def _parties(parties: list[etree._Element], address: str) -> tuple[str, str, bool | None]:
    """Name(s), country and SME flag of a contract's contractors or a contest's winners (a group:
    every name, the first one's country and flag)."""
    if not parties:
        return "", "", None
    names, country, sme = [], "", None
    for i, party in enumerate(parties):
        kids = _kids(party)
        where = _kids(kids.get(address))
        names.append(_line(where.get("OFFICIALNAME")))
        if i == 0:
            country = normalise_country(_code(where.get("COUNTRY"), "VALUE"))
            sme = True if "SME" in kids else False if "NO_SME" in kids else None
    return "; ".join(_unique(names)), country, sme


def _award(ac: etree._Element) -> Award | None:
    """One AWARD_CONTRACT that was awarded (AWARDED_CONTRACT), else None. S01 forms put CONTRACTOR,
    the counts of tenders and VAL_TOTAL directly in AWARDED_CONTRACT, later ones in CONTRACTORS,
    TENDERS and VALUES."""
    kids = _kids(ac)
    awarded = kids.get("AWARDED_CONTRACT")
    if awarded is None:
        return None
    contract = _kids(awarded)
    group = contract.get("CONTRACTORS")
    contractors = _all_named(group if group is not None else awarded, "CONTRACTOR")
    name, country, sme = _parties(contractors, "ADDRESS_CONTRACTOR")
    counts = _kids(contract["TENDERS"]) if "TENDERS" in contract else contract
    value, currency = _money(_kids(contract.get("VALUES")).get("VAL_TOTAL"))
    if value is None:
        value, currency = _money(contract.get("VAL_TOTAL"))
    lot = _line(kids.get("LOT_NO"))
    return Award(
        supplier_name=name,
        supplier_country=country,
        supplier_sme=sme,
        value_amount=value,
        value_currency=currency,
        number_of_tenderers=_int(counts.get("NB_TENDERS_RECEIVED")),
        tenders_from_smes=_int(counts.get("NB_TENDERS_RECEIVED_SME")),
        tenders_from_other_eu=_int(counts.get("NB_TENDERS_RECEIVED_OTHER_EU")),
        tenders_from_non_eu=_int(counts.get("NB_TENDERS_RECEIVED_NON_EU")),
        date=_midnight(_day(_line(contract.get("DATE_CONCLUSION_CONTRACT")))),
        lot_ids=[lot] if lot else [],
    )


def _lot_references(awards: list[Award], lots: list[Lot]) -> list[Award]:
    """Awards name their lot as the lot's own number where they can: some buyers number lots "1", "2"
    in the description and "Część nr 1" in the award (F21_PL_PL_457439-2018)."""
    ids = {lot.id for lot in lots}
    for award in awards:
        if award.lot_ids and award.lot_ids[0] not in ids:
            numbers = re.findall(r"\d+", award.lot_ids[0])
            if len(numbers) == 1 and (number := numbers[0].lstrip("0") or "0") in ids:
                award.lot_ids = [number]
    return awards


def _prize(prize: etree._Element) -> Award:
    """A design contest's prize (F13 RESULTS/AWARDED_PRIZE), read as an award."""
    name, country, sme = _parties(_findall(prize, "WINNERS/WINNER"), "ADDRESS_WINNER")
    value, currency = _money(_find(prize, "VAL_PRIZE"))
    return Award(
        supplier_name=name,
        supplier_country=country,
        supplier_sme=sme,
        value_amount=value,
        value_currency=currency,
        number_of_tenderers=_int(_find(prize, "PARTICIPANTS/NB_PARTICIPANTS")),
        tenders_from_smes=_int(_find(prize, "PARTICIPANTS/NB_PARTICIPANTS_SME")),
        tenders_from_other_eu=_int(_find(prize, "PARTICIPANTS/NB_PARTICIPANTS_OTHER_EU")),
        date=_midnight(_day(_line(_find(prize, "DATE_DECISION_JURY")))),
    )


def _lots(descriptions: list[etree._Element], divided: bool) -> list[Lot]:
    """The lots: every OBJECT_DESCR of a notice divided into lots (LOT_DIVISION, lot numbers, or
    several descriptions); a notice that is not has none."""
    parts = []
    for d in descriptions:  # one pass over each description's children
        kids: dict[str, etree._Element] = {}
        codes: list[etree._Element] = []
        for child in d:
            name = _name(child)
            if name in ("CPV_MAIN", "CPV_ADDITIONAL"):
                codes += [code for code in child if _name(code) == "CPV_CODE"]
            else:
                kids.setdefault(name, child)
        parts.append((d, kids, codes))
    if not (divided or len(parts) > 1 or any("LOT_NO" in kids for _d, kids, _c in parts)):
        return []
    lots = []
    for i, (d, kids, codes) in enumerate(parts, 1):
        value, currency = _money(kids.get("VAL_OBJECT"))
        lots.append(
            Lot(
                id=_line(kids.get("LOT_NO")) or (d.get("ITEM") or str(i)).strip(),
                title=_line(kids.get("TITLE")),
                cpv_codes=_unique(_cpvs(codes)),
                value_amount=value,
                value_currency=currency,
            )
        )
    return lots


def _value(contract: etree._Element | None, lots: list[Lot], notice_data: etree._Element | None):
    """The estimated total (VAL_ESTIMATED_TOTAL); else the sum of the lots' values when every lot has
    one, in one currency; else the total value of an award notice (VAL_TOTAL); else the value TED
    coded (NOTICE_DATA/VALUES). A range (VAL_RANGE_TOTAL: the lowest and highest tenders) is not a value."""
    value, currency = _money(_find(contract, "VAL_ESTIMATED_TOTAL"))
    if value is not None:
        return value, currency
    currencies = {lot.value_currency for lot in lots}
    if lots and all(lot.value_amount is not None for lot in lots) and len(currencies) == 1:
        return sum((lot.value_amount for lot in lots), Decimal(0)), currencies.pop()
    value, currency = _money(_find(contract, "VAL_TOTAL"))
    if value is not None:
        return value, currency
    for kind in ("ESTIMATED_TOTAL", "PROCUREMENT_TOTAL"):
        value, currency = _money(_find(notice_data, f"VALUES/VALUE[@TYPE='{kind}']"))
        if value is not None:
            return value, currency
    return None, ""


def _changes(form: etree._Element, country: str) -> list[Change]:
    changes = []
    for ch in _findall(form, "CHANGES/CHANGE"):
        where, new = _find(ch, "WHERE"), _find(ch, "NEW_VALUE")
        if new is None:
            continue
        m = _SECTION.match(_line(_find(where, "SECTION")))
        main = _find(new, "CPV_MAIN/CPV_CODE")
        old = _findall(ch, "OLD_VALUE/CPV_MAIN/CPV_CODE") + _findall(ch, "OLD_VALUE/CPV_ADDITIONAL/CPV_CODE")
        changes.append(
            Change(
                section=m.group(1) if m else "",
                lot=_line(_find(where, "LOT_NO")),
                date=_local(_day(_line(_find(new, "DATE"))), _line(_find(new, "TIME")), country),
                cpv_main=next(iter(_unique(_cpvs([main] if main is not None else []))), ""),
                cpv_additional=_unique(_cpvs(_findall(new, "CPV_ADDITIONAL/CPV_CODE"))),
                old_cpv=_unique(_cpvs(old)),
                text=_paragraphs(_find(new, "TEXT")),
            )
        )
    return changes


def _translations(form_section: etree._Element, original: etree._Element) -> Iterator[tuple[str, str, str]]:
    """(language, title, description) of each other language version of the form."""
    for el in form_section:
        if el is original or not isinstance(el.tag, str) or not el.get("FORM"):
            continue
        language = normalise_language((el.get("LG") or "").strip())
        contract = _find(el, "OBJECT_CONTRACT")
        if language:
            yield language, _line(_find(contract, "TITLE")), _paragraphs(_find(contract, "SHORT_DESCR"))


# What an incomplete notice lacks: (no notice number, no title).
_INCOMPLETE = {
    (True, False): gettext_noop("incomplete TED notice: it has no notice number (DOC_ID)"),
    (False, True): gettext_noop("incomplete TED notice: it has no title"),
    (True, True): gettext_noop("incomplete TED notice: it has no notice number (DOC_ID) and no title"),
}


def build_ted_notice(root: etree._Element, data: bytes) -> TedNotice:
    """One TED_EXPORT document (`root`, parsed from `data`). Raises RejectedItem, in plain words,
    for a schema other than R2.0.9 or a document without a notice number, a form or a title."""
    version = (root.get("VERSION") or "").strip()
    namespace = etree.QName(root).namespace or ""
    if not (version.startswith("R2.0.9") or "R2.0.9" in namespace):
        if not (version or namespace):
            raise RejectedItem(
                gettext_noop(
                    "a TED notice in another schema (no version given): only R2.0.9, TED's format of 2014–2023, is read"
                )
            )
        raise RejectedItem(
            gettext_noop(
                "a TED notice in another schema (%(schema)s): only R2.0.9, TED's format of 2014–2023, is read"
            ),
            schema=version or namespace,
        )
    coded = _find(root, "CODED_DATA_SECTION")
    notice_data = _find(coded, "NOTICE_DATA")
    lg_orig = _line(_find(notice_data, "LG_ORIG")).upper()
    lg_orig = lg_orig if re.fullmatch(r"[A-Z]{2}", lg_orig) else ""  # it goes into a path below
    form_section = _find(root, "FORM_SECTION")
    form_el = _original(form_section, lg_orig)
    number = ted_number(root.get("DOC_ID")) or ted_number(_line(_find(notice_data, "NO_DOC_OJS")))
    contract = _find(form_el, "OBJECT_CONTRACT")
    language = normalise_language((form_el.get("LG") if form_el is not None else "") or lg_orig)
    translations = _find(root, "TRANSLATION_SECTION")
    title = _line(_find(contract, "TITLE")) or _line(
        _find(translations, f"ML_TITLES/ML_TI_DOC[@LG='{lg_orig}']/TI_TEXT")
    )
    if form_el is None or form_section is None:
        raise RejectedItem(gettext_noop("incomplete TED notice: its FORM_SECTION holds no form"))
    missing = (not number, not title)
    if any(missing):
        raise RejectedItem(_INCOMPLETE[missing])
    form = (form_el.get("FORM") or "").strip().upper()
    notice_type = _code(_find(form_el, "NOTICE"), "TYPE").upper()
    kind = _kind(form, notice_type)

    buyer = _find(form_el, "CONTRACTING_BODY/ADDRESS_CONTRACTING_BODY")
    buyer_country = normalise_country(_code(_find(buyer, "COUNTRY"), "VALUE")) or normalise_country(
        _code(_find(notice_data, "ISO_COUNTRY"), "VALUE")
    )
    buyer_name = _line(_find(buyer, "OFFICIALNAME")) or _line(_find(translations, "ML_AA_NAMES/AA_NAME"))

    descriptions = _findall(contract, "OBJECT_DESCR")
    modified = _find(form_el, "MODIFICATIONS_CONTRACT/DESCRIPTION_PROCUREMENT")  # F20
    description = (
        _paragraphs(_find(contract, "SHORT_DESCR"))
        or next((t for d in descriptions if (t := _paragraphs(_find(d, "SHORT_DESCR")))), "")
        or _paragraphs(_find(modified, "SHORT_DESCR"))
    )
    lots = _lots(descriptions, _find(contract, "LOT_DIVISION") is not None)
    cpv_codes = _unique(
        _cpvs(
            [
                *_findall(contract, "CPV_MAIN/CPV_CODE"),
                *_findall(contract, "OBJECT_DESCR/CPV_MAIN/CPV_CODE"),
                *_findall(contract, "OBJECT_DESCR/CPV_ADDITIONAL/CPV_CODE"),
                *_findall(modified, "CPV_MAIN/CPV_CODE"),
                *_findall(modified, "CPV_ADDITIONAL/CPV_CODE"),
            ]
        )
    ) or _unique(_cpvs(_findall(notice_data, "ORIGINAL_CPV")))
    nuts = _unique(
        _code(el) for el in [*_findall(contract, "OBJECT_DESCR/{*}NUTS"), *_findall(modified, "{*}NUTS")]
    ) or _unique(_code(el) for el in _findall(notice_data, "{*}PERFORMANCE_NUTS"))
    value, currency = _value(contract, lots, notice_data)

    procedure = _find(form_el, "PROCEDURE")
    codif = _find(coded, "CODIF_DATA")
    coded_deadline = None
    if submission := _line(_find(codif, "DT_DATE_FOR_SUBMISSION")):  # "20210607 11:00"
        coded_deadline = _local(_day(submission), submission[8:], buyer_country)
    deadline = (
        _local(
            _day(_line(_find(procedure, "DATE_RECEIPT_TENDERS"))),
            _line(_find(procedure, "TIME_RECEIPT_TENDERS")),
            buyer_country,
        )
        or coded_deadline
    )

    awards = _lot_references([a for ac in _findall(form_el, "AWARD_CONTRACT") if (a := _award(ac))], lots)
    awards += [_prize(p) for p in _findall(form_el, "RESULTS/AWARDED_PRIZE")]
    if awards:
        status = "awarded"
    elif not_awarded := _findall(form_el, "AWARD_CONTRACT/NO_AWARDED_CONTRACT") + _findall(
        form_el, "RESULTS/NO_AWARDED_PRIZE"
    ):
        # Nothing awarded: "cancelled" when every one was discontinued, else "unsuccessful".
        discontinued = all(_find(el, "PROCUREMENT_DISCONTINUED") is not None for el in not_awarded)
        status = "cancelled" if discontinued else "unsuccessful"
    else:
        status = _STATUS.get(kind, "")

    titles = {language: title} if language else {}
    texts = {language: description} if language and description else {}
    for lang, other_title, other_description in _translations(form_section, form_el):
        if other_title:
            titles.setdefault(lang, other_title)
        if other_description:
            texts.setdefault(lang, other_description)

    published = _midnight(_day(_line(_find(coded, "REF_OJS/DATE_PUB"))))
    ojs_number = _line(_find(notice_data, "NO_DOC_OJS"))
    corrects = ""
    if form == "F14":
        reference = _line(_find(notice_data, "REF_NOTICE/NO_DOC_OJS")) or _line(
            _find(form_el, "COMPLEMENTARY_INFO/NOTICE_NUMBER_OJ")
        )
        corrects = ted_number(reference)
        if corrects:  # the notice it corrects: its number, its OJ S reference, its page on TED
            ojs_number = reference
    source_id = corrects or number
    return TedNotice(
        source_id=source_id,
        notice_type=kind,
        title=title,
        description=description,
        language=language,
        titles=titles,
        descriptions=texts,
        buyer_name=buyer_name,
        buyer_id=_line(_find(buyer, "NATIONALID")),
        buyer_country=buyer_country,
        cpv_codes=cpv_codes,
        nuts_codes=[code for code in nuts if code],
        value_amount=value,
        value_currency=currency,
        deadline=deadline,
        published=published,
        ojs_number=ojs_number,
        procedure_type=_procedure_type(procedure),
        status=status,
        url=f"https://ted.europa.eu/en/notice/-/detail/{source_id}",
        lots=lots,
        awards=awards,
        raw=_raw_text(data, root),
        raw_format="xml",
        version_key=number,
        version_date=published,
        version_tags=["ted-r209", form],
        form=form,
        number=number,
        corrects=corrects,
        changes=_changes(form_el, buyer_country) if form == "F14" else [],
        coded_deadline=coded_deadline,
    )
