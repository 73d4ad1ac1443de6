"""The OCDS connector's reading and mapping half: real files, hostile inputs, merging, streaming.
No database."""

import copy
import gzip
import http.server
import json
import os
import random
import socket
import threading
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from greenbridge.tenders.ingest import merge
from greenbridge.tenders.ingest.ocds import (
    OcdsItem,
    iter_ocds,
    merge_releases,
    parse_datetime,
    release_to_notice,
    to_json,
)
from greenbridge.tenders.ingest.types import IngestError, NoticeData, RejectedItem

DATA = Path(__file__).resolve().parents[2] / "data" / "ocds"
PROZORRO = DATA / "ukraine" / "prozorro_release_package_2_releases.json"
PARAGUAY_RECORDS = DATA / "other" / "paraguay_dncp_record_package_1.1.json"
PARAGUAY_CONTRACT = DATA / "other" / "paraguay_dncp_release_package_contract_1.1.json"
FICTIONAL = DATA / "other" / "FICTIONAL_ocp_sample_record_package_1.1.json"
MEPPS = DATA / "moldova" / "mepps_tender_native_api_2017.json"
MTENDER_INVALID = DATA / "moldova" / "mtender_contract_release_abridged.json.invalid"
UA = timezone(timedelta(hours=2))


def read_all(location) -> list[OcdsItem]:
    return list(iter_ocds(str(location)))


def good(items: list[OcdsItem]) -> list[dict]:
    return [i.data for i in items if isinstance(i.data, dict)]


def rejected(items: list[OcdsItem]) -> list[OcdsItem]:
    return [i for i in items if isinstance(i.data, RejectedItem)]


def prozorro_releases() -> list[dict]:
    return good(read_all(PROZORRO))


def compiled(path: Path) -> dict:
    return good(read_all(path))[0]["compiledRelease"]


# ------------------------------------------------------------------ every real file


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (PROZORRO, [("releases[0]", "release"), ("releases[1]", "release")]),
        (PARAGUAY_RECORDS, [("records[0]", "record")]),
        (PARAGUAY_CONTRACT, [("releases[0]", "release")]),
        (FICTIONAL, [("records[0]", "record")]),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else "",
)
def test_every_real_ocds_file_is_read(path, expected):
    items = read_all(path)
    assert [(i.position, i.kind) for i in items] == [(f"{path}:{p}", k) for p, k in expected]
    assert not rejected(items)
    for item in items:
        release = item.data["compiledRelease"] if item.kind == "record" else item.data
        assert isinstance(release_to_notice(release), NoticeData)


def test_the_invalid_mtender_file_says_where_json_breaks():
    with pytest.raises(IngestError) as exc:
        read_all(MTENDER_INVALID)
    # json.load on the file fails at line 141 column 1 (char 4809): the brackets are unbalanced.
    assert str(exc.value) == "this is not valid JSON: Expecting ',' delimiter at line 141, column 1"


def test_the_mepps_native_api_file_is_not_ocds():
    with pytest.raises(IngestError) as exc:
        read_all(MEPPS)
    assert str(exc.value) == (
        "this is not OCDS data: expected a release package, a record package, a release or a record; "
        "found a JSON object with keys data — it looks like an openprocurement API document"
    )


# ------------------------------------------------------------------ mapping real releases


def test_prozorro_tender_release():
    release = prozorro_releases()[0]
    notice = release_to_notice(release)
    assert notice.source_id == notice.ocid == "ocds-be6bcu-UA-2019-02-25-000920-c"
    assert notice.procedure_id == "UA-2019-02-25-000920-c"  # the public tenderID, not the hash tender.id
    assert notice.notice_type == "competition"
    assert notice.title == "33140000-3 Медичні матеріали (Діагностичні набори, приладдя для забору крові)"
    assert notice.description == ""
    assert notice.language == "uk"
    assert notice.titles == {"uk": notice.title}
    assert notice.buyer_name == "Криворізька міська лікарня №5"
    assert notice.buyer_id == "UA-EDR-01987037"
    assert notice.buyer_country == "UA"  # from the party's countryName "Україна"
    assert notice.cpv_codes == ["33140000"]  # scheme "ДК021" is CPV
    assert notice.value_amount == Decimal("110000")
    assert isinstance(notice.value_amount, Decimal)
    assert notice.value_currency == "UAH"
    assert notice.deadline == datetime(2019, 3, 2, 16, 0, tzinfo=UA)
    assert notice.deadline.utcoffset() == timedelta(hours=2)
    assert notice.published == datetime(2019, 3, 2, 16, 0, 21, 346980, tzinfo=UA)
    assert notice.procedure_type == "open"
    assert notice.status == "active"
    assert notice.url == "https://prozorro.gov.ua/tender/UA-2019-02-25-000920-c"
    assert notice.lots == []
    assert notice.awards == []
    assert notice.version_key == "b08fbc456dcf3bd843ceb27742155162"
    assert notice.version_date == datetime(2019, 3, 2, 16, 0, 21, 346980, tzinfo=UA)
    assert notice.version_tags == ["tender"]
    assert notice.raw_format == "json"
    assert json.loads(notice.raw, parse_float=Decimal) == release


