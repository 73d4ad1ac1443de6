"""The eForms connector, on the official eForms SDK 1.15 example notices and on hostile input.

Expected values are read from the example files (data/eforms/sdk_examples)."""

import io
import tarfile
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from greenbridge.tenders.ingest.eforms import _when, iter_eforms, parse_eforms
from greenbridge.tenders.ingest.safexml import BinaryData, EmptyXml, MalformedXml, UnsafeXml, parse_xml
from greenbridge.tenders.ingest.types import Award, IngestError, Lot, NoticeData, RejectedItem

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "eforms" / "sdk_examples"
VALID = sorted(p.name for p in EXAMPLES.glob("*.xml") if not p.name.startswith("INVALID"))
CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def parse(name: str) -> NoticeData:
    return parse_eforms(example(name), position=name)


# ---------------------------------------------------------------------------------------------
# Real notices


@pytest.mark.parametrize("name", VALID)
def test_every_example_parses(name):
    data = parse(name)
    assert data.source_id
    assert data.title
    assert data.language
    assert data.raw_format == "xml"
    assert data.raw == example(name).decode("utf-8")
    assert data.version_tags[0] == "eforms"
    assert len(data.version_tags) == 2
    assert data.version_date is not None
    assert data.version_date.tzinfo is not None
    assert all(len(code) == 8 and code.isdigit() for code in data.cpv_codes)
    assert data.notice_type in {"planning", "competition", "award"}


def test_cn_25_scottish_water_pv_servicing():
    data = parse("cn_25.xml")
    assert data.source_id == "39d68def-a6aa-4e85-aa8d-97f0600ea41e"
    assert data.version_key == "39d68def-a6aa-4e85-aa8d-97f0600ea41e-01"
    assert data.version_tags == ["eforms", "17"]
    assert data.procedure_id == "027f7db6-596d-4395-87b9-d8a7b0e4b269"
    assert data.notice_type == "competition"
    assert data.status == "active"
    assert data.title == "PV Servicing and Maintenance"
    assert data.titles == {"en": "PV Servicing and Maintenance"}
    assert data.description.startswith(
        "Scottish Water has a requirement to procure services for the operation, servicing, reactive maintenance"
    )
    assert data.language == "en"
    assert (data.buyer_name, data.buyer_id, data.buyer_country) == ("Scottish Water", "123 456 789", "GB")
    assert data.cpv_codes == ["50000000", "09331200", "31712331"]
    assert (data.value_amount, data.value_currency) == (Decimal("1500000"), "EUR")
    assert data.procedure_type == "neg-w-call"
    # No BT-131 in this negotiated procedure: the deadline for requests to participate (BT-1311).
    assert data.deadline == datetime(2020, 5, 27, 11, 0, tzinfo=CET)
    assert data.published == data.version_date == datetime(2020, 4, 15, 3, 23, 2, tzinfo=CET)
    assert data.url == (
        "https://www.delta-esourcing.com/tenders/UK-UK-Glasgow:-Repair-and-maintenance-services./Z9Q7MGAEA8"
    )
    assert data.lots == [
        Lot(
            id="LOT-0000",
            title="PV Servicing and Maintenance",
            cpv_codes=["50000000"],
            deadline=datetime(2020, 5, 27, 11, 0, tzinfo=CET),
        )
    ]
    assert data.awards == []
    assert data.green_flags == []


