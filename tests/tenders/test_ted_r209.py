"""TED's notices from before eForms (TED_EXPORT, schema R2.0.9), on the 73 real notices in data/ted_r209.

Expected values are read from the files (the notice's number is the end of each file name)."""

import io
import re
import tarfile
import zipfile
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from greenbridge.tenders.ingest.eforms import iter_eforms, parse_eforms
from greenbridge.tenders.ingest.ted_r209 import TedNotice, ted_number
from greenbridge.tenders.ingest.types import Award, Lot, RejectedItem
from greenbridge.tenders.models import Notice, NoticeVersion
from greenbridge.tenders.selectors import notice_export_row, notices_for_export
from greenbridge.tenders.services import notices_ingest

TED = Path(__file__).resolve().parents[2] / "data" / "ted_r209"
FILES = sorted(p.name for p in TED.glob("*.xml"))


def raw(name: str) -> bytes:
    return (TED / f"{name}.xml").read_bytes()


def parse(name: str) -> TedNotice:
    data = parse_eforms(raw(name), position=name)
    assert isinstance(data, TedNotice)
    return data


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def export() -> list[dict]:
    return [notice_export_row(n) for n in notices_for_export()]


def edited(name: str, edit) -> bytes:
    """A real notice changed by `edit(root)`, for the cases the real files do not show."""
    root = etree.fromstring(raw(name))
    edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def find(root, path: str):
    return root.find("/".join(f"{{*}}{step}" for step in path.split("/")))


# ---------------------------------------------------------------------------------------------
# Every real notice


def test_the_folder_holds_the_73_notices():
    assert len(FILES) == 73


@pytest.mark.parametrize("name", FILES)
def test_every_real_notice_is_read(name):
    data = parse(name.removesuffix(".xml"))
    form, country, language, number = name.removesuffix(".xml").split("_")
    assert data.number == ted_number(number)
    assert data.form == form
    assert data.version_key == data.number
    assert data.version_tags == ["ted-r209", form]
    assert data.language == language.lower()
    assert data.buyer_country == {"UK": "GB"}.get(country, country)
    assert data.title
    assert data.buyer_name
    assert data.raw == (TED / name).read_text(encoding="utf-8")
    assert data.raw_format == "xml"
    assert data.published is not None
    assert data.published.tzinfo is not None
    assert data.ojs_number.startswith(f"{data.published.year}/S ") or form == "F14"
    assert data.cpv_codes
    assert all(len(code) == 8 and code.isdigit() for code in data.cpv_codes)
    assert data.url == f"https://ted.europa.eu/en/notice/-/detail/{data.source_id}"
    assert data.source_id == (data.corrects or data.number)


def test_the_73_notices_by_kind_language_and_country():
    notices = [parse(name.removesuffix(".xml")) for name in FILES]
    assert Counter(n.notice_type for n in notices) == {"competition": 27, "award": 24, "other": 14, "planning": 8}
    assert Counter(n.form for n in notices if n.notice_type == "other") == {"F14": 6, "F15": 4, "F20": 4}
    assert len({n.language for n in notices}) == 22
    assert len({n.buyer_country for n in notices}) == 37
    assert sum(len(n.awards) for n in notices) == 189
    assert sum(len(n.lots) for n in notices) == 372


# ---------------------------------------------------------------------------------------------
# Named notices


def test_inline_superscripts_and_subscripts_of_digits_are_the_characters_that_say_them():
    """TED marks up "m3" and "CO2" as m<FT TYPE="SUP">3</FT>, CO<FT TYPE="SUB">2</FT>; a whole title marked up so
    stays its text. Search folds ³ and ₂ back to the digits."""
    assert "m³/zi" in parse("F02_MD_RO_260082-2021").title
    lots = [lot.title for lot in parse("F01_PT_PT_288408-2021").lots]
    assert "Monitores de sinais vitais multiparamétricos com PI e CO₂" in lots
    title = "Dowóz uczniów niepełnosprawnych do szkół, przedszkoli, ośrodków w roku szkolnym 2022/2023"
    assert parse("F14_PL_PL_308971-2022").title == title  # <FT TYPE="SUB"> around all of it


