"""The OCDS connector's reading and mapping half (no database).

- `iter_ocds(location)` streams releases and records from files, directories and URLs
  (see ocds_readers.py for the formats it accepts and the errors it reports).
- `merge_releases(releases)` compiles the releases of one ocid by the OCDS merge rules (merge.py: exactly
  ocdsmerge's result, faster; the OCDS 1.1.5 schema shipped with the product, nothing fetched).
- `release_to_notice(release)` maps one release (single or compiled) to a NoticeData.
- `to_json(obj)` serialises what the readers produce (Decimal amounts included) compactly.

The mapping is written to be cheap (the ingest target is thousands of releases a second): every list is
walked once, parties are indexed once per release, regexes are compiled at import.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from urllib.parse import quote

import orjson
from django.utils.translation import gettext_noop

from greenbridge.reference.cpv import normalise_cpv
from greenbridge.reference.normalise import normalise_country, normalise_language

from .merge import merge_releases
from .ocds_readers import OcdsItem, iter_ocds
from .types import Award, Lot, NoticeData, RejectedItem

__all__ = [
    "OcdsItem",
    "is_compiled",
    "iter_ocds",
    "merge_releases",
    "parse_datetime",
    "release_tags",
    "release_to_notice",
    "to_json",
]

Obj = dict[str, Any]

# --------------------------------------------------------------------------------------- JSON


_EXACT_MARK = "\x00exact-number:"
# json.dumps escapes the NUL of the mark; the placeholder string is swapped for the bare number after.
_EXACT_RE = re.compile(r'"\\u0000exact-number:(-?[0-9.Ee+-]+)"')


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        as_float = float(value)
        # Most amounts survive a float exactly (shortest repr round-trips); the others keep their digits.
        if value.is_finite() and Decimal(repr(as_float)) == value:
            return as_float
        return f"{_EXACT_MARK}{value}" if value.is_finite() else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(obj: Any) -> str:
    """Compact JSON (no spaces, UTF-8 text kept as is). Decimals are written as JSON numbers with
    their exact value; ints stay ints. orjson writes it; what orjson refuses (an integer beyond 64
    bits, as some publishers' ids are) the standard library writes."""
    try:
        text = orjson.dumps(obj, default=_json_default).decode()
    except TypeError:
        text = json.dumps(obj, default=_json_default, separators=(",", ":"), ensure_ascii=False)
    if "\\u0000exact-number:" in text:
        text = _EXACT_RE.sub(r"\1", text)
    return text


# --------------------------------------------------------------------------------------- small helpers


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 with or without offset ("Z" accepted); naive means UTC. Anything else -> None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# The OCDS 1.1 releaseTag codelist, and names publishers use for some of its codes.
_TAGS = (
    "planning",
    "planningUpdate",
    "tender",
    "tenderAmendment",
    "tenderUpdate",
    "tenderCancellation",
    "award",
    "awardUpdate",
    "awardCancellation",
    "contract",
    "contractUpdate",
    "contractAmendment",
    "implementation",
    "implementationUpdate",
    "contractTermination",
    "compiled",
)
_TAG_NAMES = {t.lower(): t for t in _TAGS} | {
    "awardnotice": "award",  # Taiwan's 2017 feed
    "contractawardnotice": "award",
    "tendernotice": "tender",
    "contractnotice": "tender",
    "planningnotice": "planning",
}


def release_tags(value: Any) -> list[str]:
    """A release's tags as a list of OCDS codes: a single string ("award", as Montréal publishes it)
    is a list of one; codes in another case and known synonyms ("awardNotice") become the code;
    other values are kept as they are. Duplicates are dropped."""
    tags = _strings(value)
    return list(dict.fromkeys(_TAG_NAMES.get(t.lower(), t) for t in tags))


def is_compiled(release: Obj) -> bool:
    """A compiled release (tag "compiled"): a publisher's whole state of a process, not an update."""
    return "compiled" in release_tags(release.get("tag"))


def _obj(value: Any) -> Obj:
    return value if isinstance(value, dict) else {}


def _objs(value: Any) -> list[Obj]:
    """The objects of a list; a lone object where a list belongs (Taiwan's `awards`) is a list of one."""
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [_text(v) for v in value if _text(v)] if isinstance(value, list) else []


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | str):
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    return None