def test_prozorro_contract_release_without_tender_or_awards():
    notice = release_to_notice(prozorro_releases()[1])
    assert notice.ocid == "ocds-be6bcu-UA-2019-03-02-000064-a"
    assert notice.notice_type == "award"
    assert notice.status == "awarded"
    assert notice.procedure_id == ""
    # No tender, no contract title: the first item's description stands in.
    assert notice.title == "Послуги з технічного обслуговування газового обладнання"
    assert notice.buyer_name == 'Санаторій "Одеса" Служби безпеки України'
    assert notice.buyer_id == "UA-EDR-20000025"
    assert notice.buyer_country == "UA"
    assert notice.cpv_codes == ["50530000"]  # from the contract's items
    # No tender value: what the contract is worth.
    assert (notice.value_amount, notice.value_currency) == (Decimal("117585.6"), "UAH")
    assert notice.deadline is None
    assert notice.url == "https://prozorro.gov.ua/tender/UA-2019-03-02-000064-a"  # ocid = prefix + tenderID
    assert len(notice.awards) == 1
    award = notice.awards[0]
    assert award.supplier_name == 'ТОВАРИСТВО З ОБМЕЖЕНОЮ ВІДПОВІДАЛЬНІСТЮ "ПІВДЕНЬ-СТРОЙ"'
    assert award.supplier_country == "UA"
    assert award.value_amount == Decimal("117585.6")
    assert award.value_currency == "UAH"
    assert award.date == datetime(2019, 3, 1, 15, 54, tzinfo=UA)  # dateSigned
    assert award.number_of_tenderers is None
    assert '"amount":117585.6' in notice.raw  # the Decimal is written back as the same JSON number


def test_paraguay_record_package_compiled_release():
    items = read_all(PARAGUAY_RECORDS)
    assert items[0].kind == "record"
    record = items[0].data
    assert record["ocid"] == "ocds-03ad3f-193399"
    assert record["releases"] == [
        {
            "date": "2013-03-05T08:24:59Z",
            "tag": ["planning"],
            "url": "https://www.contrataciones.gov.py/datos/id/planning/193399-adquisicion-scanner.json",
        }
    ]
    notice = release_to_notice(record["compiledRelease"])
    assert notice.title == "Adquisición de Scanner"
    assert notice.titles == {"es": "Adquisición de Scanner"}
    assert notice.language == "es"
    assert notice.procedure_id == "193399-adquisicion-scanner"
    assert notice.notice_type == "award"
    assert notice.status == "awarded"  # tender complete with an active award
    assert notice.buyer_name == "Dirección Nacional de Contrataciones Públicas (DNCP)"
    assert notice.buyer_id == "a02fc5eae413fa29686db8eff8b439b6"
    assert notice.buyer_country == "PY"  # no address: the publisher's country (ocid prefix ocds-03ad3f)
    assert notice.cpv_codes == []  # DNCP publishes no classification in this record
    # tender.value.amount is null: the award's value stands in
    assert (notice.value_amount, notice.value_currency) == (Decimal("135630400"), "PYG")
    assert notice.deadline is None  # tenderPeriod.endDate is null
    assert notice.published == datetime(2018, 12, 17, 17, 31, 43, tzinfo=UTC)
    assert notice.url == "https://www.contrataciones.gov.py/licitaciones/convocatoria/193399-adquisicion-scanner.html"
    assert notice.version_tags == ["compiled"]
    [award] = notice.awards
    assert award.supplier_name == "MASTER SOFT SRL"
    assert award.supplier_country == "PY"  # the supplier party's countryName "Paraguay"
    assert award.value_amount == Decimal("135630400")
    assert award.value_currency == "PYG"
    assert award.date == datetime(2010, 4, 23, 12, 25, 10, tzinfo=UTC)


def test_paraguay_contract_release_without_tender_maps():
    [release] = good(read_all(PARAGUAY_CONTRACT))
    assert "tender" not in release
    notice = release_to_notice(release)
    assert notice.ocid == "ocds-03ad3f-246807"
    assert notice.notice_type == "award"
    assert notice.status == "awarded"
    assert notice.title == "ADQUSICION DE GUANTES Y OTROS INSUMOS MEDICOS"  # contract title, stripped
    assert notice.buyer_name == ""
    assert notice.buyer_id == ""
    assert notice.buyer_country == "PY"
    assert notice.cpv_codes == []  # the items use DNCP's own catalogue (under a misspelt "schema" key)
    assert notice.url == ""  # no tender id to build the page from
    [award] = notice.awards
    assert award.supplier_name == "11 DE SETIEMBRE SRL"
    assert award.value_amount == Decimal("17875000")
    assert award.value_currency == "PYG"
    assert award.date == datetime(2013, 4, 5, 12, 0, tzinfo=UTC)


def test_fictional_record_awards_and_tenderers():
    release = compiled(FICTIONAL)
    notice = release_to_notice(release)
    assert notice.ocid == "ocds-213czf-000-00001"
    assert notice.notice_type == "award"
    assert notice.status == "awarded"
    assert notice.title == "Planned cycle lane improvements"
    assert notice.description == "Tenders solicited for work to build new cycle lanes in the centre of town."
    assert notice.descriptions == {"en": notice.description}
    assert notice.buyer_name == "London Borough of Barnet"
    assert notice.buyer_id == "GB-LAC-E09000003"
    assert notice.buyer_country == "GB"
    # "45233130.0" (a spreadsheet artefact in the sample) is read as 45233130; the additional
    # classification 45233162-2 follows.
    assert notice.cpv_codes == ["45233130", "45233162"]
    assert notice.value_amount == Decimal(1100000)
    assert notice.value_currency == "GBP"
    assert notice.deadline == datetime(2010, 4, 8, 18, 0, tzinfo=UTC)
    assert notice.procedure_type == "open"
    assert notice.procedure_id == "ocds-213czf-000-00001-01-tender"
    assert notice.url == ""
    assert notice.lots == []  # the sample has no lots
    [award] = notice.awards
    assert award.supplier_name == "AnyCorp Cycle Provision"
    assert award.supplier_country == "GB"
    assert award.value_amount == Decimal(11000000)  # the sample's award is 10x its tender value
    assert award.number_of_tenderers == 2
    assert award.date == datetime(2010, 5, 10, 10, 30, tzinfo=UTC)
    assert award.lot_ids == []