def test_moldovan_wastewater_plant_contract_notice():
    data = parse("F02_MD_RO_260082-2021")
    assert data.source_id == "260082-2021"
    assert data.notice_type == "competition"
    assert data.status == "active"
    # "m<FT TYPE="SUP">3</FT>/zi": the superscript joins its word, as the character that says it (search folds it to 3).
    assert data.title == "Stație de epurare tip MMBR Q = 700 m³/zi. Etapa 1 Q = 350 m³/zi. ului"
    assert data.title.startswith("Stație de epurare tip MMBR")
    assert data.description == "Achiziționarea echipamentului pentru stația de epurare a deversărilor din canalizări."
    assert data.language == "ro"
    assert data.titles == {"ro": data.title}
    assert (data.buyer_name, data.buyer_id, data.buyer_country) == ("Primăria Comunei Răzeni", "", "MD")
    assert data.cpv_codes == ["45252130"]
    assert data.nuts_codes == ["MD"]
    assert (data.value_amount, data.value_currency) == (Decimal("5833333.33"), "MDL")
    assert data.deadline == utc(2021, 6, 7, 8, 0)  # 11:00 in Chișinău (summer time, UTC+3)
    assert data.published == utc(2021, 5, 21)
    assert data.ojs_number == "2021/S 098-260082"
    assert data.procedure_type == "open"
    assert data.url == "https://ted.europa.eu/en/notice/-/detail/260082-2021"
    assert (data.lots, data.awards) == ([], [])


def test_contract_notice_with_lots_after_a_notice_uuid():
    data = parse("F02_DK_DA_543442-2020")  # NOTICE_UUID comes before the form in FORM_SECTION
    assert data.title == "Udbud af ansigtsvisirer"
    assert (data.buyer_name, data.buyer_id, data.buyer_country) == ("Region Midtjylland", "29190925", "DK")
    assert data.cpv_codes == ["18443500", "18142000"]  # main, then the lots' additional codes
    assert data.nuts_codes == ["DK04"]
    assert (data.value_amount, data.value_currency) == (Decimal("50000000.00"), "DKK")
    assert data.deadline == utc(2020, 11, 24, 23, 0)  # the end of that day in Copenhagen: no time given
    assert data.lots == [
        Lot(id="1", title="Ansigtsvisirer til levering efter 14 dage fra ordre", cpv_codes=["18142000"]),
        Lot(id="2", title="Ansigtsvisirer til levering efter 30 dage fra ordre", cpv_codes=["18142000"]),
        Lot(id="3", title="Ansigtsvisirer til levering efter 60 dage fra ordre", cpv_codes=["18142000"]),
        Lot(id="4", title="Ansigtsvisirer til levering efter 90 dage fra ordre", cpv_codes=["18142000"]),
    ]


def test_award_notice_with_winner_sme_and_tenders_received():
    data = parse("F03_EE_ET_142968-2018")
    assert (data.notice_type, data.status, data.procedure_type) == ("award", "awarded", "neg-wo-call")
    assert data.title == "Tartu Ülikooli Delta õppehoone juurde ehitatava ettevõtluskeskuse hoone projekteerimine"
    assert (data.value_amount, data.value_currency) == (Decimal("328995"), "EUR")
    assert data.deadline is None
    assert data.awards == [
        Award(
            supplier_name="Arhitekt11 OÜ",
            supplier_country="EE",
            supplier_sme=True,
            value_amount=Decimal("328995"),
            value_currency="EUR",
            number_of_tenderers=1,
            tenders_from_smes=1,
            tenders_from_other_eu=0,
            tenders_from_non_eu=0,
            date=utc(2018, 3, 29),
        )
    ]
    assert data.awards[0].as_json() == {
        "supplier_name": "Arhitekt11 OÜ",
        "supplier_country": "EE",
        "value_amount": "328995",
        "value_currency": "EUR",
        "number_of_tenderers": 1,
        "date": "2018-03-29T00:00:00+00:00",
        "lot_ids": [],
        "supplier_sme": True,
        "tenders_from_smes": 1,
        "tenders_from_other_eu": 0,
        "tenders_from_non_eu": 0,
    }