MULTILINGUAL_TITLES = {
    "bg": "Предоставяне на ИТ услуги, свързани с ИТ системите на Службата за публикации "
    "(EUR-Lex, N-Lex, Search Layer и други)",
    "cs": "Poskytování IT služeb souvisejících s IT systémy Úřadu pro publikace (EUR-Lex, N-Lex, Search Layer a další)",
    "da": "Levering af IT-tjenester relateret til operationelle (OP) IT-systemer (EUR-Lex, N-Lex, søgelag m.fl.)",
    "de": "Bereitstellung von IT-Dienstleistungen im Zusammenhang mit OP-IT-Systemen (EUR-Lex, N-Lex, Search "
    "Layer und weitere)",
    "el": "Παροχή υπηρεσιών πληροφορικής σχετικών με λειτουργικά συστήματα πληροφορικής (EUR-Lex, N-Lex, "
    "Layer Search και άλλα)",
    "en": "Provision of IT Services Related to OP IT Systems (EUR-Lex, N-Lex, Search Layer, and Others)",
    "et": "Euroopa Liidu Väljaannete Talituse IT-süsteemidega (EUR-Lex, N-Lex, otsingukiht jt) seotud "
    "IT-teenuste osutamine",
    "fi": "julkaisutoimiston tietoteknisiin järjestelmiin (EUR-Lex, N-Lex, hakukerros ja muut) liittyvien "
    "tietoteknisten palvelujen toimittaminen",
    "fr": "Fourniture de services informatiques liés aux systèmes informatiques OP (EUR-Lex, N-Lex, Search "
    "Layer, etc.)",
    "ga": "Soláthar Seirbhísí TF i ndáil le Córais TF Oifig na bhFoilseachán (EUR-Lex, N-Lex, Search Layer, agus Eile)",
    "hr": "Pružanje IT usluga koje se odnose na IT sustave Ureda za publikacije (EUR-Lex, N-Lex, Search Layer "
    "i ostale)",
    "hu": "A Kiadóhivatal IT-rendszereivel kapcsolatos IT-szolgáltatások biztosítása (EUR-Lex, N-Lex, Search "
    "Layer és egyebek)",
    "it": "Prestazione di servizi informatici relativi ai sistemi informativi dell'Ufficio delle "
    "pubblicazioni (EUR-Lex, N-Lex, Search Layer e altri)",
    "lv": "IT pakalpojumu sniegšana saistībā ar OP IT sistēmām (“EUR-Lex”, “N-Lex”, “Search Layer” u. c.)",
    "lt": "IT paslaugų, susijusių su OP IT sistemomis (EUR-Lex, N-Lex, Search Layer ir kitomis), teikimas",
    "mt": "Provvista ta' Servizzi tat-TI Relatati ma' Sistemi tat-TI tal-OP (EUR-lex, N-Lex, Search Layer, u Oħrajn)",
    "nl": "Verlening van IT-diensten die verband houden met de IT-systemen van het Bureau voor publicaties "
    "(onder meer EUR-Lex, N-Lex en Search Layer)",
    "pl": "Świadczenie usług informatycznych związanych z systemami informatycznymi Urzędu Publikacji "
    "(EUR-Lex, N-Lex i Search Layer i inne)",
    "pt": "Prestação de serviços de TI relacionados com sistemas informáticos do Serviço de Publicações "
    "(EUR-Lex, N-Lex, Search Layer, e outros)",
    "ro": "Furnizarea de servicii IT legate de sistemele OP IT (EUR-Lex, N-Lex, Strat de căutare și altele)",
    "sk": "Poskytovanie IT služieb súvisiacich s IT systémami Úradu pre vydávanie publikácií (EUR-Lex, "
    "N-Lex, Search Layer a ďalšie)",
    "sl": "Zagotavljanje storitev IT, povezanih s sistemi IT Urada za publikacije (EUR-Lex, N-Lex, Search "
    "Layer in drugo)",
    "es": "Prestación de servicios informáticos relacionados con los sistemas informáticos de la OP "
    "(EUR-Lex, N-Lex, Search Layer y otros)",
    "sv": "Tillhandahållande av IT-tjänster avseende OP IT Systems (EUR-Lex, N-Lex, Search Layer, och andra)",
}


def test_cn_24_multilingual_every_language():
    data = parse("cn_24_multilingual.xml")
    assert data.language == "en"
    assert data.titles == MULTILINGUAL_TITLES
    assert data.title == MULTILINGUAL_TITLES["en"]
    assert set(data.descriptions) == set(MULTILINGUAL_TITLES)
    assert (
        data.description
        == data.descriptions["en"]
        == (
            "Provision of IT services related to the information systems of the publications office (namely "
            "EUR-Lex, N-Lex, and Search Layer), with the possibility to extend the provision to other "
            "information systems."
        )
    )
    assert data.descriptions["fr"].startswith(
        "Fourniture de services informatiques liés aux systèmes d'information de l'Office des publications"
    )
    # The buyer has one cac:PartyName per language: the notice language is chosen.
    assert data.buyer_name == "Publications Office of the European Union"
    assert (data.buyer_id, data.buyer_country) == ("EU-PO", "LU")
    assert data.cpv_codes == ["72230000", "72260000"]
    assert (data.value_amount, data.value_currency) == (Decimal("4500000"), "EUR")
    assert data.deadline == datetime(2020, 2, 3, 13, 0, tzinfo=UTC)
    assert [lot.title for lot in data.lots] == [MULTILINGUAL_TITLES["en"]]