def test_lots_bids_translations_and_award_filtering():
    release = copy.deepcopy(prozorro_releases()[0])
    tender = release["tender"]
    tender["title_en"] = "Medical supplies"
    tender["description"] = "Набори"
    tender["description_en-GB"] = "Kits"
    tender["lots"] = [
        {
            "id": "L1",
            "title": "Lot one",
            "value": {"amount": Decimal("1000.50"), "currency": "uah"},
            "tenderPeriod": {"endDate": "2019-03-05T10:00:00"},
        },
        {"id": "L2", "title": "Lot two", "classification": {"scheme": "CPV", "id": "33141000-0"}},
    ]
    tender["items"][0]["relatedLot"] = "L1"
    tender["items"][0]["additionalClassifications"] = [
        {"scheme": "CPVS", "id": "AA01-1"},
        {"scheme": "cpv", "id": "33140000-3"},
        {"scheme": "CPV", "id": 3000000},
    ]
    release["bids"] = {
        "details": [
            {"id": "b1", "relatedLots": ["L1"]},
            {"id": "b2", "relatedLots": ["L1", "L2"]},
            {"id": "b3", "relatedLots": ["L2"]},
        ]
    }
    release["awards"] = [
        {
            "id": "a1",
            "status": "active",
            "relatedLots": ["L1"],
            "suppliers": [{"id": "S1", "name": "Supplier"}],
            "value": {"amount": 900, "currency": "UAH"},
            "date": "not a date",
        },
        {"id": "a2", "status": "cancelled", "relatedLots": ["L2"], "suppliers": [{"name": "Gone"}]},
    ]
    release["parties"].append({"id": "S1", "name": "Supplier Ltd", "roles": ["supplier"], "address": {"country": "PL"}})
    notice = release_to_notice(release)
    assert notice.titles == {"uk": notice.title, "en": "Medical supplies"}
    assert notice.descriptions == {"uk": "Набори", "en": "Kits"}
    assert notice.cpv_codes == ["33140000", "03000000", "33141000"]  # CPVS excluded, duplicates dropped
    assert [(lot.id, lot.title, lot.cpv_codes) for lot in notice.lots] == [
        ("L1", "Lot one", ["33140000", "03000000"]),
        ("L2", "Lot two", ["33141000"]),
    ]
    assert notice.lots[0].value_amount == Decimal("1000.50")
    assert notice.lots[0].value_currency == "UAH"
    assert notice.lots[0].deadline == datetime(2019, 3, 5, 10, 0, tzinfo=UTC)  # naive -> UTC
    assert notice.lots[1].deadline is None
    [award] = notice.awards  # the cancelled award is dropped
    assert award.supplier_name == "Supplier"
    assert award.supplier_country == "PL"
    assert award.number_of_tenderers == 2  # bids b1 and b2 are for lot L1
    assert award.date is None  # unparseable: ignored, not rejected
    assert notice.notice_type == "award"


@pytest.mark.parametrize(
    ("tender", "awards", "contracts", "planning", "notice_type", "status"),
    [
        ({"status": "planned"}, [], [], {}, "competition", "planned"),
        ({"status": "active.tendering"}, [], [], {}, "competition", "active"),
        ({"status": "cancelled", "tenderPeriod": {"endDate": "2020-01-01"}}, [], [], {}, "competition", "cancelled"),
        ({"status": "unsuccessful"}, [], [], {}, "other", "unsuccessful"),
        ({"status": "complete"}, [], [], {}, "other", "closed"),
        ({"status": "complete"}, [{"id": "1", "status": "pending"}], [], {}, "award", "awarded"),
        ({"status": "complete"}, [{"id": "1", "status": "cancelled"}], [], {}, "award", "closed"),
        ({}, [], [{"id": "c"}], {}, "award", "awarded"),
        ({}, [], [], {"budget": {"amount": {"amount": 5, "currency": "EUR"}}}, "planning", ""),
        ({}, [], [], {}, "other", ""),
    ],
)
def test_notice_type_and_status(tender, awards, contracts, planning, notice_type, status):
    release = {
        "ocid": "ocds-x-1",
        "id": "1",
        "tender": tender,
        "awards": awards,
        "contracts": contracts,
        "planning": planning,
    }
    notice = release_to_notice(release)
    assert (notice.notice_type, notice.status) == (notice_type, status)


def test_budget_is_the_value_when_the_tender_has_none():
    notice = release_to_notice(
        {
            "ocid": "ocds-x-1",
            "planning": {
                "budget": {"amount": {"amount": Decimal("12.5"), "currency": "EUR"}, "description": "Budget text"}
            },
        }
    )
    assert (notice.value_amount, notice.value_currency) == (Decimal("12.5"), "EUR")
    assert notice.description == "Budget text"


def test_unusable_releases_are_rejected_with_a_reason():
    with pytest.raises(RejectedItem, match="not a JSON object"):
        release_to_notice(["not", "a", "release"])
    with pytest.raises(RejectedItem, match="has no ocid"):
        release_to_notice({"id": "1", "tender": {}})
    notice = release_to_notice({"ocid": "ocds-x-1", "date": "yesterday", "tender": {"tenderPeriod": {"endDate": 5}}})
    assert notice.version_date is None
    assert notice.published is None
    assert notice.deadline is None


def test_parse_datetime():
    assert parse_datetime("2013-03-05T08:24:59Z") == datetime(2013, 3, 5, 8, 24, 59, tzinfo=UTC)
    assert parse_datetime("2019-02-25T14:28:04.904247+02:00").utcoffset() == timedelta(hours=2)
    assert parse_datetime("2019-02-25") == datetime(2019, 2, 25, tzinfo=UTC)
    assert parse_datetime("25/02/2019") is None
    assert parse_datetime(None) is None