def _value(value: Any) -> tuple[Decimal | None, str]:
    """(amount, currency) of an OCDS Value; (None, "") when there is no amount. An amount of 0 is no
    amount: publishers write 0 where they have none (Armenia's tenders, eForms' `0.0000`)."""
    value = _obj(value)
    amount = _amount(value.get("amount"))
    return (amount, _text(value.get("currency")).upper()) if amount else (None, "")


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


# --------------------------------------------------------------------------------------- parties


class _Parties:
    """The release's parties indexed once: by id, and the first party of each role."""

    __slots__ = ("by_id", "by_role")

    def __init__(self, parties: Any) -> None:
        self.by_id: dict[str, Obj] = {}
        self.by_role: dict[str, Obj] = {}
        for party in _objs(parties):
            if party_id := _text(party.get("id")):
                self.by_id.setdefault(party_id, party)
            for role in _strings(party.get("roles")):
                self.by_role.setdefault(role, party)

    def get(self, reference: Obj) -> Obj:
        """The party an OrganizationReference points to, else the reference itself (publishers such
        as Prozorro's native API embed the whole organisation)."""
        return self.by_id.get(_text(reference.get("id"))) or reference


def _country(org: Obj) -> str:
    """ISO alpha-2 of an organisation's address: `country` (a code, eForms-style), `countryName`
    (any language), or MTender's addressDetails.country.id."""
    address = _obj(org.get("address"))
    for field in ("country", "countryName"):
        if (value := address.get(field)) and isinstance(value, str) and (code := normalise_country(value)):
            return code
    details = _obj(_obj(address.get("addressDetails")).get("country"))
    return normalise_country(_text(details.get("id")) or _text(details.get("description")))


def _buyer(release: Obj, tender: Obj, parties: _Parties, language: str) -> tuple[str, str, str]:
    """(name, id, country). release.buyer first; else the party with role buyer/procuringEntity;
    else tender.procuringEntity."""
    by_role = parties.by_role.get("buyer") or parties.by_role.get("procuringEntity") or {}
    reference = _obj(release.get("buyer")) or by_role
    if not reference:
        reference = _obj(tender.get("procuringEntity"))
    org = parties.get(reference)
    identifier = _obj(org.get("identifier"))
    name = (
        _localised(reference, "name", language)
        or _localised(org, "name", language)
        or _localised(identifier, "legalName", language)
    )
    buyer_id = _text(reference.get("id")) or _text(org.get("id"))
    if not buyer_id and (ident := _text(identifier.get("id"))):
        scheme = _text(identifier.get("scheme"))
        buyer_id = f"{scheme}-{ident}" if scheme else ident
    # The country may only be on the party with the buyer role (a buyer reference to a missing party).
    return name, buyer_id, _country(org) or _country(reference) or (_country(by_role) if by_role else "")


# --------------------------------------------------------------------------------------- CPV


_SCHEME_NOISE = re.compile(r"[\s_.:/-]+")


@cache
def _is_cpv_scheme(scheme: str) -> bool:
    """CPV, a country's CPV ("CPV-AM": Armenia publishes CPV 2008 codes under it), and Ukraine's ДК021
    (DK 021:2015 is CPV 2008). Not CPVS, the supplementary vocabulary."""
    key = _SCHEME_NOISE.sub("", scheme.upper())
    if key in ("CPV", "CPV2008", "ДК021", "DK021", "ДК0212015", "DK0212015"):
        return True
    return len(key) == 5 and key.startswith("CPV") and key[3:].isalpha() and key[3:].isascii()