def test_cn_24_maximal_green_flags_lots_and_groups():
    data = parse("cn_24_maximal.xml")
    assert data.green_flags == ["environmental-impact:clim-mitig", "strategic-procurement:env-imp"]
    assert data.version_key == "14549263-b47b-4e59-96a1-2d0d13e19343-03"
    assert data.title == "Procurement Title ---"
    assert data.description == "Description ---"
    assert (data.buyer_name, data.buyer_id, data.buyer_country) == ("Financial Adinistration for ...", "998298", "LU")
    assert data.cpv_codes == ["79710000", "79720000", "75121000"]
    assert (data.value_amount, data.value_currency) == (Decimal("9999999.99"), "EUR")
    assert data.procedure_type == "neg-w-call"
    # The group of lots GLO-0001 is not a lot.
    deadline = datetime(2023, 5, 22, 20, 59, 32, tzinfo=CET)
    assert data.lots == [
        Lot(
            id="LOT-0001",
            title="Title ---",
            cpv_codes=["75121000"],
            value_amount=Decimal("9999999.99"),
            value_currency="EUR",
            deadline=deadline,
        ),
        Lot(
            id="LOT-0002",
            title="Title Lot 2---",
            cpv_codes=["75121000"],
            value_amount=Decimal("9999999.99"),
            value_currency="EUR",
            deadline=deadline,
        ),
    ]
    assert data.deadline == deadline
    # BT-15: the first lot's non-restricted documents (the restricted ones come second).
    assert data.url == "http://nonrestricteddocuments.com"


def test_can_24_minimal_award():
    data = parse("can_24_minimal.xml")
    assert data.notice_type == "award"
    assert data.status == "awarded"
    assert data.version_tags == ["eforms", "29"]
    assert data.title == "Service d'entretien de remise en état et de nettoyage des espaces verts"
    assert data.language == "fr"
    assert set(data.titles) == {"fr"}
    assert (data.buyer_name, data.buyer_id, data.buyer_country) == ("Rouen Habitat", "123 456 789", "FR")
    assert data.cpv_codes == ["77310000"]
    assert data.lots == [Lot(id="LOT-0000", title="Agence centre", cpv_codes=["77310000"])]
    assert data.awards == [
        Award(
            supplier_name="Espaces Verts Lemire",
            supplier_country="FR",
            value_amount=Decimal("95414"),
            value_currency="EUR",
            number_of_tenderers=3,
            date=datetime(2019, 9, 3, 0, 0, tzinfo=CEST),  # BT-145, as it has no BT-1451
            lot_ids=["LOT-0000"],
        )
    ]
    # No estimated value (BT-27): the notice's total awarded value (BT-161).
    assert (data.value_amount, data.value_currency) == (Decimal("390697.84"), "EUR")
    assert data.deadline is None
    assert data.url == ""


def test_can_24_fra_comments_two_lots_two_winners():
    data = parse("can_24_FRA_comments.xml")
    assert data.source_id == "df45f4d1-2208-47cb-bc7a-9c7edcf8d2b8"
    assert [lot.id for lot in data.lots] == ["LOT-0001", "LOT-0002"]
    decided = datetime(2019, 9, 2, 0, 0, tzinfo=CEST)  # BT-1451 winner decision date
    assert data.awards == [
        Award(
            supplier_name="Espaces Verts Lemire",
            supplier_country="FR",
            value_amount=Decimal("95414"),
            value_currency="EUR",
            number_of_tenderers=3,
            date=decided,
            lot_ids=["LOT-0001"],
        ),
        Award(
            supplier_name="ID Verde SASU",
            supplier_country="FR",
            value_amount=Decimal("26500"),
            value_currency="EUR",
            number_of_tenderers=2,
            date=decided,
            lot_ids=["LOT-0002"],
        ),
    ]
    assert data.status == "awarded"


def test_cn_24_fra_comments_deadlines_in_utc():
    data = parse("cn_24_FRA_comments.xml")
    assert data.deadline == datetime(2019, 6, 24, 16, 0, tzinfo=UTC)  # "2019-06-24Z" + "16:00:00Z"
    assert [(lot.id, lot.title) for lot in data.lots] == [
        ("LOT-0001", "Agence centre"),
        ("LOT-0002", "Agence Hauts de Rouen"),
    ]
    assert data.url == "https://www.marches-publics.info/accueil.htm"
    assert data.value_amount is None
    assert data.value_currency == ""