# ------------------------------------------------------------------ to_json


def test_to_json_keeps_numbers_exact_and_compact():
    text = to_json(
        {
            "a": Decimal("117585.6"),
            "b": 110000,
            "c": Decimal("5000000.00"),
            "d": Decimal("12345678901234567890.123456789"),
            "e": "Україна",
            "f": [True, None],
        }
    )
    assert text == (
        '{"a":117585.6,"b":110000,"c":5000000.0,"d":12345678901234567890.123456789,"e":"Україна","f":[true,null]}'
    )
    assert json.loads(text, parse_float=Decimal)["d"] == Decimal("12345678901234567890.123456789")
    # An integer beyond 64 bits (orjson refuses it): the standard library writes the same JSON.
    assert to_json({"id": 2**70, "a": Decimal("0.10")}) == '{"id":1180591620717411303424,"a":0.1}'


# ------------------------------------------------------------------ merging


def _split_fictional() -> tuple[dict, list[dict]]:
    """The fictional record's releases are only links, so build real releases from its compiled
    release, one per stage, each with the state known at that stage."""
    full = compiled(FICTIONAL)
    base = {k: full[k] for k in ("ocid", "language", "initiationType", "parties", "buyer")}
    planning = {**base, "id": "r1", "date": "2009-03-15T14:45:00Z", "tag": ["planning"], "planning": full["planning"]}
    tender_state = copy.deepcopy(full["tender"])
    tender_state["status"] = "active"
    tender_state["value"]["amount"] = Decimal("1000000.00")
    tender = {**base, "id": "r2", "date": "2010-03-15T09:30:00Z", "tag": ["tender"], "tender": tender_state}
    award = {
        **base,
        "id": "r3",
        "date": "2010-05-10T09:30:00Z",
        "tag": ["award", "tenderUpdate"],
        "tender": {"id": full["tender"]["id"], "status": "complete", "value": full["tender"]["value"]},
        "awards": full["awards"],
    }
    contract = {**base, "id": "r4", "date": "2011-01-10T09:30:00Z", "tag": ["contract"], "contracts": full["contracts"]}
    return full, [contract, planning, award, tender]  # out of order on purpose


MAPPED_FIELDS = [
    "notice_type",
    "ocid",
    "procedure_id",
    "title",
    "description",
    "language",
    "titles",
    "descriptions",
    "buyer_name",
    "buyer_id",
    "buyer_country",
    "cpv_codes",
    "value_amount",
    "value_currency",
    "deadline",
    "published",
    "procedure_type",
    "status",
    "url",
    "lots",
    "awards",
    "version_date",
    "version_tags",
]


def test_merge_releases_equals_the_records_compiled_release():
    full, releases = _split_fictional()
    merged = merge_releases(releases)
    assert merged["tag"] == ["compiled"]
    assert merged["date"] == full["date"] == "2011-01-10T09:30:00Z"
    for key in ("ocid", "buyer", "planning", "tender", "awards", "contracts"):
        assert merged[key] == full[key], key
    from_merge, from_record = release_to_notice(merged), release_to_notice(full)
    for field in MAPPED_FIELDS:
        assert getattr(from_merge, field) == getattr(from_record, field), field
    assert isinstance(merged["tender"]["value"]["amount"], int)  # the later value wins over the Decimal
    assert releases[0]["tag"] == ["contract"]  # the input is not changed


def test_merge_orders_dates_with_offsets_and_keeps_decimals():
    later = {
        "ocid": "ocds-x-1",
        "id": "2",
        "date": "2020-01-01T10:30:00+02:00",  # 08:30 UTC
        "tender": {"title": "second", "value": {"amount": Decimal("2.50"), "currency": "EUR"}},
    }
    earlier = {
        "ocid": "ocds-x-1",
        "id": "1",
        "date": "2020-01-01T09:00:00Z",  # 09:00 UTC: actually later
        "tender": {"title": "first", "value": {"amount": Decimal("1.25"), "currency": "EUR"}},
    }
    merged = merge_releases([earlier, later])
    assert merged["tender"]["title"] == "first"  # 09:00Z is after 08:30Z, though "09" < "10" as strings
    assert merged["tender"]["value"]["amount"] == Decimal("1.25")
    assert '"amount":1.25' in to_json(merged)


def test_merge_rejects_what_cannot_be_merged():
    with pytest.raises(RejectedItem, match="different ocids"):
        merge_releases([{"ocid": "a", "date": "2020-01-01"}, {"ocid": "b", "date": "2020-01-01"}])
    with pytest.raises(RejectedItem, match="no date"):
        merge_releases([{"ocid": "a"}])
    with pytest.raises(RejectedItem, match="cannot be merged"):
        merge_releases(
            [
                {"ocid": "a", "date": "2020-01-01", "tender": {"items": [{"id": "1"}]}},
                {"ocid": "a", "date": "2020-01-02", "tender": {"items": {"id": "1"}}},
            ]
        )
    with pytest.raises(RejectedItem):
        merge_releases([])


def test_merge_never_touches_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    merge._merger.cache_clear()  # build the Merger again, under the guard
    merge._rules.cache_clear()
    try:
        _full, releases = _split_fictional()
        merged = merge_releases(releases)
        # Duplicate ids in an array are merged without a warning (warnings are errors in tests).
        dup = [{"ocid": "a", "date": "2020-01-01", "tender": {"items": [{"id": "1"}, {"id": "1"}]}}]
        merge_releases([*dup, {**dup[0], "date": "2020-01-02"}])
    finally:
        merge._merger.cache_clear()
        merge._rules.cache_clear()
    assert merged["ocid"] == "ocds-213czf-000-00001"