def test_award_notice_in_24_languages_with_eight_contracts():
    data = parse("F03_LU_FR_458365-2017")
    assert data.language == "fr"
    assert data.title.startswith("Prestations de contrôle médical des absences au travail sur les 3 sites")
    assert len(data.titles) == len(data.descriptions) == 24
    assert data.titles["en"] == (
        "Provision of medical checks on absences from work on the 3 European Parliament sites "
        "(lot 1 — Brussels/lot 2 — Luxembourg/lot 3 — Strasbourg)."
    )
    assert data.titles["fr"] == data.title
    assert data.buyer_name == "Parlement européen"
    assert data.nuts_codes == [
        "BE10",
        "BE31",
        "BE24",
        "LU",
        "BE34",
        "BE35",
        "FRF31",
        "FRF33",
        "DEB2",
        "DEC0",
        "DE1",
        "FRF1",
    ]
    assert [lot.id for lot in data.lots] == ["1", "2", "3"]
    assert [
        (a.supplier_name, a.supplier_country, a.supplier_sme, a.value_amount, a.number_of_tenderers, a.lot_ids)
        for a in data.awards
    ] == [
        ("Bouda Médic", "BE", True, Decimal("80000.00"), 2, ["1"]),
        ("Dr Jean-Jacques Zeiger", "BE", True, Decimal("80000.00"), 5, ["1"]),
        ("Dr Nalini Azanga", "LU", True, Decimal("45000.00"), 5, ["2"]),
        ("Dr Karim Hamadachi", "LU", False, Decimal("45000.00"), 5, ["2"]),
        ("Dr Francis Hailikari", "LU", False, Decimal("45000.00"), 5, ["2"]),
        ("Dr Wolfgang Meunier", "DE", True, Decimal("45000.00"), 5, ["2"]),
        ("Dr Alain Sebille", "FR", True, Decimal("10000.00"), 2, ["3"]),
        ("Dr Claude Gützwiller", "FR", True, Decimal("10000.00"), 2, ["3"]),
    ]


def test_prior_information_notice_with_24_titles():
    data = parse("F01_IT_EN_601930-2021")
    assert (data.notice_type, data.status) == ("planning", "planned")  # NOTICE TYPE="PRI_ONLY"
    assert data.title == "Provision of Internet Services and Fixed Telephony Services"
    assert len(data.titles) == 24
    languages = "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv"
    assert sorted(data.titles) == languages.split()
    assert data.titles["de"] == "Bereitstellung von Internet- und Festnetztelefoniediensten"
    assert data.titles["ro"] == "Furnizare de servicii de internet și de servicii de telefonie fixă"
    assert data.buyer_name == "European Food Safety Authority (EFSA)"
    assert (data.value_amount, data.value_currency) == (Decimal("860000.00"), "EUR")


def test_award_notice_with_238_lots():
    data = parse("F21_PL_PL_457439-2018")
    assert (data.notice_type, data.status) == ("award", "awarded")  # F21 with NOTICE TYPE="AWARD_CONTRACT"
    assert data.title == "Autorzy i recenzenci kryteriów weryfikacji określonych w PPKZ - Etap 2"
    assert len(data.lots) == 238
    assert data.lots[0] == Lot(
        id="1", title="Część nr 1 Technik ceramik (wcześniej Technik technologii ceramicznej)", cpv_codes=["80000000"]
    )
    assert data.lots[-1] == Lot(id="238", title="Część nr 238 Lakiernik", cpv_codes=["80000000"])
    # 238 AWARD_CONTRACT: 82 awarded, 156 not (121 discontinued, 35 unsuccessful).
    assert len(data.awards) == 82
    assert data.awards[0] == Award(
        supplier_name="Marcin Sobczyk, Iwona Zapart, Halina Pęczkowska; Iwona Zapart; Halina Pęczkowska",
        supplier_country="PL",
        supplier_sme=True,
        number_of_tenderers=3,
        tenders_from_smes=3,
        date=utc(2018, 3, 10),
        lot_ids=["1"],  # the award says "Część nr 1": the lot numbered 1
    )
    assert data.awards[-1].lot_ids == ["117"]
    assert (data.awards[-1].value_amount, data.awards[-1].value_currency) == (Decimal("1200.00"), "PLN")
    assert sum(1 for a in data.awards if a.number_of_tenderers == 1) == 22
    assert sum(a.value_amount or 0 for a in data.awards) == Decimal("345903.00")
    assert (data.value_amount, data.value_currency) == (Decimal("1250000.00"), "PLN")