def _cpv_code(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:08d}" if 0 < value < 100_000_000 else None  # a number lost its leading zero
    text = _text(value)
    code = normalise_cpv(text)
    if code is None and text.endswith(".0"):  # "45233130.0": an id that went through a spreadsheet
        code = normalise_cpv(text[:-2])
    return code


def _classification_cpv(classification: Any) -> str | None:
    classification = _obj(classification)
    scheme = classification.get("scheme")
    if not isinstance(scheme, str) or not _is_cpv_scheme(scheme):
        return None
    return _cpv_code(classification.get("id"))


def _item_cpvs(item: Obj, into: list[str]) -> None:
    if code := _classification_cpv(item.get("classification")):
        into.append(code)
    for extra in _objs(item.get("additionalClassifications")):
        if code := _classification_cpv(extra):
            into.append(code)


def _cpv_codes(tender: Obj, tender_items: list[Obj], other_items: list[Obj]) -> tuple[list[str], dict[str, list[str]]]:
    """(codes, codes by lot id). Main first: the tender's own classification (MTender has one), then its
    items' (classification, then additional ones), its lots' (MTender), then award and contract items'.
    Duplicates are dropped, first seen first."""
    codes: list[str] = []
    if code := _classification_cpv(tender.get("classification")):
        codes.append(code)
    by_lot: dict[str, list[str]] = {}
    for item in tender_items:
        start = len(codes)
        _item_cpvs(item, codes)
        if (lot_id := _text(item.get("relatedLot"))) and len(codes) > start:
            by_lot.setdefault(lot_id, []).extend(codes[start:])
    for lot in _objs(tender.get("lots")):
        if code := _classification_cpv(lot.get("classification")):
            codes.append(code)
    for item in other_items:
        _item_cpvs(item, codes)
    return list(dict.fromkeys(codes)), by_lot


# --------------------------------------------------------------------------------------- decisions


def _notice_type(tender: Obj, planning: Obj, awards: list[Obj], contracts: list[Obj]) -> str:
    """What a release (single or compiled; a compiled release's tag says nothing) announces, from its
    content:
    - award: it has awards; or contracts while the tender is missing, has no status (Mexico's federal
      contracts), or is complete or unsuccessful;
    - competition: a tender with a tender period, or an active/planned tender;
    - planning: a planning block only;
    - other: anything else (e.g. a cancelled tender with no period)."""
    status = _text(tender.get("status")).split(".")[0]
    if awards or (contracts and (not tender or status in ("", "complete", "unsuccessful"))):
        return "award"
    if tender and (tender.get("tenderPeriod") or status in ("active", "planned", "planning")):
        return "competition"
    if planning:
        return "planning"
    return "other"


_TENDER_STATUS = {
    "planning": "planned",
    "planned": "planned",
    "active": "active",
    "cancelled": "cancelled",
    "withdrawn": "cancelled",
    "unsuccessful": "unsuccessful",
    "complete": "closed",
}
_LIVE_AWARD = frozenset({"active", "pending", ""})


def _status(tender: Obj, awards: list[Obj], contracts: list[Obj]) -> str:
    """planned | active | cancelled | unsuccessful | closed | awarded | "".
    A complete tender with an active or pending award is "awarded"; so is a release with awards or
    contracts and no tender status. Prozorro-style sub-statuses ("active.tendering") count as their
    first part."""
    status = _TENDER_STATUS.get(_text(tender.get("status")).split(".")[0], "")
    live_award = any(_text(a.get("status")) in _LIVE_AWARD for a in awards)
    if status == "closed" and live_award:
        return "awarded"
    if not status and (awards or contracts):
        return "awarded"
    return status


_SKIPPED_STATUSES = frozenset({"cancelled", "unsuccessful"})


def _paraguay_url(tender: Obj, ocid: str) -> str:
    tender_id = _text(tender.get("id"))
    if not tender_id:
        return ""
    # Direct awards are published without a call for tenders, under another path.
    direct = tender.get("procurementMethod") == "direct"
    section = "sin-difusion-convocatoria" if direct else "licitaciones/convocatoria"
    return f"https://www.contrataciones.gov.py/{section}/{quote(tender_id, safe='')}.html"