# ------------------------------------------------------------------ shapes


def write_json(path: Path, obj) -> Path:
    path.write_text(to_json(obj), encoding="utf-8")
    return path


def test_bare_release_and_bare_record(tmp_path):
    release = prozorro_releases()[0]
    items = read_all(write_json(tmp_path / "release.json", release))
    assert [(i.kind, i.data["ocid"]) for i in items] == [("release", release["ocid"])]
    record = {"releases": [release], "ocid": release["ocid"]}  # releases before ocid: still a record
    items = read_all(write_json(tmp_path / "record.json", record))
    assert [(i.position, i.kind) for i in items] == [(str(tmp_path / "record.json"), "record")]
    items = read_all(write_json(tmp_path / "bare_package.json", {"releases": [release]}))
    assert [i.kind for i in items] == ["release"]


def test_package_items_without_ocid_are_rejected(tmp_path):
    release = prozorro_releases()[0]
    no_ocid = {k: v for k, v in release.items() if k != "ocid"}
    path = write_json(tmp_path / "p.json", {"uri": "x", "releases": [release, no_ocid, 5, release]})
    items = read_all(path)
    assert [type(i.data).__name__ for i in items] == ["dict", "RejectedItem", "RejectedItem", "dict"]
    assert str(items[1].data) == "releases[1] has no ocid"
    assert str(items[2].data) == "releases[2] is not a JSON object (found a number)"
    assert items[1].position == f"{path}:releases[1]"


def test_package_whose_releases_is_not_a_list(tmp_path):
    with pytest.raises(IngestError, match="releases is a JSON object, not a list"):
        read_all(write_json(tmp_path / "p.json", {"uri": "x", "releases": {"a": 1}}))


# ------------------------------------------------------------------ arrays and values one after another


def test_top_level_array_of_releases_records_and_packages(tmp_path):
    r0, r1 = prozorro_releases()
    content = [
        r0,
        {"uri": "p", "releases": [r1, {"id": "no-ocid"}]},
        {"records": [{"ocid": "rec-1", "compiledRelease": r0}]},
        {"ocid": "rec-2", "releases": [r1]},
        7,
        {"foo": 1},
    ]
    path = write_json(tmp_path / "array.json", content)
    items = read_all(path)
    assert [(i.position.removeprefix(f"{path}:"), i.kind, type(i.data).__name__) for i in items] == [
        ("[0]", "release", "dict"),
        ("[1]:releases[0]", "release", "dict"),
        ("[1]:releases[1]", "release", "RejectedItem"),
        ("[2]:records[0]", "record", "dict"),
        ("[3]", "record", "dict"),
        ("[4]", "release", "RejectedItem"),
        ("[5]", "release", "RejectedItem"),
    ]
    assert str(items[2].data) == "releases[1] has no ocid"
    assert str(items[5].data) == "element [4] of the array is a number, not an OCDS object"
    assert str(items[6].data).startswith("element [5] of the array: this is not OCDS data")
    assert items[1].data["contracts"][0]["value"]["amount"] == Decimal("117585.6")
    assert read_all(write_json(tmp_path / "empty.json", [])) == []


@pytest.mark.parametrize("separator", ["", " ", "\n\n", "\r\n  \t"])
def test_json_values_one_after_another(tmp_path, separator):
    r0, r1 = prozorro_releases()
    pretty = json.dumps(r1, ensure_ascii=False, indent=2, default=str)  # several lines each: not JSON Lines
    text = separator.join([json.dumps({"uri": "p", "releases": [r0]}, indent=1), pretty, pretty, "[]"])
    path = tmp_path / "values.json"
    path.write_text(text, encoding="utf-8")
    items = read_all(path)
    assert [(i.position.removeprefix(f"{path}:"), i.kind, type(i.data).__name__) for i in items] == [
        ("value 1:releases[0]", "release", "dict"),
        ("value 2", "release", "dict"),
        ("value 3", "release", "dict"),
        ("value 4", "release", "RejectedItem"),
    ]
    assert str(items[3].data) == "JSON value 4 is a JSON array, not an OCDS object"
    assert items[0].data["ocid"] == r0["ocid"]


def _big_package(count: int) -> str:
    release = prozorro_releases()[0]
    return to_json({"uri": "x", "releases": [{**release, "ocid": f"ocds-x-{n}"} for n in range(count)]})


def test_large_package_followed_by_more_values_reads_the_file_again(tmp_path):
    r1 = prozorro_releases()[1]
    path = tmp_path / "big.json"
    path.write_text(_big_package(150) + "\n" + to_json(r1) + " " + to_json({"records": [r1]}), encoding="utf-8")
    assert path.stat().st_size > 256 * 1024  # beyond the head: the package is streamed
    items = read_all(path)
    assert len(items) == 152
    assert items[149].position == f"{path}:releases[149]"
    assert [(i.position.removeprefix(f"{path}:"), i.kind) for i in items[150:]] == [
        ("value 2", "release"),
        ("value 3:records[0]", "record"),
    ]
    assert items[150].data == r1


def test_large_package_followed_by_more_values_over_http_says_so(http_root):
    root, base = http_root
    (root / "big.json").write_text(_big_package(150) + to_json(prozorro_releases()[1]), encoding="utf-8")
    seen = []
    with pytest.raises(IngestError) as exc:
        seen.extend(iter_ocds(f"{base}/big.json"))
    assert len(seen) == 150
    assert str(exc.value).startswith("more JSON follows the package after about ")
    assert str(exc.value).endswith(
        "bytes; its 150 items were read. Several large packages one after the other can only be read "
        "from a file: save it first"
    )


