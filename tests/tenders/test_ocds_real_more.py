"""Batch 3 of real OCDS data (data/ocds/real_more, see data/SOURCES.md): twelve publishers in eight
countries and the odd shapes they publish. Expected values are read from the files."""

from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from greenbridge.tenders.ingest.ocds import iter_ocds, release_tags, release_to_notice
from greenbridge.tenders.ingest.types import RejectedItem
from greenbridge.tenders.models import IngestRun, Notice, NoticeVersion
from greenbridge.tenders.services import notices_ingest

REAL = Path(__file__).resolve().parents[2] / "data" / "ocds" / "real_more"
SAMPLES = REAL / "ocp_sample_data_2017"
PORTUGAL = REAL / "portugal_impic_base_gov_2019" / "impic_release_package_in_array_100_releases.json"
ARMENIA = SAMPLES / "armenia_sample" / "releases" / "6.json"
TAIWAN = SAMPLES / "taiwan_sample" / "releases" / "ocid-6as3t2-51188678-ocid-6as3t2-51188678.json"
MONTREAL_RECORD = (
    SAMPLES / "canada_montreal" / "records" / ("ocds-a1234567-mt-9f23f127320f8155bb4732e1685bd498cbbffbbd.json")
)
CANADA_RECORD = SAMPLES / "canada_buyandsell" / "records" / "ocds-34a6hz-01B68-160244_001_CZ.json"
PARAGUAY_RECORDS = SAMPLES / "paraguay_sample" / "records"
NSW = SAMPLES / "australia_new-south-wales" / "releases" / "0.json"

pytestmark = pytest.mark.django_db(transaction=False)

LINKED_ONLY = "a record with only linked releases and no compiled release: nothing to read"


def items(path: Path) -> list:
    return list(iter_ocds(str(path)))


# ------------------------------------------------------------------ reading the shapes


def test_portugal_array_holding_one_release_package_is_read():
    read = items(PORTUGAL)
    assert len(read) == 100
    assert [i.position for i in read[:2]] == [f"{PORTUGAL}:[0]:releases[0]", f"{PORTUGAL}:[0]:releases[1]"]
    assert {i.kind for i in read} == {"release"}
    assert read[0].data["ocid"] == "ocds-px0z7d-5052-5001-1"
    assert read[0].data["tender"]["value"]["amount"] == Decimal("775.76")  # exact, as ijson reads it


def test_canada_and_mexico_records_without_ocid_take_their_compiled_release_ocid():
    [record] = items(CANADA_RECORD)
    assert record.kind == "record"
    assert record.position == str(CANADA_RECORD)
    assert record.data["ocid"] == "ocds-34a6hz-01B68-160244/001/CZ"
    [gacm] = items(SAMPLES / "mexico_grupo-aeroportuario" / "records" / "104.json")
    assert (gacm.kind, gacm.data["ocid"]) == ("record", "104")  # an ocid without the ocds- prefix


def test_paraguay_records_with_linked_releases_are_read_whole():
    [record] = items(PARAGUAY_RECORDS / "284437.json")
    assert record.kind == "record"
    assert record.data["releases"] == [
        {
            "date": "2014-11-20T14:37:05-05:00",
            "tag": ["planning"],
            "url": "https://www.contrataciones.gov.py/datos/id/planning/"
            "284437-adquisicion-equipamientos-medicos-servicio-emergencia-medicas-extra-hospit.json",
        }
    ]
    assert "compiledRelease" not in record.data


def test_every_file_is_read_without_rejection():
    read = items(REAL)
    # 21 records: SOURCES.md counts the 12 records of Canada, Montréal and Mexico's airport group,
    # which have no ocid of their own, as release packages.
    assert Counter(i.kind for i in read) == {"release": 280, "record": 21}
    assert [i for i in read if isinstance(i.data, RejectedItem)] == []


# ------------------------------------------------------------------ mapping the values


@pytest.mark.parametrize(
    ("value", "tags"),
    [
        ("award", ["award"]),  # Montréal: a string, not an array
        ("awardNotice", ["award"]),  # Taiwan: not an OCDS code, it maps
        (["compiled"], ["compiled"]),  # Canada, Mexico, Paraguay
        (["Tender", "tenderUpdate", "tender"], ["tender", "tenderUpdate"]),
        (["preQualification"], ["preQualification"]),  # unknown: kept as it is
        (None, []),
    ],
)
def test_release_tags(value, tags):
    assert release_tags(value) == tags