@pytest.mark.parametrize(
    ("name", "namespace", "title", "buyer", "deadline", "procedure"),
    [
        (
            "F02_FR_FR_125793-2017",
            "http://formex.publications.europa.eu/ted/schema/export/R2.0.9.S01.E01",
            "Littoral — location et entretien de cabines sanitaires (toilettes et/ou douches) — accords-cadres à "
            "bons de commande — années 2017 à 2020 — appel d'offres ouvert.",
            ("Commune d'Hyères-les-Palmiers", "21830069700016", "FR"),
            utc(2017, 5, 3, 14, 30),
            "open",
        ),
        (
            "F02_BG_BG_285583-2017",
            "ted/R2.0.9.S02/publication",
            "„Изработване и отпечатване на печатни и рекламни материали, и сертификати“.",
            ("Институт по публична администрация", "130403691", "BG"),
            utc(2017, 8, 31, 14, 30),
            "open",
        ),
        (
            "F02_HU_HU_017921-2022",
            "http://publications.europa.eu/resource/schema/ted/R2.0.9/publication",
            "Eü-i informatikai rendszerek DBR (OT21_DBR_1) II.",
            ("Digitális Kormányzati Ügynökség Zártkörűen Működő Részvénytársaság", "26698180241", "HU"),
            utc(2022, 2, 10, 10, 0),
            "restricted",
        ),
    ],
)
def test_the_three_namespace_spellings(name, namespace, title, buyer, deadline, procedure):
    assert etree.QName(etree.fromstring(raw(name))).namespace == namespace
    data = parse(name)
    assert data.title == title
    assert (data.buyer_name, data.buyer_id, data.buyer_country) == buyer
    assert data.deadline == deadline
    assert (data.notice_type, data.procedure_type) == ("competition", procedure)


def test_services_forms_take_their_kind_from_the_notice_type():
    kinds = {
        name: (parse(name).notice_type, parse(name).status)
        for name in (
            "F21_HR_HR_438571-2021",  # CONTRACT
            "F21_PL_PL_457439-2018",  # AWARD_CONTRACT
            "F22_CZ_CS_204459-2017",  # PER_CALL_COMPETITION
            "F23_EE_ET_249095-2018",  # PRI
            "F23_ES_ES_314701-2020",  # CONCESSION_AWARD_CONTRACT
            "F01_CZ_CS_266367-2021",  # PRI_CALL_COMPETITION
        )
    }
    assert kinds == {
        "F21_HR_HR_438571-2021": ("competition", "active"),
        "F21_PL_PL_457439-2018": ("award", "awarded"),
        "F22_CZ_CS_204459-2017": ("competition", "active"),
        "F23_EE_ET_249095-2018": ("planning", "planned"),
        "F23_ES_ES_314701-2020": ("award", "awarded"),
        "F01_CZ_CS_266367-2021": ("competition", "active"),
    }


def test_public_passenger_transport_forms():
    plan, award = parse("T01_SK_SK_259820-2021"), parse("T02_RO_RO_340663-2020")
    assert (plan.notice_type, plan.procedure_type, plan.nuts_codes) == ("planning", "neg-wo-call", ["SK010", "SK023"])
    assert plan.title == "Predbežné oznámenie o zmluvách o službách vo verejnom záujme"
    assert award.notice_type == "award"
    assert award.awards == [
        Award(
            supplier_name="S.C. COMPANIA DE TRANSPORT PUBLIC S.A. ARAD",  # named twice in the form: once here
            supplier_country="RO",
            value_amount=Decimal("232203218.00"),
            value_currency="RON",
            date=utc(2025, 12, 1),
        )
    ]