def _prozorro_url(tender: Obj, ocid: str) -> str:
    # A Prozorro ocid is the prefix and the tenderID, so contract releases (no tender) get a page too.
    tender_id = _text(tender.get("tenderID")) or ocid.removeprefix("ocds-be6bcu-")
    return f"https://prozorro.gov.ua/tender/{quote(tender_id, safe='')}" if tender_id else ""


# Publishers we know, by ocid prefix: their country (when the buyer's address has none) and how to
# build the public page of a notice (only patterns seen in use; others get no URL).
_PUBLISHERS: dict[str, tuple[str, Callable[[Obj, str], str] | None]] = {
    "ocds-be6bcu": ("UA", _prozorro_url),  # Prozorro, Ukraine
    "ocds-03ad3f": ("PY", _paraguay_url),  # DNCP, Paraguay
    "ocds-b3wdp1": ("MD", None),  # MTender, Moldova
    "ocds-px0z7d": ("PT", None),  # IMPIC / base.gov.pt, Portugal
    "ocds-43qwtd": ("AU", None),  # NSW eTendering, Australia
    "ocds-34a6hz": ("CA", None),  # Buyandsell.gc.ca, Canada
    "ocds-07smqs": ("MX", None),  # Administración Pública Federal, Mexico
    "ocds-xs1qbl": ("MX", None),  # Jalisco, Mexico
    "ocds-rdvc92": ("UG", None),  # PPDA, Uganda
}


# --------------------------------------------------------------------------------------- texts


def _translations(obj: Obj, field: str) -> dict[str, str]:
    """OCDS language variants: "title_en", "title_ru", "title_en-GB" -> {"en": …, "ru": …}."""
    prefix = field + "_"
    found: dict[str, str] = {}
    for key, value in obj.items():
        if not key.startswith(prefix):
            continue
        if (text := _prose(value)) and (lang := normalise_language(key[len(prefix) :])):
            found.setdefault(lang, text)
    return found


def _localised(obj: Obj, field: str, language: str) -> str:
    """`field`, else its variant in `language` ("name_en"), else its first variant (Canada's feed has
    only "title_en" and "title_fr")."""
    if text := _text(obj.get(field)):
        return text
    if not any(isinstance(key, str) and key.startswith(field + "_") for key in obj):
        return ""
    variants = _translations(obj, field)
    return variants.get(language) or next(iter(variants.values()), "")


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
_SPACES = re.compile(r"[ \t\xa0]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


def _prose(value: Any) -> str:
    """A text field as plain text: HTML, as New South Wales publishes descriptions, becomes lines."""
    text = _text(value)
    if "<" not in text or not _TAG.search(text):
        return text
    text = _TAG.sub(lambda m: "\n" if m.group(2).lower() in _BLOCK_TAGS else "", text)
    text = _SPACES.sub(" ", html.unescape(text))
    return _BLANK_LINES.sub("\n", text).strip()


def _as_title(description: str, limit: int = 160) -> str:
    """A title made from a description (many publishers give no title): its first line, cut at a word
    before `limit` characters."""
    line = description.split("\n", 1)[0].strip()
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}…"


def _pick(sources: list[Obj], field: str, language: str) -> tuple[str, dict[str, str]]:
    """The first source's `field` (or its only variants) as plain text, with the variants by language."""
    for source in sources:
        text = _prose(source.get(field))
        if not text and not any(isinstance(key, str) and key.startswith(field + "_") for key in source):
            continue
        variants = _translations(source, field)
        if text:
            if language:
                variants[language] = text
            return text, variants
        if variants:
            return variants.get(language) or next(iter(variants.values())), variants
    return "", {}