def test_armenia_upper_case_language_and_national_cpv_scheme():
    release = next(i.data for i in items(ARMENIA) if i.data["ocid"] == "AM-PPS-0aba93669165af87f1de5decd08272e2")
    assert release["language"] == "HY"
    notice = release_to_notice(release)
    assert notice.language == "hy"
    assert notice.cpv_codes == ["80521000"]  # scheme "CPV-AM": Armenia's CPV 2008 codes
    assert notice.title == "ԷԼԵԿՏՐՈՆԱՅԻՆ ՆՅՈՒԹԵՐԻ ՁԵՌՔԲԵՐՄԱՆ   ՊԱՅՄԱՆԱԳԻՐ"
    assert (notice.value_amount, notice.value_currency) == (Decimal("4233000.0"), "AMD")
    assert (notice.notice_type, notice.status, notice.buyer_country) == ("award", "awarded", "AM")
    [award] = notice.awards
    assert (award.supplier_name, award.number_of_tenderers) == ("Zangak-97 SPY", 1)


def test_armenia_plan_reads_the_cpv_codes_of_its_planned_items_and_no_zero_value():
    release = next(i.data for i in items(ARMENIA) if i.data["ocid"] == "AM-PPS-04dab970f75cdf1c2e13954b173ec555")
    assert release["planning"]["budget"]["amount"] == {"amount": 0, "currency": "AMD"}
    notice = release_to_notice(release)
    assert notice.notice_type == "planning"
    # What is bought (the planned item's classification), not the budget line that pays for it ("Գործադիր
    # իշխանության, պետական կառավ": executive power, state administration, cut short), which a dozen plans share.
    assert notice.title == "Detergents"
    assert notice.cpv_codes == ["39831200", "39831247"]  # planning.tender.items, scheme CPV-AM
    assert notice.value_amount is None  # 0 means the plan gives no value


def test_taiwan_string_tag_prefixless_ocid_and_lone_award_object():
    [item] = items(TAIWAN)
    release = item.data
    assert (release["tag"], release["ocid"]) == ("awardNotice", "ocid-6as3t2-51188678")
    notice = release_to_notice(release)
    assert notice.source_id == "ocid-6as3t2-51188678"
    assert notice.version_tags == ["award"]
    assert notice.language == "zh"
    assert notice.title == "鹽水排水菜寮橋段護岸改善應急工程第一次變更設計"  # the release's "name"
    assert notice.buyer_name == "臺南市政府水利局"  # buyer.identifier.legalName
    assert (notice.notice_type, notice.status) == ("award", "awarded")  # `awards` is one object
    assert notice.cpv_codes == []  # Taiwan classifies with CPC


def test_nsw_html_description_becomes_plain_text():
    [item] = items(NSW)
    notice = release_to_notice(item.data)
    assert item.data["tender"]["description"].startswith("<p>The extent of works")
    assert notice.description == (
        "The extent of works for this contract includes but is not limited to :\n"
        "Principal Design Consultancy for Belmont Hospital Theatre Refubishment\n"
        "The works comprise all work shown on the drawings and included in the specification."
    )
    assert notice.language == "en"
    assert notice.buyer_country == "AU"  # no address: the publisher's country (ocid prefix ocds-43qwtd)


def test_canada_titles_only_in_languages():
    [record] = items(CANADA_RECORD)
    notice = release_to_notice(record.data["compiledRelease"])
    assert notice.title == "Advertising Creative Services"  # contract title_en, the release language
    assert notice.titles == {"en": "Advertising Creative Services", "fr": "Services de création  en publicité"}
    assert notice.buyer_name == "Agriculture and Agri-Food Canada"  # buyer name_en
    assert (notice.value_amount, notice.value_currency) == (Decimal("14967"), "CAD")  # the contract's


# ------------------------------------------------------------------ ingesting it all


def test_whole_tree_ingested_twice_changes_nothing_the_second_time():
    first = notices_ingest(connector="ocds", location=str(REAL), source="ocds")
    assert (first.status, first.read, first.created, first.updated, first.unchanged, first.rejected) == (
        IngestRun.Status.DONE,
        301,
        283,
        8,
        8,
        2,
    )
    assert first.rejections == [
        {"position": f"{PARAGUAY_RECORDS}/284437.json:records[0]", "reason": LINKED_ONLY},
        {"position": f"{PARAGUAY_RECORDS}/284453.json:records[0]", "reason": LINKED_ONLY},
    ]
    notices = Notice.objects.filter(source="ocds")
    assert Counter(notices.values_list("language", flat=True)) == {
        "pt": 100,
        "hy": 100,
        "es": 38,
        "en": 25,
        "zh": 11,
        "fr": 9,
    }
    assert notices.filter(title="").count() == 0
    state = sorted(notices.values_list("source_id", "content_hash", "updated"))
    versions = NoticeVersion.objects.count()

    second = notices_ingest(connector="ocds", location=str(REAL), source="ocds")
    assert (second.read, second.created, second.updated, second.unchanged, second.rejected) == (301, 0, 0, 299, 2)
    assert sorted(notices.values_list("source_id", "content_hash", "updated")) == state
    assert NoticeVersion.objects.count() == versions