def test_design_contest_results_are_awards():
    data = parse("F13_CY_EL_466818-2022")
    assert data.awards == [
        Award(
            supplier_name="Hadjilambri stella architects",
            supplier_country="CY",
            supplier_sme=True,
            value_amount=Decimal("665000.00"),
            value_currency="EUR",
            number_of_tenderers=11,
            date=utc(2022, 7, 15),
        )
    ]
    assert parse("F13_MT_EN_211734-2018").status == "cancelled"  # no prize awarded: discontinued


def test_non_eu_buyers():
    countries = {
        name: parse(name).buyer_country
        for name in (
            "F02_MD_RO_260082-2021",
            "F05_AL_EN_298223-2021",
            "F05_CH_FR_371564-2021",
            "F15_IS_EN_625874-2021",
            "F14_KE_EN_330055-2021",
            "F24_MK_EN_403467-2021",
            "F05_NO_EN_199065-2018",
            "F14_TR_EN_026522-2021",
            "F03_UK_EN_007563-2018",
        )
    }
    assert sorted(countries.values()) == ["AL", "CH", "GB", "IS", "KE", "MD", "MK", "NO", "TR"]
    assert parse("F14_KE_EN_330055-2021").deadline == utc(2021, 7, 16, 9, 0)  # 12:00 in Nairobi


def test_a_corrigendum_alone_stands_for_the_notice_it_corrects():
    data = parse("F14_AT_DE_209486-2021")
    assert (data.number, data.corrects, data.source_id) == ("209486-2021", "181256-2021", "181256-2021")
    assert data.ojs_number == "2021/S 071-181256"  # the corrected notice's
    assert data.url == "https://ted.europa.eu/en/notice/-/detail/181256-2021"
    assert (data.notice_type, data.status) == ("other", "")
    assert data.title == "Veranstaltungsdienste 2021-2023 (optional 2024)"
    assert data.cpv_codes == ["79713000"]
    assert [(c.section, c.cpv_main, c.old_cpv) for c in data.changes if c.cpv_main] == [
        ("II.1.2", "79713000", ["79950000"])
    ]
    assert data.deadline == utc(2021, 5, 10, 9, 0)  # TED's coded deadline: 11:00 in Graz


# ---------------------------------------------------------------------------------------------
# Shapes the real files do not show


def test_missing_title_and_number_fall_back_to_tedS_own():
    def strip(root):
        contract = find(root, "FORM_SECTION/F02_2014/OBJECT_CONTRACT")
        contract.remove(find(contract, "TITLE"))
        del root.attrib["DOC_ID"]

    data = parse_eforms(edited("F02_MD_RO_260082-2021", strip))
    assert data.title == "Echipament pentru staţii de epurare a deversărilor din canalizări"  # ML_TITLES, RO
    assert data.source_id == "260082-2021"  # from NO_DOC_OJS "2021/S 098-260082"


def test_without_categories_the_original_language_form_is_read():
    def uncategorise(root):
        for form in find(root, "FORM_SECTION"):
            form.attrib.pop("CATEGORY", None)

    data = parse_eforms(edited("F05_CH_FR_371564-2021", uncategorise))
    assert data.language == "fr"  # LG_ORIG
    assert data.titles["de"] == "Transformatoren 800 MVA, 380/220 kV PST / Einphasen-Bauweise (2 Kessel pro Phase)"