def _texts(
    release: Obj,
    tender: Obj,
    planning: Obj,
    awards: list[Obj],
    contracts: list[Obj],
    items: list[Obj],
    language: str,
) -> tuple[str, str, dict[str, str], dict[str, str]]:
    """Title: tender, else first award, else first contract, else the first item's description, else the
    release's name (Taiwan), else the first item's classification's description, else the budget's project,
    else made from the description.
    Description: tender, else the budget's description, else first award, else first contract.
    Each text is plain text (HTML removed); a field given only in languages (title_en, title_fr) is
    read in the release's language, else the first. Translations come from the object the text came
    from, and only for a title that is a title."""
    budget = _obj(planning.get("budget"))
    first = [awards[0]] if awards else []
    first += [contracts[0]] if contracts else []
    title, titles = _pick([tender, *first], "title", language)
    if not title:
        # What is bought says more than the budget line that pays for it (Armenia's plans: "Detergents", not
        # "Executive power, state administration…"); the release's name (Taiwan) more than an item's
        # classification, which names a kind of thing.
        title = _pick(items, "description", language)[0] or _prose(release.get("name"))
        title = title or _pick([_obj(item.get("classification")) for item in items], "description", language)[0]
        title = title or _pick([budget], "project", language)[0]
    description, descriptions = _pick([tender, budget, *first], "description", language)
    if not title and description:
        title = _as_title(description)
    if title and not titles and language:
        titles = {language: title}
    return title, description, titles, descriptions


# --------------------------------------------------------------------------------------- lots, awards


def _lots(tender: Obj, cpv_by_lot: dict[str, list[str]]) -> list[Lot]:
    lots = []
    for lot in _objs(tender.get("lots")):
        lot_id = _text(lot.get("id"))
        if not lot_id:
            continue
        codes = cpv_by_lot.get(lot_id, [])
        if code := _classification_cpv(lot.get("classification")):  # MTender classifies lots
            codes = [code, *codes]
        amount, currency = _value(lot.get("value"))
        lots.append(
            Lot(
                id=lot_id,
                title=_text(lot.get("title")),
                cpv_codes=list(dict.fromkeys(codes)),
                value_amount=amount,
                value_currency=currency,
                deadline=parse_datetime(_obj(lot.get("tenderPeriod")).get("endDate")),
            )
        )
    return lots


def _awards(release: Obj, tender: Obj, awards: list[Obj], contracts: list[Obj], parties: _Parties) -> list[Award]:
    """Awards that stand (status active, pending or none; cancelled and unsuccessful ones are
    dropped). A release with contracts but no awards (Prozorro and DNCP contract releases) gets one
    Award per contract, from the contract's suppliers, value and signature date, so that the winner
    is known."""
    tenderers = _int(tender.get("numberOfTenderers"))
    bids = _objs(_obj(release.get("bids")).get("details"))
    result = []
    sources = awards or contracts
    for source in sources:
        if _text(source.get("status")) in _SKIPPED_STATUSES:
            continue
        suppliers = _objs(source.get("suppliers"))
        reference = suppliers[0] if suppliers else {}
        supplier = parties.get(reference) if reference else {}
        amount, currency = _value(source.get("value"))
        lot_ids = _strings(source.get("relatedLots"))
        count = tenderers if tenderers is not None else _count_bids(bids, lot_ids)
        date = source.get("date") if awards else source.get("dateSigned")
        result.append(
            Award(
                supplier_name=_text(reference.get("name")) or _text(supplier.get("name")),
                supplier_country=_country(supplier),
                value_amount=amount,
                value_currency=currency,
                number_of_tenderers=count,
                date=parse_datetime(date),
                lot_ids=lot_ids,
            )
        )
    return result


def _total(sources: list[Obj]) -> tuple[Decimal | None, str]:
    """The value of the awards (or contracts) that stand, when they are in one currency: what an award
    notice without a tender value is worth (Canada's and Montréal's feeds)."""
    total, currencies = Decimal(0), set()
    for source in sources:
        if _text(source.get("status")) in _SKIPPED_STATUSES:
            continue
        amount, currency = _value(source.get("value"))
        if amount is not None:
            total += amount
            currencies.add(currency)
    return (total, currencies.pop()) if len(currencies) == 1 else (None, "")