def test_cn_24_minimal_and_open():
    minimal = parse("cn_24_minimal.xml")
    assert minimal.deadline == datetime(2020, 2, 4, 10, 0, tzinfo=CEST)
    assert minimal.cpv_codes == ["72230000"]
    assert minimal.url == "https://etendering.ted.europa.eu/cft/cft-display.html?cftId=5629"
    open_ = parse("cn_24_open.xml")
    assert open_.buyer_name == "Renfrewshire Council"
    # Its company identifier is the placeholder "not available": the organisation id is kept instead.
    assert open_.buyer_id == "ORG-0001"
    assert open_.cpv_codes == ["71630000", "71314100", "50300000", "31600000"]
    assert (open_.value_amount, open_.value_currency) == (Decimal("500000"), "EUR")
    assert open_.deadline == datetime(2020, 4, 3, 12, 0, tzinfo=CET)


def test_cn_24_open_accel_italian():
    data = parse("cn_24_open_accel.xml")
    assert data.language == "it"
    assert data.title.startswith("Procedura aperta accelerata per la fornitura di n. 212 posti letto")
    assert data.buyer_name == "Comando generale dell'Arma dei carabinieri"  # trailing space collapsed
    assert (data.buyer_country, data.cpv_codes) == ("IT", ["39143100"])
    assert (data.value_amount, data.value_currency) == (Decimal("291934.60"), "EUR")
    assert data.deadline == datetime(2020, 5, 18, 18, 0, tzinfo=CET)


def test_pin_only_is_planning():
    data = parse("pin-only_24.xml")
    assert data.notice_type == "planning"
    assert data.status == "planned"
    assert data.version_tags == ["eforms", "4"]
    assert data.procedure_id == ""  # a PIN has no procedure yet
    assert (data.title, data.description) == ("ProPrName1234", "PrPrDescblabla")
    assert (data.buyer_name, data.buyer_id, data.buyer_country) == ("PartyName1234", "PartyLegalEntityCID1234", "DE")
    # The part PAR-0000 adds its CPV but is not a lot.
    assert data.cpv_codes == ["72000000", "50000000"]
    assert data.lots == []
    assert (data.value_amount, data.value_currency) == (Decimal("100000"), "EUR")


def test_invalid_empty_example_is_rejected():
    with pytest.raises(RejectedItem, match=r"no notice identifier \(BT-701\) and no title \(BT-21\)"):
        parse("INVALID_cn_24_empty.xml")


def test_directory_of_examples():
    items = list(iter_eforms(EXAMPLES))
    assert [Path(i.position).name for i in items] == sorted(p.name for p in EXAMPLES.glob("*.xml"))
    rejected = {Path(i.position).name for i in items if isinstance(i.data, RejectedItem)}
    assert rejected == {"INVALID_cn_24_empty.xml"}


# ---------------------------------------------------------------------------------------------
# Variants written from a real notice

EXTENSION = b"<efext:EformsExtension>"


def with_extension(name: str, xml: bytes) -> bytes:
    """The example with `xml` added at the start of its notice-level eForms extension (the first
    one: lots have their own further down)."""
    return example(name).replace(EXTENSION, EXTENSION + xml, 1)


def test_change_notice_updates_the_changed_notice():
    original = parse("cn_24_minimal.xml")
    changed = with_extension(
        "cn_24_minimal.xml",
        (
            b"<efac:Changes><efbc:ChangedNoticeIdentifier schemeName='notice-id-ref'>"
            + original.source_id.encode()
            + b"-01</efbc:ChangedNoticeIdentifier></efac:Changes>"
        ),
    )
    # A change notice has an identifier of its own (BT-701).
    changed = changed.replace(
        b'"notice-id">' + original.source_id.encode(), b'"notice-id">0f2c1a33-7f4e-4b55-9a0e-0c1d2e3f4a5b'
    )
    change = parse_eforms(changed)
    assert change.source_id == original.source_id == "f42be27e-09cf-4f0e-a745-63ec689631e6"
    assert change.version_key == "0f2c1a33-7f4e-4b55-9a0e-0c1d2e3f4a5b-01" != original.version_key