def test_value_in_an_array_larger_than_the_limit(tmp_path, settings):
    settings.INGEST_MAX_DOCUMENT_BYTES = 100_000
    path = tmp_path / "array.json"
    path.write_text("[" + to_json(prozorro_releases()[0]) + "," + _big_package(60) + "]", encoding="utf-8")
    seen = []
    with pytest.raises(IngestError) as exc:
        seen.extend(iter_ocds(str(path)))
    assert [i.position for i in seen] == [f"{path}:[0]"]
    assert str(exc.value) == "element [1] of the array is larger than the limit of 100,000 bytes"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\t ", "the file contains only whitespace"),
        (b"42", "found a number at the top level"),
        (b'"text"', "found a string at the top level"),
        (b"{}", "this is not OCDS data"),
        (b'{"tender": {"title": "x"}}', "it looks like a release without an ocid"),
        (b"hello", "this is not valid JSON: Expecting value at line 1, column 1"),
        (b'{"ocid": "x"} {"ocid": "y"} x', "this is not valid JSON: Expecting value at line 1, column 29"),
        (b'{"ocid": "x"} {"ocid": "y",\n "id": }', "this is not valid JSON: Expecting value at line 2, column 8"),
        (b'[{"ocid": "x"}, ]', "this is not valid JSON: Expecting value at line 1, column 17"),
        (b'{"ocid": "x", "n": NaN}', "not valid JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is a binary file (a PNG image), not JSON text"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive"),
        (b"<?xml version='1.0'?><notice/>", "this looks like XML or HTML, not JSON"),
        ('{"ocid": "x"}'.encode("utf-16"), "UTF-16"),
        ('{"ocid": "x"}'.encode("utf-16-le"), "UTF-16"),
    ],
)
def test_unreadable_inputs(tmp_path, content, message):
    path = tmp_path / "input.json"
    path.write_bytes(content)
    with pytest.raises(IngestError) as exc:
        read_all(path)
    assert message in str(exc.value)


def test_random_bytes_are_binary(tmp_path):
    path = tmp_path / "random.json"
    path.write_bytes(random.Random(7).randbytes(5000))
    with pytest.raises(IngestError, match="binary file"):
        read_all(path)


def test_latin1_file_says_it_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    content = '{"ocid": "ocds-x-1", "tender": {"title": "Adquisición"}}'.encode("latin-1")
    path.write_bytes(content)
    assert content.index(b"\xf3") == 51
    with pytest.raises(IngestError) as exc:
        read_all(path)
    assert str(exc.value) == (
        "this file is not UTF-8 text (byte 0xF3 at offset 51): OCDS JSON must be UTF-8; "
        "it looks like Latin-1 or Windows-1252 text. Convert it to UTF-8 first"
    )


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + PROZORRO.read_bytes())
    assert len(good(read_all(path))) == 2


def test_file_not_found(tmp_path):
    with pytest.raises(IngestError, match="file not found"):
        read_all(tmp_path / "missing.json")


# ------------------------------------------------------------------ JSON Lines


def test_jsonl_bad_line_is_rejected_and_the_others_go_on(tmp_path):
    r0, r1 = prozorro_releases()
    lines = [
        to_json(r0),
        '{"ocid": "broken", ',
        "",
        to_json({"uri": "p", "releases": [r1, {"id": "x"}]}),
        "[1, 2]",
        to_json({"records": [{"ocid": "rec-1", "compiledRelease": r0}]}),
        to_json({"foo": 1}),
    ]
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_all(path)
    assert [(i.position.removeprefix(f"{path}:"), i.kind, type(i.data).__name__) for i in items] == [
        ("line 1", "release", "dict"),
        ("line 2", "release", "RejectedItem"),
        ("line 4:releases[0]", "release", "dict"),
        ("line 4:releases[1]", "release", "RejectedItem"),
        ("line 5", "release", "RejectedItem"),
        ("line 6:records[0]", "record", "dict"),
        ("line 7", "release", "RejectedItem"),
    ]
    assert str(items[1].data) == "line 2: not valid JSON: Expecting property name enclosed in double quotes (column 19)"
    assert str(items[3].data) == "releases[1] has no ocid"
    assert str(items[4].data) == "line 5: a JSON array, not an OCDS object"
    assert str(items[6].data).startswith("line 7: this is not OCDS data")
    assert isinstance(items[0].data["tender"]["value"]["amount"], int)


def test_jsonl_is_recognised_without_its_name(tmp_path):
    r0, r1 = prozorro_releases()
    path = tmp_path / "lines.json"
    path.write_text(to_json(r0) + "\n" + to_json(r1) + "\n", encoding="utf-8")
    items = read_all(path)
    assert [i.position for i in items] == [f"{path}:line 1", f"{path}:line 2"]
    assert items[1].data["contracts"][0]["value"]["amount"] == Decimal("117585.6")


# ------------------------------------------------------------------ gzip, directories, truncation


def test_gzip_by_name_and_by_magic(tmp_path):
    data = gzip.compress(PROZORRO.read_bytes())
    (tmp_path / "a.json.gz").write_bytes(data)
    (tmp_path / "b.json").write_bytes(data)  # gzip with a misleading name
    assert len(good(read_all(tmp_path / "a.json.gz"))) == 2
    assert len(good(read_all(tmp_path / "b.json"))) == 2
    lines = gzip.compress(b"\n".join(to_json(r).encode() for r in prozorro_releases()))
    (tmp_path / "c.jsonl.gz").write_bytes(lines)
    assert [i.position.rsplit(":", 1)[1] for i in read_all(tmp_path / "c.jsonl.gz")] == ["line 1", "line 2"]