def test_incomplete_and_other_schema_notices_are_rejected():
    def no_title_anywhere(root):
        contract = find(root, "FORM_SECTION/F02_2014/OBJECT_CONTRACT")
        contract.remove(find(contract, "TITLE"))
        root.remove(find(root, "TRANSLATION_SECTION"))
        del root.attrib["DOC_ID"]
        notice_data = find(root, "CODED_DATA_SECTION/NOTICE_DATA")
        notice_data.remove(find(notice_data, "NO_DOC_OJS"))

    with pytest.raises(RejectedItem, match=r"^incomplete TED notice: it has no notice number \(DOC_ID\) and no title$"):
        parse_eforms(edited("F02_MD_RO_260082-2021", no_title_anywhere))
    older = raw("F02_MD_RO_260082-2021").replace(b'VERSION="R2.0.9.S04.E01"', b'VERSION="R2.0.8.S02.E01"')
    older = older.replace(b"/ted/R2.0.9/publication", b"/ted/R2.0.8/publication")
    with pytest.raises(RejectedItem, match=r"^a TED notice in another schema \(R2\.0\.8\.S02\.E01\): only R2\.0\.9"):
        parse_eforms(older)


# ---------------------------------------------------------------------------------------------
# Ingestion


@pytest.mark.django_db
def test_ingesting_the_folder_twice_changes_nothing_the_second_time():
    first = notices_ingest(connector="eforms", location=str(TED))
    before, versions = export(), NoticeVersion.objects.count()
    second = notices_ingest(connector="eforms", location=str(TED))
    assert (first.read, first.created, first.updated, first.rejected) == (73, 73, 0, 0)
    assert (second.read, second.created, second.updated, second.unchanged, second.rejected) == (73, 0, 0, 73, 0)
    assert export() == before
    assert versions == NoticeVersion.objects.count() == 73
    assert Counter(Notice.objects.values_list("notice_type", flat=True)) == {
        "competition": 27,
        "award": 24,
        "other": 14,
        "planning": 8,
    }
    moldova = Notice.objects.get(source="ted", source_id="260082-2021")
    assert (moldova.title, moldova.language, moldova.buyer_country) == (
        "Stație de epurare tip MMBR Q = 700 m³/zi. Etapa 1 Q = 350 m³/zi. ului",
        "ro",
        "MD",
    )
    assert (moldova.cpv_codes, moldova.nuts_codes, moldova.ojs_number) == (["45252130"], ["MD"], "2021/S 098-260082")
    assert "wastewater" in moldova.green_sectors
    exams = Notice.objects.get(source_id="457439-2018")
    assert exams.awards[0]["tenders_from_smes"] == 3
    # Vocational exam criteria (CPV 80000000): a lot for railway traffic-control technicians is not a smart city.
    assert exams.green_sectors == []
    assert len(Notice.objects.get(source_id="601930-2021").titles) == 24


def stand_in(number: str, ojs: str, published: str, *, cpv: str | None = None) -> bytes:
    """The notice a real corrigendum corrects is not among the real files: a real contract notice
    (F02_MD_RO) is given its number, its OJ S reference and a publication date before the corrigendum's."""

    def renumber(root):
        root.set("DOC_ID", number)
        find(root, "CODED_DATA_SECTION/NOTICE_DATA/NO_DOC_OJS").text = ojs
        find(root, "CODED_DATA_SECTION/REF_OJS/DATE_PUB").text = published
        if cpv:
            find(root, "FORM_SECTION/F02_2014/OBJECT_CONTRACT/CPV_MAIN/CPV_CODE").set("CODE", cpv)

    return edited("F02_MD_RO_260082-2021", renumber)