def test_ted_publication_number_gives_the_url_and_date():
    data = parse_eforms(
        with_extension(
            "cn_25.xml",
            (
                b"<efac:Publication><efbc:NoticePublicationID schemeName='ojs-notice-id'>00181161-2020"
                b"</efbc:NoticePublicationID><efbc:GazetteID schemeName='ojs-id'>2020/S 077-181161</efbc:GazetteID>"
                b"<efbc:PublicationDate>2020-04-20+02:00</efbc:PublicationDate></efac:Publication>"
            ),
        )
    )
    assert data.url == "https://ted.europa.eu/en/notice/-/detail/181161-2020"
    assert data.published == datetime(2020, 4, 20, tzinfo=CEST)
    assert data.version_date == datetime(2020, 4, 15, 3, 23, 2, tzinfo=CET)  # still the issue date


def test_result_without_winner_is_unsuccessful():
    data = example("can_24_minimal.xml").replace(b">selec-w<", b">clos-nw<")
    assert parse_eforms(data).status == "unsuccessful"


def test_dates():
    assert _when("2019-11-26+01:00", "13:38:54+01:00") == datetime(2019, 11, 26, 13, 38, 54, tzinfo=CET)
    assert _when("2019-11-26Z", "13:38:54+02:00") == datetime(2019, 11, 26, 13, 38, 54, tzinfo=CEST)
    # A deadline date without a time: the end of that day, in the date's offset.
    assert _when("2019-11-26+01:00", end_of_day=True) == datetime(2019, 11, 26, 23, 59, 59, tzinfo=CET)
    assert _when("2019-11-26") == datetime(2019, 11, 26, tzinfo=UTC)  # no offset at all: UTC
    assert _when("26/11/2019") is None
    assert _when("2019-02-30+01:00") is None


def test_utf16_with_bom_parses_like_utf8(tmp_path):
    text = example("cn_25.xml").decode("utf-8")
    data = parse_eforms(text.encode("utf-16"))
    assert data.title == "PV Servicing and Maintenance"
    assert data.buyer_country == "GB"
    assert data.description.endswith("maximising generation and asset availability.")
    assert "Energy Team’s suite of PV power assets" in data.raw
    assert "encoding=" not in data.raw
    path = tmp_path / "utf16.xml"
    path.write_bytes(example("cn_24_open_accel.xml").decode("utf-8").encode("utf-16"))  # declares UTF-8
    [item] = iter_eforms(path)
    assert item.data.buyer_name == "Comando generale dell'Arma dei carabinieri"