def test_portugal_array_gives_100_notices():
    run = notices_ingest(connector="ocds", location=str(PORTUGAL), source="base")
    assert (run.read, run.created, run.rejected) == (100, 100, 0)
    notices = Notice.objects.filter(source="base")
    assert Counter(notices.values_list("notice_type", flat=True)) == {"award": 100}
    assert sum(1 for codes in notices.values_list("cpv_codes", flat=True) if codes) == 7
    taps = notices.get(source_id="ocds-px0z7d-5052-5001-1")
    # No title at all: the description stands in.
    assert taps.title == "Aquisição de torneiras para as cubas da cozinha, para o refeitório da Escola EB1 de Lagoa"
    assert (taps.value_amount, taps.value_currency, taps.language) == (Decimal("775.76"), "EUR", "pt")
    assert (taps.buyer_name, taps.buyer_country, taps.procedure_type) == ("Município de Lagoa", "PT", "direct")
    paving = notices.get(source_id="ocds-px0z7d-7081-7004-1")
    assert paving.title == "Requalificação da Zona Envolvente da Variante do Hospital"
    assert paving.cpv_codes == ["45233251"]
    assert paving.value_amount == Decimal("109271.93")
    assert paving.deadline == datetime(2008, 11, 4, tzinfo=UTC)


def test_records_compiled_releases_and_history():
    notices_ingest(connector="ocds", location=str(SAMPLES / "canada_montreal"), source="mtl")
    montreal = Notice.objects.get(source="mtl", source_id="ocds-a1234567-mt-9f23f127320f8155bb4732e1685bd498cbbffbbd")
    # The record (release + compiled release), then the same release again from releases/: unchanged.
    assert sorted(NoticeVersion.objects.filter(notice=montreal).values_list("version_key", "tags")) == [
        ("9f23f127320f8155bb4732e1685bd498cbbffbbd", ["award"]),
        ("compiled:9f23f127320f8155bb4732e1685bd498cbbffbbd", ["compiled"]),
    ]
    assert (montreal.value_amount, montreal.value_currency) == (Decimal("7473.36"), "CAD")
    assert montreal.awards[0]["supplier_name"] == "CEGA ELECTRICITE MULTIMEDIA INC."

    run = notices_ingest(connector="ocds", location=str(SAMPLES / "paraguay_sample"), source="py")
    assert (run.read, run.created, run.rejected) == (18, 12, 2)
    # A bare compiled release (records/), then an older planning release of the same ocid
    # (releases/): the planning release is history, merged below the compiled state.
    copaco = Notice.objects.get(source="py", source_id="ocds-03ad3f-274231")
    assert (copaco.notice_type, copaco.status) == ("competition", "unsuccessful")
    assert copaco.title == "ADQUISICIÓN DE EQUIPOS DE COMUNICACIÓN Y TERMINALES ÓPTICOS DE TRANSMISIÓN"
    assert (copaco.value_amount, copaco.value_currency) == (Decimal("600200000"), "PYG")
    assert sorted(NoticeVersion.objects.filter(notice=copaco).values_list("tags", flat=True)) == [
        ["compiled"],
        ["planning"],
    ]


def test_paraguay_plans_in_their_own_currency_and_a_budget_without_amount():
    plans = {}
    for path in sorted((SAMPLES / "paraguay_sample" / "releases").glob("*.json")):
        [item] = items(path)
        notice = release_to_notice(item.data)
        plans[notice.source_id] = (notice.title, notice.value_amount, notice.value_currency, notice.notice_type)
    assert len(plans) == 12
    assert plans["ocds-03ad3f-284182"] == (
        "ADQUISICION DE ARTÍCULOS DE FERRETERÍA PARA NIVEL CENTRAL DEL MSP Y BS",  # the budget's description
        Decimal("184558192.0"),
        "PYG",
        "planning",
    )
    # The one plan in dollars gives no amount: no value, and so no currency either.
    assert plans["ocds-03ad3f-280555"] == ("Ampliación de las Subestaciones Ayolas y Villa Hayes", None, "", "planning")