@pytest.mark.django_db
@pytest.mark.parametrize("corrigendum_first", [False, True])
def test_corrigendum_updates_the_notice_it_corrects(tmp_path, corrigendum_first):
    original = tmp_path / "original" / "015202-2021.xml"
    original.parent.mkdir()
    original.write_bytes(stand_in("015202-2021", "2021/S 008-015202", "20210113"))
    corrigendum = TED / "F14_CY_EL_070494-2021.xml"  # moves the deadline (IV.2.2) to 26 Feb 2021, 14:00
    runs = [str(corrigendum), str(original)] if corrigendum_first else [str(original), str(corrigendum)]
    first, second = (notices_ingest(connector="eforms", location=location) for location in runs)
    assert (first.created, second.created, second.updated) == (1, 0, 1)
    [notice] = Notice.objects.all()
    assert notice.source_id == "15202-2021"
    assert notice.title == "Stație de epurare tip MMBR Q = 700 m³/zi. Etapa 1 Q = 350 m³/zi. ului"  # the notice's
    assert notice.notice_type == "competition"
    assert notice.deadline == utc(2021, 2, 26, 12, 0)  # the corrigendum's: 14:00 in Nicosia
    assert notice.published == utc(2021, 1, 13)
    assert notice.ojs_number == "2021/S 008-015202"
    assert notice.raw == original.read_text(encoding="utf-8")  # the notice itself; the corrigendum is a version
    assert sorted(notice.versions.values_list("version_key", "tags")) == [
        ("15202-2021", ["ted-r209", "F02"]),
        ("70494-2021", ["ted-r209", "F14"]),
    ]
    assert notice.versions.get(version_key="70494-2021").document == corrigendum.read_text(encoding="utf-8")
    for location in runs:  # again, in either order: nothing changes
        again = notices_ingest(connector="eforms", location=location)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


@pytest.mark.django_db
def test_corrigendum_replaces_the_main_cpv_code(tmp_path):
    folder = tmp_path / "month"
    folder.mkdir()
    (folder / "181256-2021.xml").write_bytes(stand_in("181256-2021", "2021/S 071-181256", "20210413", cpv="79950000"))
    (folder / "209486-2021.xml").write_bytes(raw("F14_AT_DE_209486-2021"))  # II.1.2: 79950000 -> 79713000
    run = notices_ingest(connector="eforms", location=str(folder))
    assert (run.read, run.created, run.updated) == (2, 1, 1)  # one notice: created, then updated by its corrigendum
    assert Notice.objects.count() == 1
    notice = Notice.objects.get(source_id="181256-2021")
    assert notice.cpv_codes == ["79713000"]
    assert list(notice.cpv_rows.values_list("code", "is_main")) == [("79713000", True)]
    assert notice.deadline == utc(2021, 5, 10, 9, 0)  # TED's coded deadline of the corrigendum