# ---------------------------------------------------------------------------------------------
# Hostile and broken input

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<ContractNotice>&lol9;</ContractNotice>"""
XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ContractNotice><cbc:ID xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 schemeName="notice-id">&xxe;</cbc:ID></ContractNotice>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE ContractNotice SYSTEM "http://127.0.0.1:9/evil.dtd">
<ContractNotice/>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE_FILE, EXTERNAL_DTD], ids=["laughs", "xxe", "dtd"])
def test_doctypes_are_refused(xml, tmp_path):
    with pytest.raises(UnsafeXml, match="refused for safety"):
        parse_xml(xml)
    with pytest.raises(RejectedItem, match="the document is refused for safety: it has a DOCTYPE"):
        parse_eforms(xml)
    path = tmp_path / "hostile.xml"
    path.write_bytes(xml)
    with pytest.raises(IngestError, match=r"hostile\.xml is refused for safety"):
        list(iter_eforms(path))


def test_doctype_hidden_after_a_long_prologue_or_in_utf16_is_refused():
    late = b"<?xml version='1.0'?><!--" + b"x" * 100_000 + b"-->" + EXTERNAL_DTD.split(b"?>", 1)[1]
    with pytest.raises(UnsafeXml):
        parse_xml(late)
    with pytest.raises(UnsafeXml):
        parse_xml(XXE_FILE.decode().encode("utf-16"))


def test_malformed_empty_and_binary_single_files(tmp_path):
    broken = tmp_path / "notice.xml"
    broken.write_bytes(b"<a>\n<b>\n  </c></a>")
    with pytest.raises(
        IngestError,
        match=r"notice\.xml is not well-formed XML \(line 3, column 7: "
        r"Opening and ending tag mismatch",
    ):
        list(iter_eforms(broken))
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match=r"empty\.xml is empty$"):
        list(iter_eforms(empty))
    png = tmp_path / "image.xml"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(IngestError, match=r"image\.xml is binary data, not XML"):
        list(iter_eforms(png))
    with pytest.raises(EmptyXml):
        parse_xml(b"  \n")
    with pytest.raises(BinaryData):
        parse_xml(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(MalformedXml, match="line 1"):
        parse_xml(b"<a>")


def test_xml_that_is_not_eforms_is_rejected(tmp_path):
    with pytest.raises(RejectedItem, match=r"^not an eForms notice: root element <foo>$"):
        parse_eforms(b"<foo><bar/></foo>")
    # TED's format before eForms is read by ted_r209.py (tests/tenders/test_ted_r209.py); an empty one is rejected.
    with pytest.raises(RejectedItem, match=r"^incomplete TED notice: its FORM_SECTION holds no form$"):
        parse_eforms(b"<TED_EXPORT xmlns='http://publications.europa.eu/resource/schema/ted/R2.0.9/publication'/>")
    path = tmp_path / "other.xml"
    path.write_bytes(b"<?xml version='1.0'?><rss><channel/></rss>")
    [item] = iter_eforms(path)
    assert isinstance(item.data, RejectedItem)
    assert str(item.data) == "not an eForms notice: root element <rss>"


def test_missing_input_and_wrong_archives(tmp_path):
    with pytest.raises(IngestError, match=r"^no such file or directory: .*nowhere\.xml$"):
        list(iter_eforms(tmp_path / "nowhere.xml"))
    fake = tmp_path / "x.zip"
    fake.write_bytes(b"this is not a zip archive")
    with pytest.raises(IngestError, match=r"^cannot read .*x\.zip: not a zip archive$"):
        list(iter_eforms(fake))
    fake_tar = tmp_path / "x.tar.gz"
    fake_tar.write_bytes(b"nor a tar archive")
    with pytest.raises(IngestError, match=r"cannot read .*x\.tar\.gz: not a tar archive"):
        list(iter_eforms(fake_tar))
    (tmp_path / "nothing").mkdir()
    with pytest.raises(IngestError, match=r"nothing contains no \.xml files"):
        list(iter_eforms(tmp_path / "nothing"))


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_zip_with_good_bad_and_traversal_members(tmp_path):
    archive = make_zip(
        tmp_path / "daily.zip",
        {
            "notices/cn_25.xml": example("cn_25.xml"),
            "notices/broken.xml": b"<ContractNotice><oops></ContractNotice>",
            "../../etc/evil.xml": example("cn_25.xml"),
            "/abs/evil.xml": example("cn_25.xml"),
            "README.txt": b"not a notice",
            "__MACOSX/notices/._cn_25.xml": b"\x00\x05\x16\x07",
        },
    )
    items = list(iter_eforms(archive))
    assert [i.position for i in items] == [
        f"{archive}:notices/cn_25.xml",
        f"{archive}:notices/broken.xml",
        f"{archive}:../../etc/evil.xml",
        f"{archive}:/abs/evil.xml",
    ]
    good, broken, up, absolute = (i.data for i in items)
    assert isinstance(good, NoticeData)
    assert good.title == "PV Servicing and Maintenance"
    assert isinstance(broken, RejectedItem)
    assert str(broken).startswith("this file is not well-formed XML (line 1, column ")
    for evil in (up, absolute):
        assert isinstance(evil, RejectedItem)
        assert "absolute path or goes up with '..'" in str(evil)


def test_zip_bomb_member_is_too_large(tmp_path, settings):
    settings.INGEST_MAX_DOCUMENT_BYTES = 100_000
    bomb = b"<ContractNotice>" + b" " * 50_000_000 + b"</ContractNotice>"
    archive = make_zip(tmp_path / "bomb.zip", {"bomb.xml": bomb, "cn_25.xml": example("cn_25.xml")})
    assert archive.stat().st_size < 100_000  # it compresses 500:1
    bomb_item, good = iter_eforms(archive)
    assert isinstance(bomb_item.data, RejectedItem)
    assert str(bomb_item.data) == "too large: more than 100,000 bytes (setting INGEST_MAX_DOCUMENT_BYTES)"
    assert isinstance(good.data, NoticeData)


def test_too_large_single_file(tmp_path, settings):
    settings.INGEST_MAX_DOCUMENT_BYTES = 1000
    path = tmp_path / "big.xml"
    path.write_bytes(example("cn_25.xml"))
    [item] = iter_eforms(path)
    assert isinstance(item.data, RejectedItem)
    assert str(item.data).startswith("too large: more than 1,000 bytes")


def test_tar_gz_archive(tmp_path):
    path = tmp_path / "20240102.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [
            ("20240102/can_24_minimal.xml", example("can_24_minimal.xml")),
            ("20240102/empty.xml", b""),
            ("20240102/pin-only_24.xml", example("pin-only_24.xml")),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("20240102/passwd.xml")  # links are never followed
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    items = list(iter_eforms(path))
    assert [i.position.rsplit(":", 1)[1] for i in items] == [
        "20240102/can_24_minimal.xml",
        "20240102/empty.xml",
        "20240102/pin-only_24.xml",
    ]
    assert items[0].data.awards[0].supplier_name == "Espaces Verts Lemire"
    assert str(items[1].data) == "this file is empty"
    assert items[2].data.notice_type == "planning"


def test_directory_is_read_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "cn_25.xml").write_bytes(example("cn_25.xml"))
    (tmp_path / "a" / "bad.xml").write_bytes(b"\x00\x01binary")
    (tmp_path / "notes.txt").write_text("ignored")
    items = list(iter_eforms(str(tmp_path)))
    assert [Path(i.position).relative_to(tmp_path).as_posix() for i in items] == ["a/b/cn_25.xml", "a/bad.xml"]
    assert items[0].data.buyer_name == "Scottish Water"
    assert str(items[1].data) == "this file is binary data, not XML"


# ---------------------------------------------------------------------------------------------
# Real TED notices of 2024 (data/eforms/real_more): SDK 1.6 to 1.11, nine languages

REAL = EXAMPLES.parent / "real_more"
REAL_FILES = sorted(p.name for p in REAL.glob("*.xml"))


def real(name: str) -> NoticeData:
    return parse_eforms((REAL / name).read_bytes(), position=name)


def test_every_real_notice_parses():
    parsed = {name: real(name) for name in REAL_FILES}
    assert len(parsed) == 13
    assert {name: (d.notice_type, d.language, d.buyer_country) for name, d in parsed.items()} == {
        "st16_FRA_FRA_00468749-2024.xml": ("competition", "fr", "FR"),
        "st16_POL_POL_00468415-2024.xml": ("competition", "pl", "PL"),
        "st16_POL_POL_00468697-2024.xml": ("competition", "pl", "PL"),
        "st16_SVN_SLV_00468629-2024.xml": ("competition", "sl", "SI"),
        "st18_NOR_ENG_00468892-2024.xml": ("competition", "en", "NO"),  # a Norwegian buyer writing in English
        "st20_FRA_FRA_00468785-2024.xml": ("competition", "fr", "FR"),
        "st23_HRV_HRV_00448070-2024.xml": ("competition", "hr", "HR"),
        "st29_DEU_DEU_00629194-2024.xml": ("award", "de", "DE"),
        "st29_ESP_SPA_00468603-2024.xml": ("award", "es", "ES"),
        "st29_FRA_FRA_00468740-2024.xml": ("award", "fr", "FR"),
        "st29_ROU_RON_00468876-2024.xml": ("award", "ro", "RO"),
        "st30_ROU_RON_00468788-2024.xml": ("award", "ro", "RO"),
        "st38_BEL_NLD_00373731-2024.xml": ("other", "nl", "BE"),  # a contract modification
    }
    assert all(d.title and d.cpv_codes for d in parsed.values())


def test_real_award_notice_with_a_prefixed_root():
    data = real("st29_DEU_DEU_00629194-2024.xml")
    assert (REAL / "st29_DEU_DEU_00629194-2024.xml").read_bytes().count(b"<can:ContractAwardNotice") == 1
    assert data.source_id == "a22072f5-c9e1-4973-aec4-520427f9c27e"
    assert data.title == "Umbau und Erweiterung der Grund- und Mittelschule Eglharting"
    assert (data.value_amount, data.value_currency) == (Decimal("480000.00"), "EUR")
    assert data.cpv_codes == ["71541000"]
    assert [a.supplier_name[:25] for a in data.awards] == ["HSP Projektmanagement und"]


def test_real_award_notice_without_notice_identifier_is_known_by_its_publication_number():
    data = real("st29_ESP_SPA_00468603-2024.xml")
    assert data.source_id == "468603-2024"  # no BT-701: OPP-010 00468603-2024, as TED writes it
    assert data.version_key == "468603-2024-01"
    assert data.url == "https://ted.europa.eu/en/notice/-/detail/468603-2024"
    assert data.title.startswith("Suministro e instalación de equipamiento sanitario, de diagnóstico")
    assert (data.value_amount, data.value_currency) == (Decimal("507619.95"), "EUR")  # BT-27 of the procedure
    assert [(a.supplier_name, a.value_amount, a.number_of_tenderers, a.lot_ids) for a in data.awards] == [
        ("OLYMPUS IBERIA S.A.U.", Decimal("515950.91"), 1, ["LOT-0001"]),
        ("OLYMPUS IBERIA S.A.U.", Decimal("97874.18"), 1, ["LOT-0002"]),
    ]


def test_real_estimated_value_of_zero_is_no_value():
    data = real("st16_SVN_SLV_00468629-2024.xml")
    assert b"0.0000</cbc:EstimatedOverallContractAmount>" in (REAL / "st16_SVN_SLV_00468629-2024.xml").read_bytes()
    assert (data.value_amount, data.value_currency) == (None, "")
    assert [(lot.id, lot.value_amount) for lot in data.lots] == [("LOT-0000", None)]
    assert data.title == "UREDITEV PREZRAČEVANJA IN OHLAJANJA KERAMIČNEGA LABORATORIJA"


def test_real_utilities_framework_award_without_total_amount():
    data = real("st30_ROU_RON_00468788-2024.xml")
    assert data.version_tags == ["eforms", "30"]
    # No BT-161: the maximum value of the framework agreements (BT-118).
    assert (data.value_amount, data.value_currency) == (Decimal("37895955"), "RON")
    assert [(a.supplier_name, a.value_amount, a.number_of_tenderers, a.lot_ids) for a in data.awards] == [
        ("KASANDRA IMPEX S.R.L.", Decimal("11098500"), 1, ["LOT-0003"]),
        ("KASANDRA IMPEX S.R.L.", Decimal("3149550"), 1, ["LOT-0002"]),
        ("OMV PETROM S.A.", Decimal("23647905"), 2, ["LOT-0001"]),
        ("KASANDRA IMPEX S.R.L.", Decimal("22495500"), 2, ["LOT-0001"]),
    ]


def test_real_modification_notice_without_procedure_code():
    data = real("st38_BEL_NLD_00373731-2024.xml")
    assert data.version_tags == ["eforms", "38"]
    assert (data.notice_type, data.status, data.procedure_type) == ("other", "", "")
    assert data.source_id == "5396918e-a498-4901-b706-9dfb17c58857"  # its own: it changes a contract, not a notice
    assert (data.value_amount, data.value_currency) == (Decimal("5495469.32"), "EUR")
    assert [(a.supplier_name, a.value_amount) for a in data.awards] == [
        ("BOUWONDERNEMING DAMMAN", Decimal("5495469.32"))
    ]


def test_real_title_that_says_nothing_gives_way_to_the_description():
    data = real("st20_FRA_FRA_00468785-2024.xml")
    assert data.title == "Réservation berceaux en crèche"  # BT-21 is just "FR"
    assert data.titles == {"fr": "Réservation berceaux en crèche"}
    assert (data.value_amount, data.procedure_type) == (Decimal("1200000"), "neg-w-call")


def test_real_change_notices_citing_a_publication_number():
    assert real("st16_POL_POL_00468415-2024.xml").source_id == "463637-2024"  # BT-758 is a TED number
    assert real("st23_HRV_HRV_00448070-2024.xml").source_id == "f2c823d2-3828-4940-822c-32de6a868282"


@pytest.mark.django_db
def test_real_notices_ingest_and_again_unchanged():
    from greenbridge.tenders.services import notices_ingest

    first = notices_ingest(connector="eforms", location=str(REAL), source="ted")
    assert (first.read, first.created, first.rejected) == (13, 13, 0)
    again = notices_ingest(connector="eforms", location=str(REAL), source="ted")
    assert (again.read, again.created, again.updated, again.unchanged) == (13, 0, 0, 13)
