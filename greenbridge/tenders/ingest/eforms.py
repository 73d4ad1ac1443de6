"""The eForms connector: EU procurement notices in eForms XML (UBL 2.3 + eForms extensions).

Pure parsing, no database. Fields are found by their eForms business term (BT-xx) with
namespace-aware XPath relative to the notice root, compiled once. The root element only tells the
notice kind; national profiles and SDK versions differ in the rest, so nothing else depends on it.
The field -> XPath reference is data/eforms/mapping/eforms_bt_to_ocds_guidance.yaml.

    parse_eforms(xml_bytes) -> NoticeData       (raises RejectedItem)
    iter_eforms(location)   -> SourceItems      (a file, a directory, a .zip, a .tar.gz, archives of them)

A TED_EXPORT root (TED's format before eForms, schema R2.0.9) is handed to ted_r209.py.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext_noop
from lxml import etree

from greenbridge.reference.cpv import normalise_cpv
from greenbridge.reference.normalise import normalise_country, normalise_language

from .safexml import XmlError, parse_xml
from .types import Award, Lot, NoticeData, RejectedItem, SourceItem
from .xml_inputs import iter_documents

__all__ = ["iter_eforms", "parse_eforms"]

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}


def _x(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=NS)


_EXT = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
_CPV = "cbc:ItemClassificationCode[not(@listName) or @listName='cpv']"
_GREEN_LISTS = ("strategic-procurement", "environmental-impact", "gpp-criteria")
_DOCS = "cac:TenderingTerms/cac:CallForTendersDocumentReference"

# Notice level (context: the root element).
X_NOTICE_ID = _x("cbc:ID[@schemeName='notice-id']")  # BT-701
X_ANY_ID = _x("cbc:ID")  # profiles that leave out the schemeName
X_VERSION = _x("cbc:VersionID")  # BT-757
X_FOLDER = _x("cbc:ContractFolderID")  # BT-04
X_ISSUE_DATE, X_ISSUE_TIME = _x("cbc:IssueDate"), _x("cbc:IssueTime")  # BT-05
X_NOTICE_TYPE = _x("cbc:NoticeTypeCode")  # BT-02, @listName is BT-03
X_LANGUAGE = _x("cbc:NoticeLanguageCode")  # BT-702
X_SUBTYPE = _x(f"{_EXT}/efac:NoticeSubType/cbc:SubTypeCode")  # OPP-070
X_CHANGED = _x(f"{_EXT}/efac:Changes/efbc:ChangedNoticeIdentifier")  # BT-758
X_PUBLICATION_ID = _x(f"{_EXT}/efac:Publication/efbc:NoticePublicationID")  # OPP-010
X_PUBLICATION_DATE = _x(f"{_EXT}/efac:Publication/efbc:PublicationDate")  # OPP-012
X_BUYER_REF = _x("cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID")  # OPT-300
X_COMPANIES = _x(f"{_EXT}/efac:Organizations/efac:Organization/efac:Company")
X_PROCEDURE = _x("cac:ProcurementProject")
X_PROCEDURE_CODE = _x("cac:TenderingProcess/cbc:ProcedureCode")  # BT-105
X_LOTS = _x("cac:ProcurementProjectLot")
X_RESULT = _x(f"{_EXT}/efac:NoticeResult")

# An organisation (context: efac:Company).
X_ORG_ID = _x("cac:PartyIdentification/cbc:ID")  # OPT-200
X_ORG_NAMES = _x("cac:PartyName/cbc:Name")  # BT-500
X_ORG_LEGAL_ID = _x("cac:PartyLegalEntity/cbc:CompanyID")  # BT-501
X_ORG_COUNTRY = _x("cac:PostalAddress/cac:Country/cbc:IdentificationCode")  # BT-514

# A procurement project, of the procedure or of a lot (context: cac:ProcurementProject).
X_NAMES, X_DESCRIPTIONS = _x("cbc:Name"), _x("cbc:Description")  # BT-21, BT-24
X_VALUE = _x("cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")  # BT-27
X_MAIN_CPV = _x(f"cac:MainCommodityClassification/{_CPV}")  # BT-262
X_MORE_CPV = _x(f"cac:AdditionalCommodityClassification/{_CPV}")  # BT-263
X_GREEN = _x(
    "cac:ProcurementAdditionalType/cbc:ProcurementTypeCode["
    + " or ".join(f"@listName='{name}'" for name in _GREEN_LISTS)
    + "]"
)  # BT-06, BT-774, BT-805

# A lot (context: cac:ProcurementProjectLot).
X_LOT_ID = _x("cbc:ID")
X_LOT_PROJECT = _x("cac:ProcurementProject")
X_TENDER_DEADLINE = _x("cac:TenderingProcess/cac:TenderSubmissionDeadlinePeriod")  # BT-131
X_REQUEST_DEADLINE = _x("cac:TenderingProcess/cac:ParticipationRequestReceptionPeriod")  # BT-1311
X_END_DATE, X_END_TIME = _x("cbc:EndDate"), _x("cbc:EndTime")
X_PUBLIC_DOCS = _x(
    f"{_DOCS}[cbc:DocumentType='non-restricted-document']/cac:Attachment/cac:ExternalReference/cbc:URI"
)  # BT-15
X_ANY_DOCS = _x(f"{_DOCS}/cac:Attachment/cac:ExternalReference/cbc:URI")

# Results (context: efac:NoticeResult and its children).
X_LOT_RESULTS, X_LOT_TENDERS = _x("efac:LotResult"), _x("efac:LotTender")
X_CONTRACTS, X_PARTIES = _x("efac:SettledContract"), _x("efac:TenderingParty")
X_ID = _x("cbc:ID")
X_RESULT_CODE = _x("cbc:TenderResultCode")  # BT-142
X_TENDER_LOT = _x("efac:TenderLot/cbc:ID")  # BT-13713 / BT-13714
X_TENDER_REFS = _x("efac:LotTender/cbc:ID")  # OPT-320 / BT-3202
X_TENDERS_RECEIVED = _x(
    "efac:ReceivedSubmissionsStatistics[efbc:StatisticsCode='tenders']/efbc:StatisticsNumeric"
)  # BT-759 for BT-760 'tenders'
X_TENDER_VALUE = _x("cac:LegalMonetaryTotal/cbc:PayableAmount")  # BT-720
X_TENDER_PARTY = _x("efac:TenderingParty/cbc:ID")  # OPT-310
X_TENDERERS = _x("efac:Tenderer")  # OPT-300
X_GROUP_LEAD = _x("efbc:GroupLeadIndicator")
X_AWARD_DATE, X_CONCLUSION_DATE = _x("cbc:AwardDate"), _x("cbc:IssueDate")  # BT-1451, BT-145
X_RESULT_TOTAL = _x("cbc:TotalAmount")  # BT-161
# Framework agreements: the maximum (BT-118), else the approximate (BT-1118) value of all of them.
X_FRAMEWORK_TOTALS = (
    _x("efbc:OverallMaximumFrameworkContractsAmount"),
    _x("efbc:OverallApproximateFrameworkContractsAmount"),
)

_ROOT_KINDS = {"PriorInformationNotice": "planning", "ContractNotice": "competition", "ContractAwardNotice": "award"}
# BT-03 form types; "dir-awa-pre", "cont-modif", "completion" and unknown ones are "other".
_FORM_KINDS = {"planning": "planning", "consultation": "planning", "competition": "competition", "result": "award"}
_STATUS = {"planning": "planned", "competition": "active"}
# What some publishers write where an identifier is not known (cn_24_open has "not available").
_NO_VALUE = frozenset({"not available", "n/a", "na", "none", "unknown", "not applicable", "-"})
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$")
_TIME = re.compile(r"^(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$")
# BT-758 holds "<changed notice id>-<its version>"; notice ids are UUIDs.
_CHANGED_ID = re.compile(r"^([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})-\d{1,3}$")


# ---------------------------------------------------------------------------------------------
# Small readers


def _text(el: etree._Element | None) -> str:
    """Element text with whitespace collapsed ("" for none)."""
    return " ".join(el.text.split()) if el is not None and el.text else ""


def _first(xpath: etree.XPath, context: etree._Element) -> str:
    for el in xpath(context):
        if text := _text(el):
            return text
    return ""


def _all(xpath: etree.XPath, context: etree._Element) -> list[str]:
    return [t for el in xpath(context) if (t := _text(el))]


def _amount(el: etree._Element | None) -> tuple[Decimal | None, str]:
    """An amount and its currency. Zero is no amount: buyers write `0.0000` where they give none
    (a Slovenian notice's estimated value), and a notice worth 0 would mislead a value filter."""
    if el is None:
        return None, ""
    try:
        value = Decimal(_text(el))
    except InvalidOperation:
        return None, ""
    return (value, el.get("currencyID", "").strip().upper()) if value.is_finite() and value else (None, "")


def _when(date: str, time: str = "", *, end_of_day: bool = False) -> datetime | None:
    """eForms date ("2019-11-26+01:00") and time ("13:38:54+01:00") as an aware datetime.

    The time's offset wins, then the date's. A date without a time is the end of that day for a
    deadline (the whole day is still open) and its start otherwise. With no offset at all the
    value is taken as UTC: eForms requires offsets, and guessing a local zone would be worse.
    Junk gives None: one bad optional date must not reject a notice."""
    d = _DATE.match(date)
    if not d:
        return None
    t = _TIME.match(time) if time else None
    clock = t.group(1) if t else ("23:59:59" if end_of_day else "00:00:00")
    offset = (t.group(2) if t else None) or d.group(2) or "Z"
    try:
        return datetime.fromisoformat(f"{d.group(1)}T{clock}{offset}")
    except ValueError:
        return None


def _period_end(period: etree._Element) -> datetime | None:
    return _when(_first(X_END_DATE, period), _first(X_END_TIME, period), end_of_day=True)


@dataclass
class _Texts:
    """A multilingual field: every language (ISO 639-1) and the one chosen for display."""

    by_language: dict[str, str]
    chosen: str


def _texts(elements: Iterable[etree._Element], language: str) -> _Texts:
    """Texts keyed by their @languageID (ENG -> en); no @languageID means the notice language.
    The chosen text is the one in the notice language, else the first one."""
    by_language: dict[str, str] = {}
    first = ""
    for el in elements:
        if not (text := _text(el)):
            continue
        first = first or text
        code = el.get("languageID")
        lang = normalise_language(code) if code else language
        if lang:
            by_language.setdefault(lang, text)
    return _Texts(by_language, by_language.get(language) or first)


# ---------------------------------------------------------------------------------------------
# The notice


class _Notice:
    """Reads one parsed notice. Lookups shared by several fields are built once."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.language = normalise_language(_first(X_LANGUAGE, root))
        self.companies = {ref: c for c in X_COMPANIES(root) if (ref := _first(X_ORG_ID, c))}
        projects = X_PROCEDURE(root)
        self.procedure = projects[0] if projects else None
        # (id, scheme, cac:ProcurementProjectLot, its cac:ProcurementProject) of lots, parts of a
        # PIN ("Part") and groups of lots ("LotsGroup").
        self.lots: list[tuple[str, str, etree._Element, etree._Element | None]] = []
        for lot in X_LOTS(root):
            ids = X_LOT_ID(lot)
            if ids and (lot_id := _text(ids[0])):
                project = next(iter(X_LOT_PROJECT(lot)), None)
                self.lots.append((lot_id, ids[0].get("schemeName", ""), lot, project))
        results = X_RESULT(root)
        self.result = results[0] if results else None

    # -- identity ---------------------------------------------------------------------------
    def kind(self, root_name: str) -> str:
        form = X_NOTICE_TYPE(self.root)
        list_name = form[0].get("listName", "").strip() if form else ""
        if list_name and list_name != "change":
            return _FORM_KINDS.get(list_name, "other")
        return _ROOT_KINDS[root_name]  # no form type (or just "change"): the root tells

    def source_id(self, notice_id: str) -> str:
        """A change notice (BT-758) updates the notice it changes, so it takes that one's id."""
        changed = _first(X_CHANGED, self.root)
        if not changed:
            return notice_id
        m = _CHANGED_ID.match(changed)
        return m.group(1) if m else changed

    def url(self) -> str:
        if number := _publication_number(self.root):  # "00123456-2024" is linked as "123456-2024"
            return f"https://ted.europa.eu/en/notice/-/detail/{number}"
        for _id, _scheme, lot, _project in self.lots:
            if uri := _first(X_PUBLIC_DOCS, lot) or _first(X_ANY_DOCS, lot):
                return uri
        return ""

    # -- organisations ----------------------------------------------------------------------
    def organisation(self, ref: str) -> tuple[str, str, str]:
        """(name, identifier, country) of an ORG-xxxx reference."""
        company = self.companies.get(ref)
        if company is None:
            return "", ref, ""
        name = _texts(X_ORG_NAMES(company), self.language).chosen
        legal_id = _first(X_ORG_LEGAL_ID, company)
        if legal_id.casefold() in _NO_VALUE:
            legal_id = ""
        return name, legal_id or ref, normalise_country(_first(X_ORG_COUNTRY, company))

    # -- lots, classification, values -------------------------------------------------------
    def projects(self, *schemes: str) -> list[etree._Element]:
        """The procedure's cac:ProcurementProject, then those of the lots of these schemes."""
        own = [self.procedure] if self.procedure is not None else []
        return own + [p for _i, scheme, _l, p in self.lots if p is not None and scheme in schemes]

    def cpv_codes(self) -> list[str]:
        """Procedure main (BT-262) and additional (BT-263) codes, then each lot's and part's."""
        return _unique(code for p in self.projects("Lot", "Part", "") for code in _cpvs(p))

    def green_flags(self) -> list[str]:
        return _unique(
            f"{el.get('listName')}:{code}"
            for p in self.projects("Lot", "Part", "LotsGroup", "")
            for el in X_GREEN(p)
            if (code := _text(el)) and code != "none"
        )

    def make_lots(self) -> list[Lot]:
        lots = []
        for lot_id, scheme, lot, project in self.lots:
            if scheme != "Lot" and (scheme or not lot_id.startswith("LOT-")):
                continue  # parts of a PIN and groups of lots are not lots
            lot_data = Lot(id=lot_id, deadline=self._deadline(lot))
            if project is not None:
                lot_data.title = _texts(X_NAMES(project), self.language).chosen
                lot_data.cpv_codes = _unique(_cpvs(project))
                lot_data.value_amount, lot_data.value_currency = _amount(next(iter(X_VALUE(project)), None))
            lots.append(lot_data)
        return lots

    @staticmethod
    def _deadline(lot: etree._Element) -> datetime | None:
        """BT-131 (tenders); else BT-1311 (requests to participate): in restricted and
        negotiated procedures that is the first, and often the only, deadline a notice gives."""
        for xpath in (X_TENDER_DEADLINE, X_REQUEST_DEADLINE):
            ends = [d for period in xpath(lot) if (d := _period_end(period))]
            if ends:
                return min(ends)
        return None

    def value(self, lots: list[Lot]) -> tuple[Decimal | None, str]:
        """BT-27 of the procedure; else the sum of the lots' BT-27 when every lot has one, in one
        currency; else the total awarded (BT-161) of a result notice, else (frameworks: utilities
        award notices leave BT-161 out) the maximum or approximate value of its framework agreements."""
        if self.procedure is not None:
            value, currency = _amount(next(iter(X_VALUE(self.procedure)), None))
            if value is not None:
                return value, currency
        currencies = {lot.value_currency for lot in lots}
        if lots and all(lot.value_amount is not None for lot in lots) and len(currencies) == 1:
            return sum((lot.value_amount for lot in lots), Decimal(0)), currencies.pop()
        if self.result is not None:
            for xpath in (X_RESULT_TOTAL, *X_FRAMEWORK_TOTALS):
                value, currency = _amount(next(iter(xpath(self.result)), None))
                if value is not None:
                    return value, currency
        return None, ""

    # -- results ----------------------------------------------------------------------------
    def result_codes(self) -> list[str]:
        if self.result is None:
            return []
        return [c for r in X_LOT_RESULTS(self.result) if (c := _first(X_RESULT_CODE, r))]

    def awards(self) -> list[Award]:
        """One award per winning tender: a tender in a concluded contract (BT-3202), or, when no
        contract is given, a tender of a lot result whose winner was chosen (BT-142 selec-w)."""
        if self.result is None:
            return []
        res = self.result
        contract_of = {t: c for c in X_CONTRACTS(res) for t in _all(X_TENDER_REFS, c)}
        winners = set(contract_of) or {
            t for r in X_LOT_RESULTS(res) if _first(X_RESULT_CODE, r) == "selec-w" for t in _all(X_TENDER_REFS, r)
        }
        tenderers_of = {_first(X_ID, p): X_TENDERERS(p) for p in X_PARTIES(res)}
        received = {}
        for r in X_LOT_RESULTS(res):
            count = _first(X_TENDERS_RECEIVED, r)
            for lot_id in _all(X_TENDER_LOT, r):
                if count.isdigit():
                    received.setdefault(lot_id, int(count))
        awards = []
        for tender in X_LOT_TENDERS(res):
            tender_id = _first(X_ID, tender)
            if tender_id not in winners:
                continue
            lot_ids = _all(X_TENDER_LOT, tender)
            value, currency = _amount(next(iter(X_TENDER_VALUE(tender)), None))
            name, country = self._supplier(tenderers_of.get(_first(X_TENDER_PARTY, tender), []))
            contract = contract_of.get(tender_id)
            date = None
            if contract is not None:
                date = _when(_first(X_AWARD_DATE, contract)) or _when(_first(X_CONCLUSION_DATE, contract))
            awards.append(
                Award(
                    supplier_name=name,
                    supplier_country=country,
                    value_amount=value,
                    value_currency=currency,
                    date=date,
                    lot_ids=lot_ids,
                    number_of_tenderers=next((received[i] for i in lot_ids if i in received), None),
                )
            )
        return awards

    def _supplier(self, tenderers: list[etree._Element]) -> tuple[str, str]:
        """Name(s) and country of a tendering party; a group lead (consortium) comes first."""
        ordered = sorted(tenderers, key=lambda t: _first(X_GROUP_LEAD, t) != "true")
        orgs = [self.organisation(ref) for t in ordered if (ref := _first(X_ID, t))]
        names = _unique(name for name, _id, _country in orgs)
        return "; ".join(names), next((c for _n, _i, c in orgs if c), "")


def _cpvs(project: etree._Element) -> Iterator[str | None]:
    for code in (*_all(X_MAIN_CPV, project), *_all(X_MORE_CPV, project)):
        yield normalise_cpv(code)


def _unique(values: Iterable[str | None]) -> list[str]:
    """Values in first-seen order, without duplicates or blanks."""
    return list(dict.fromkeys(v for v in values if v))


def _publication_number(root: etree._Element) -> str:
    """OPP-010 as TED shows it: "00468603-2024" -> "468603-2024"."""
    number = _first(X_PUBLICATION_ID, root)
    serial, dash, year = number.partition("-")
    return f"{serial.lstrip('0') or '0'}-{year}" if dash else number


def _status(kind: str, codes: list[str]) -> str:
    if "selec-w" in codes:
        return "awarded"
    if codes and all(c == "clos-nw" for c in codes):
        return "unsuccessful"
    if codes and all(c in ("clos-nw", "open-nw") for c in codes):
        return "active"  # open-nw: no winner yet, the competition goes on
    return _STATUS.get(kind, "")


def _raw_text(data: bytes, root: etree._Element) -> str:
    """The document as text. UTF-8 (nearly every notice) is decoded as it is; other encodings
    are re-serialised without the XML declaration, which would otherwise name the wrong one."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        encoding = (root.getroottree().docinfo.encoding or "UTF-8").upper()
        if encoding in ("UTF-8", "UTF8", "ASCII", "US-ASCII"):
            try:
                return data.decode("utf-8-sig")
            except UnicodeDecodeError:
                pass
    return etree.tostring(root.getroottree(), encoding="unicode")


# What an incomplete notice lacks: (no identifier, no title).
_INCOMPLETE = {
    (True, False): gettext_noop("incomplete eForms notice: it has no notice identifier (BT-701)"),
    (False, True): gettext_noop("incomplete eForms notice: it has no title (BT-21)"),
    (True, True): gettext_noop("incomplete eForms notice: it has no notice identifier (BT-701) and no title (BT-21)"),
}


def _build(root: etree._Element, data: bytes) -> NoticeData:
    root_name = etree.QName(root).localname
    if root_name == "TED_EXPORT":  # TED's notices before eForms (schema R2.0.9)
        from .ted_r209 import build_ted_notice  # imported here: ted_r209 uses this module's helpers

        return build_ted_notice(root, data)
    if root_name not in _ROOT_KINDS:
        raise RejectedItem(gettext_noop("not an eForms notice: root element <%(root)s>"), root=root_name)
    n = _Notice(root)
    # A notice without BT-701 (a Spanish award notice of 2024 has none) is known by its publication
    # number, written as TED writes it ("00468603-2024" is "468603-2024") and as change notices cite it.
    notice_id = _first(X_NOTICE_ID, root) or _first(X_ANY_ID, root) or _publication_number(root)
    titles = _texts(X_NAMES(n.procedure) if n.procedure is not None else [], n.language)
    missing = (not notice_id, not titles.chosen)
    if any(missing):
        raise RejectedItem(_INCOMPLETE[missing])
    descriptions = _texts(X_DESCRIPTIONS(n.procedure), n.language)
    if len(titles.chosen) < 4 and len(descriptions.chosen) > len(titles.chosen):
        # A title that says nothing (a French notice's BT-21 is just "FR"): the description's first line.
        line = descriptions.chosen.split("\n", 1)[0].strip()
        titles = _Texts({**titles.by_language, n.language: line} if n.language else titles.by_language, line)
    kind = n.kind(root_name)
    lots = n.make_lots()
    value, currency = n.value(lots)
    issued = _when(_first(X_ISSUE_DATE, root), _first(X_ISSUE_TIME, root))
    subtype = _first(X_SUBTYPE, root)
    buyer_refs = _all(X_BUYER_REF, root)
    buyer_name, buyer_id, buyer_country = n.organisation(buyer_refs[0]) if buyer_refs else ("", "", "")
    deadlines = [lot.deadline for lot in lots if lot.deadline]
    return NoticeData(
        source_id=n.source_id(notice_id),
        notice_type=kind,
        procedure_id=_first(X_FOLDER, root),
        title=titles.chosen,
        description=descriptions.chosen,
        language=n.language or next(iter(titles.by_language), ""),
        titles=titles.by_language,
        descriptions=descriptions.by_language,
        buyer_name=buyer_name,
        buyer_id=buyer_id,
        buyer_country=buyer_country,
        cpv_codes=n.cpv_codes(),
        value_amount=value,
        value_currency=currency,
        deadline=min(deadlines) if deadlines else None,
        # TED's publication date when the notice carries it (OPP-012), else its issue date.
        published=_when(_first(X_PUBLICATION_DATE, root)) or issued,
        procedure_type=_first(X_PROCEDURE_CODE, root),  # BT-105 codes are the normalised values
        status=_status(kind, n.result_codes()),
        url=n.url(),
        lots=lots,
        awards=n.awards(),
        green_flags=n.green_flags(),
        raw=_raw_text(data, root),
        raw_format="xml",
        version_key=f"{notice_id}-{_first(X_VERSION, root) or '01'}",
        version_date=issued,
        version_tags=["eforms", subtype] if subtype else ["eforms"],
    )


def parse_eforms(xml: bytes, *, position: str = "") -> NoticeData:
    """One eForms notice. Raises RejectedItem, in plain words, for a document that is not
    well-formed, unsafe, not an eForms notice, or lacks its identifier or title.
    `position` (where the bytes came from) is not repeated in messages: reports show it."""
    try:
        root = parse_xml(xml)
    except XmlError as e:
        raise RejectedItem(gettext_noop("the document is %(problem)s"), problem=e) from None
    return _build(root, xml)


# ---------------------------------------------------------------------------------------------
# Inputs


def iter_eforms(location: str | Path) -> Iterator[SourceItem]:
    """Every notice of a file, a directory, a .zip or a tar archive, TED's monthly packages (archives
    of daily archives) included (xml_inputs.py): eForms notices, and TED's notices from before eForms
    (TED_EXPORT, schema R2.0.9: ted_r209.py), told apart by their root element. Raises IngestError
    when the input as a whole cannot be read; one bad document is a RejectedItem and the others go on."""
    return iter_documents(location, _build)