def _count_bids(bids: list[Obj], lot_ids: list[str]) -> int | None:
    """Bids (bids extension) for the award's lots, or all bids when the award names no lot."""
    if not bids:
        return None
    if not lot_ids:
        return len(bids)
    wanted = set(lot_ids)
    return sum(1 for bid in bids if wanted.intersection(_strings(bid.get("relatedLots"))))


# --------------------------------------------------------------------------------------- mapping


def release_to_notice(release: Obj, *, raw: str | None = None) -> NoticeData:
    """Map one release (single or compiled) to a NoticeData. `raw`: the release already serialised
    (the pipeline has it; serialising twice is a large part of the cost per release).

    Raises RejectedItem (plain reason) when the release is not an object or has no ocid. Fields that
    cannot be read (an unparseable date, a non-numeric amount) are left empty rather than rejecting
    the notice. `published` is the release's `publishedDate` if any, else its `date` (for a compiled
    release: the date of its latest release). `version_key` is the release id; callers compiling
    releases override it."""
    if not isinstance(release, dict):
        raise RejectedItem(gettext_noop("the release is not a JSON object"))
    ocid = _text(release.get("ocid"))
    if not ocid:
        raise RejectedItem(gettext_noop("the release has no ocid"))

    tender = _obj(release.get("tender"))
    planning = _obj(release.get("planning"))
    awards = _objs(release.get("awards"))
    contracts = _objs(release.get("contracts"))
    parties = _Parties(release.get("parties"))
    language = normalise_language(_text(release.get("language")))
    tender_items = _objs(tender.get("items"))
    other_items = [item for holder in (*awards, *contracts) for item in _objs(holder.get("items"))]
    if planning:  # Armenia's plans list their items (with CPV codes) in planning.tender
        other_items += _objs(planning.get("items")) + _objs(_obj(planning.get("tender")).get("items"))
    codes, cpv_by_lot = _cpv_codes(tender, tender_items, other_items)

    amount, currency = _value(tender.get("value"))
    if amount is None:
        amount, currency = _value(_obj(planning.get("budget")).get("amount"))
    if amount is None and (awards or contracts):
        amount, currency = _total(awards) if awards else (None, "")
        if amount is None:
            amount, currency = _total(contracts)

    title, description, titles, descriptions = _texts(
        release, tender, planning, awards, contracts, tender_items or other_items, language
    )
    buyer_name, buyer_id, buyer_country = _buyer(release, tender, parties, language)
    publisher_country, url_builder = _PUBLISHERS.get(ocid[:11], ("", None))

    return NoticeData(
        source_id=ocid,
        notice_type=_notice_type(tender, planning, awards, contracts),
        ocid=ocid,
        procedure_id=_text(tender.get("tenderID")) or _text(tender.get("id")),
        title=title,
        description=description,
        language=language,
        titles=titles,
        descriptions=descriptions,
        buyer_name=buyer_name,
        buyer_id=buyer_id,
        buyer_country=buyer_country or publisher_country,
        cpv_codes=codes,
        value_amount=amount,
        value_currency=currency,
        deadline=parse_datetime(_obj(tender.get("tenderPeriod")).get("endDate")),
        published=parse_datetime(release.get("publishedDate")) or parse_datetime(release.get("date")),
        procedure_type=_text(tender.get("procurementMethod")),
        status=_status(tender, awards, contracts),
        url=url_builder(tender, ocid) if url_builder else "",
        lots=_lots(tender, cpv_by_lot),
        awards=_awards(release, tender, awards, contracts, parties),
        raw=raw if raw is not None else to_json(release),
        raw_format="json",
        version_key=_text(release.get("id")),
        version_date=parse_datetime(release.get("date")),
        version_tags=release_tags(release.get("tag")),
    )