def daily(files: list[str]) -> bytes:
    """A daily package as TED publishes them: a .tar.gz of one day's notices in a dated folder."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name in files:
            data = (TED / name).read_bytes()
            info = tarfile.TarInfo(f"{published(name)}/{name.split('_')[-1]}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def published(name: str) -> str:
    return re.search(rb"<DATE_PUB>(\d{8})</DATE_PUB>", (TED / name).read_bytes()).group(1).decode()


@pytest.mark.django_db
def test_monthly_package_of_daily_packages(tmp_path):
    days: dict[str, list[str]] = {}
    for name in FILES:
        days.setdefault(published(name), []).append(name)
    monthly = tmp_path / "TED_monthly.tar.gz"
    with tarfile.open(monthly, "w:gz") as tar:
        members = {f"{day}_{i:03}.tar.gz": daily(names) for i, (day, names) in enumerate(sorted(days.items()), 1)}
        members["20991231_999.tar.gz"] = b"\x1f\x8b\x08 a damaged download"
        members["nested.tar.gz"] = daily_with_archive_inside()
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    run = notices_ingest(connector="eforms", location=str(monthly))
    assert (run.read, run.created, run.rejected) == (75, 73, 2)
    assert run.rejections == [
        {
            "position": f"{monthly}:20991231_999.tar.gz",
            "reason": "cannot be read as an archive: invalid compressed data",
        },
        {
            "position": f"{monthly}:nested.tar.gz:inner.tar.gz",
            "reason": "an archive inside an archive inside an archive: not read",
        },
    ]
    moldova = NoticeVersion.objects.get(version_key="260082-2021")
    assert moldova.notice.title.startswith("Stație de epurare tip MMBR")
    again = notices_ingest(connector="eforms", location=str(monthly))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 73)


def daily_with_archive_inside() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        data = daily(["F02_MD_RO_260082-2021.xml"])
        info = tarfile.TarInfo("inner.tar.gz")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_zip_of_daily_packages_and_zips(tmp_path):
    archive = tmp_path / "month.zip"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("20210521/260082_2021.xml", raw("F02_MD_RO_260082-2021"))
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("20180331_064.tar.gz", daily(["F03_EE_ET_142968-2018.xml"]))
        z.writestr("20210521_098.zip", inner.getvalue())
    items = list(iter_eforms(archive))
    assert [i.position for i in items] == [
        f"{archive}:20180331_064.tar.gz:20180331/142968-2018.xml",
        f"{archive}:20210521_098.zip:20210521/260082_2021.xml",
    ]
    assert [i.data.source_id for i in items] == ["142968-2018", "260082-2021"]


@pytest.mark.django_db
def test_a_malformed_notice_is_rejected_with_its_position_and_reason(tmp_path):
    for name in ("F02_MD_RO_260082-2021", "F03_EE_ET_142968-2018"):
        (tmp_path / f"{name}.xml").write_bytes(raw(name))
    broken = tmp_path / "F21_PL_PL_457439-2018.xml"
    broken.write_bytes(raw("F21_PL_PL_457439-2018")[:20_000])  # a download cut short
    run = notices_ingest(connector="eforms", location=str(tmp_path))
    assert (run.read, run.created, run.rejected) == (3, 2, 1)
    [rejection] = run.rejections
    assert rejection["position"] == str(broken)
    assert re.fullmatch(r"this file is not well-formed XML \(line 1, column \d+: .+\)", rejection["reason"])


@pytest.mark.django_db
def test_notice_page_of_a_ted_award_notice(client):
    notices_ingest(connector="eforms", location=str(TED / "F03_EE_ET_142968-2018.xml"))
    notice = Notice.objects.get(source_id="142968-2018")
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "Tartu Ülikooli Delta õppehoone juurde ehitatava ettevõtluskeskuse hoone projekteerimine" in page
    assert '<dd class="code">2018/S 064-142968</dd>' in page
    assert '<dd class="code">EE</dd>' in page  # NUTS
    assert re.search(r"<td>Arhitekt11 OÜ <span class=\"tag\" title=\"[^\"]+\">SME</span></td>", page)
    assert 'href="https://ted.europa.eu/en/notice/-/detail/142968-2018"' in page


@pytest.mark.django_db
def test_a_notice_of_238_lots_shows_twelve_and_the_others_on_demand(client):
    """Every lot and award is on the page, the first twelve of each in view and the rest folded (the page was
    25,000 px long)."""
    import lxml.html

    notices_ingest(connector="eforms", location=str(TED))
    notice = next(n for n in Notice.objects.filter(source="ted") if len(n.lots) == 238)
    page = lxml.html.fromstring(client.get(notice.get_absolute_url()).content)
    lots = page.xpath('//section[@aria-labelledby="lots-title"]')[0]
    assert len(lots.xpath("./div//tbody/tr")) == 12
    assert lots.xpath("./details/summary")[0].text_content().strip() == "226 more lots"
    assert len(lots.xpath("./details//tbody/tr")) == 226
    assert lots.xpath("./details//tbody/tr[last()]/td[2]")[0].text_content() == "Część nr 238 Lakiernik"
    awards = page.xpath('//section[@aria-labelledby="awards-title"]')[0]
    assert len(awards.xpath(".//tbody/tr")) == len(notice.awards) == 82
    assert awards.xpath("./details/summary")[0].text_content().strip() == "70 more awards"


@pytest.mark.django_db
def test_api_gives_the_ted_fields(client):
    notices_ingest(connector="eforms", location=str(TED / "F03_EE_ET_142968-2018.xml"))
    notice = Notice.objects.get(source_id="142968-2018")
    body = client.get(f"/api/v1/notices/{notice.pk}").json()
    assert (body["ojs_number"], body["nuts_codes"]) == ("2018/S 064-142968", ["EE"])
    assert body["awards"][0]["supplier_sme"] is True
    assert body["awards"][0]["tenders_from_other_eu"] == 0