def test_truncated_gzip(tmp_path):
    big = to_json({"uri": "x", "releases": prozorro_releases() * 200}).encode()
    path = tmp_path / "t.json.gz"
    path.write_bytes(gzip.compress(big)[:-2000])
    with pytest.raises(IngestError, match="truncated"):
        read_all(path)


def test_directory_good_and_broken_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.json").write_bytes(PROZORRO.read_bytes())
    (tmp_path / "b" / "broken.json").write_bytes(MTENDER_INVALID.read_bytes())
    (tmp_path / "b" / "c.json.gz").write_bytes(gzip.compress(PARAGUAY_RECORDS.read_bytes()))
    (tmp_path / "b" / "empty.jsonl").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not data")
    (tmp_path / "z.json").write_bytes(MEPPS.read_bytes())
    items = read_all(tmp_path)
    assert [(i.position.removeprefix(f"{tmp_path}/"), i.kind, type(i.data).__name__) for i in items] == [
        ("a.json:releases[0]", "release", "dict"),
        ("a.json:releases[1]", "release", "dict"),
        ("b/broken.json", "release", "RejectedItem"),
        ("b/c.json.gz:records[0]", "record", "dict"),
        ("b/empty.jsonl", "release", "RejectedItem"),
        ("z.json", "release", "RejectedItem"),
    ]
    assert "line 141, column 1" in str(items[2].data)
    assert str(items[4].data) == "the file is empty"
    assert "not OCDS" in str(items[5].data)


def test_truncated_small_package_yields_the_good_items_then_fails(tmp_path):
    text = PROZORRO.read_text(encoding="utf-8")
    cut = text.index('"ocid": "ocds-be6bcu-UA-2019-03-02-000064-a"') + 60  # inside the second release
    path = tmp_path / "cut.json"
    path.write_text(text[:cut], encoding="utf-8")
    seen = []
    with pytest.raises(IngestError) as exc:
        seen.extend(iter_ocds(str(path)))  # extend keeps what came before the error
    assert [i.position for i in seen] == [f"{path}:releases[0]"]
    assert str(exc.value).startswith("this is not valid JSON:")
    assert f"at line {text[:cut].count(chr(10)) + 1}, column " in str(exc.value)  # the last line


def test_truncated_large_package_yields_the_good_items_then_fails(tmp_path):
    release = prozorro_releases()[0]
    body = ",".join(to_json({**release, "ocid": f"ocds-x-{n}"}) for n in range(100))
    path = tmp_path / "cut.json"
    path.write_text('{"uri":"x","releases":[' + body[: len(body) - 100], encoding="utf-8")
    assert path.stat().st_size > 256 * 1024  # more than the head: the streaming path
    seen = []
    with pytest.raises(IngestError) as exc:
        seen.extend(iter_ocds(str(path)))
    assert len(seen) == 99
    assert "the data ends too early" in str(exc.value)


def _large_package(count: int = 100) -> bytes:
    release = prozorro_releases()[0]
    body = ",".join(to_json({**release, "ocid": f"ocds-x-{n}"}) for n in range(count))
    return ('{"uri":"x","releases":[' + body + "]}").encode()


def test_syntax_error_deep_in_a_large_file_gives_the_byte_offset(tmp_path):
    data = bytearray(_large_package())
    at = data.index(b'"ocid":"ocds-x-80"')
    data[at] = ord("!")
    path = tmp_path / "bad.json"
    path.write_bytes(bytes(data))
    seen = []
    with pytest.raises(IngestError) as exc:
        seen.extend(iter_ocds(str(path)))
    assert len(seen) == 80
    assert str(exc.value).startswith("this is not valid JSON: lexical error: invalid char in json text. around byte ")


def test_latin1_byte_deep_in_a_large_file(tmp_path):
    data = _large_package().replace(b'"ocid":"ocds-x-90"', '"ocid":"ocds-x-é"'.encode("latin-1"))
    path = tmp_path / "latin1.json"
    path.write_bytes(data)
    with pytest.raises(IngestError, match=r"this file is not UTF-8 text.* \(around byte [0-9,]+\)"):
        list(iter_ocds(str(path)))


# ------------------------------------------------------------------ HTTP


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the test output clean
        pass


@pytest.fixture
def http_root(tmp_path):
    handler = lambda *a, **kw: _Handler(*a, directory=str(tmp_path), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_http_url_is_streamed(http_root):
    root, base = http_root
    (root / "releases.json").write_bytes(PROZORRO.read_bytes())  # the real page, as Prozorro's API serves it
    # Its links.next points to Prozorro's API on the internet: max_pages=1 stops before it.
    items = list(iter_ocds(f"{base}/releases.json", max_pages=1))
    assert [i.position for i in items] == [f"{base}/releases.json:releases[0]", f"{base}/releases.json:releases[1]"]
    assert release_to_notice(items[0].data).buyer_name == "Криворізька міська лікарня №5"
    assert items[1].data["contracts"][0]["value"]["amount"] == Decimal("117585.6")


def test_http_follows_links_next(http_root):
    root, base = http_root
    r0, r1 = prozorro_releases()
    write_json(root / "p1.json", {"uri": "p1", "releases": [r0], "links": {"next": f"{base}/p2.json"}})
    write_json(root / "p2.json", {"links": {"next": f"{base}/p3.json.gz"}, "releases": [r1]})
    (root / "p3.json.gz").write_bytes(
        gzip.compress(to_json({"uri": "p3", "releases": [r0], "links": {"next": f"{base}/p1.json"}}).encode())
    )
    items = read_all(f"{base}/p1.json")
    assert [i.position for i in items] == [
        f"{base}/p1.json:releases[0]",
        f"{base}/p2.json:releases[0]",
        f"{base}/p3.json.gz:releases[0]",
    ]


def test_http_404(http_root):
    _root, base = http_root
    with pytest.raises(IngestError, match=r"HTTP 404"):
        read_all(f"{base}/missing.json")


def test_unreachable_url():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(IngestError, match="could not reach"):
        list(iter_ocds(f"http://127.0.0.1:{port}/x.json", timeout=5))


# ------------------------------------------------------------------ streaming


def test_large_package_is_streamed_in_flat_memory(tmp_path):
    release = json.loads(PROZORRO.read_bytes())["releases"][0]
    template = json.dumps(release)  # ASCII-escaped, as Prozorro publishes it: ~5 KB a release
    ocid = release["ocid"]
    path = tmp_path / "big.json"
    count = 19_000
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"uri":"generated","version":"1.1","releases":[')
        for n in range(count):
            f.write(("," if n else "") + template.replace(ocid, f"{ocid}-{n}"))
        f.write("]}")
    size = path.stat().st_size
    assert size > 90 * 1024 * 1024

    tracemalloc.start()
    try:
        seen = 0
        last = None
        for item in iter_ocds(str(path)):
            seen += 1
            last = item
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert last.data["ocid"] == f"{ocid}-{count - 1}"
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"


def test_no_stray_files_left_open(tmp_path):
    # Stopping early closes the file (warnings are errors: a ResourceWarning would fail the suite).
    iterator = iter_ocds(str(PROZORRO))
    next(iterator)
    iterator.close()
    assert os.path.exists(PROZORRO)


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 400_000 + b"]" * 400_000,  # 800 kB: ijson's paths alone would take terabytes
        b'{"releases": [' + b'{"a": [' * 150_000,  # past the head, inside a package's release
        b'{"ocid": "x", "tender": ' + b'{"x": [1, "]]]]", ' * 300 + b"{}",  # brackets inside strings do not hide it
        b'{"ocid": "ocds-x-1"} ' + b"[" * 5_000,  # JSON values one after the other
    ],
    ids=["arrays", "package", "strings", "values"],
)
def test_json_nested_deeper_than_any_ocds_is_refused_before_it_exhausts_memory(tmp_path, content):
    path = tmp_path / "deep.json"
    path.write_bytes(content)
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match="nested more than 200 levels deep"):
            read_all(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    gzipped = tmp_path / "deep.json.gz"
    gzipped.write_bytes(gzip.compress(content))
    with pytest.raises(IngestError, match="nested more than 200 levels deep"):
        read_all(gzipped)


def test_json_lines_are_each_their_own_document(tmp_path):
    """A line cut short, or one nested too deeply, is rejected alone: the nesting is not counted across lines."""
    good = (
        '{"ocid": "ocds-x-%d", "id": "%d", "date": "2024-01-01T00:00:00Z", "tag": ["tender"], '
        '"tender": {"title": "Lot [%d"}}'
    )
    lines = ['{"ocid": "a", "tender": {"items": [{'] * 60 + ['{"ocid": "a", "title": "cut here']
    lines += [good % (n, n, n) for n in range(250)] + ['{"a": ' + "[" * 5_000 + "]" * 5_000 + "}"]
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join(lines) + "\n")
    items = read_all(path)
    assert len(good_items := [i for i in items if isinstance(i.data, dict)]) == 250
    assert good_items[-1].data["tender"]["title"] == "Lot [249"
    assert len(rejected(items)) == 62
    assert "nested too deeply" in str(rejected(items)[-1].data)


def _depths(data: bytes) -> list[tuple[int, bool]]:
    """The depth and whether within a string after each byte, read one byte at a time."""
    depth, in_string, escaped, after = 0, False, False, []
    for c in data:
        if in_string:
            if escaped:
                escaped = False
            elif c == 0x5C:
                escaped = True
            elif c == 0x22:
                in_string = False
        elif c == 0x22:
            in_string = True
        elif c in b"[{":
            depth += 1
        elif c in b"]}":
            depth -= 1
        after.append((depth, in_string))
    return after


def test_the_nesting_is_counted_outside_strings_whatever_the_chunks():
    """Strings with brackets, escaped quotes and backslashes, cut anywhere between chunks: after each chunk the
    depth counted is the one read byte by byte."""
    from greenbridge.tenders.ingest.nesting import Nesting

    rng = random.Random(11)
    texts = ["[", "]", "{", "}", '"', "\\", '\\"', "\\\\", "x", "é", "\\u005b", "/"]
    for _ in range(300):
        value: object = rng.choice(["", "[[", '"\\\\"'])
        for _level in range(rng.randrange(1, 40)):
            text = "".join(rng.choice(texts) for _ in range(rng.randrange(6)))
            value = [text, {"k" + text: value}] if rng.random() < 0.5 else {text: [value, text]}
        data = json.dumps(value, ensure_ascii=rng.random() < 0.5).replace("/", "\\/").encode()
        expected = _depths(data)
        nesting = Nesting()
        cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randrange(1, 30))))
        for start, end in zip([0, *cuts], [*cuts, len(data)], strict=True):
            nesting.feed(data[start:end], end)
            # A chunk ending in the backslash of an escape is counted with the next one.
            if not data[start:end].endswith(b"\\"):
                assert (nesting.depth, nesting.in_string) == expected[end - 1], (data, end)
        assert (nesting.depth, nesting.in_string) == (0, False)
    nesting = Nesting()
    for _ in range(100):
        nesting.feed(b'["a\\"]", {"b": ', 0)
    assert nesting.depth == 200
    with pytest.raises(IngestError, match="nested more than 200"):
        nesting.feed(b'["a\\"]", {"b": ', 0)
