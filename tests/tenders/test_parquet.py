"""`notices export --format parquet`: notices, lots and awards of real TED notices, read back with pyarrow and
DuckDB."""

import io
from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from greenbridge.tenders.services import notices_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(data_dir, tmp_path):
    notices_ingest(connector="eforms", location=str(data_dir / "ted_r209"), source="ted")
    out = io.StringIO()
    call_command("notices", "export", "--format", "parquet", "--output", str(tmp_path / "pq"), stdout=out)
    return tmp_path / "pq", out.getvalue()


def test_three_files_with_every_notice_lot_and_award(exported):
    folder, said = exported
    notices = pq.read_table(folder / "notices.parquet").to_pylist()
    lots = pq.read_table(folder / "lots.parquet").to_pylist()
    awards = pq.read_table(folder / "awards.parquet").to_pylist()
    assert said == f"{len(notices)} notices, {len(lots)} lots and {len(awards)} awards written to {folder}\n"
    assert len(notices) == 73
    (tartu,) = [n for n in notices if n["source_id"].startswith("142968-2018")]
    assert tartu["notice_type"] == "award"
    assert tartu["buyer_country"] == "EE"
    assert tartu["value_amount"] == Decimal("328995.00")
    assert tartu["value_eur"] == 328995.0
    assert tartu["procedure_type"] == "neg-wo-call"
    (award,) = [a for a in awards if a["notice_id"] == tartu["id"]]
    assert award == {
        "notice_id": tartu["id"],
        "supplier_name": "Arhitekt11 OÜ",
        "supplier_country": "EE",
        "supplier_sme": True,
        "value_amount": Decimal("328995.00"),
        "value_currency": "EUR",
        "value_eur": 328995.0,
        "number_of_tenderers": 1,
        "tenders_from_smes": 1,
        "tenders_from_other_eu": 0,
        "tenders_from_non_eu": 0,
        "date": datetime(2018, 3, 29, tzinfo=UTC),
        "lot_ids": [],
    }
    # The Polish notice of 238 lots: every lot, and its 82 awards.
    (polish,) = [n for n in notices if len([lot for lot in lots if lot["notice_id"] == n["id"]]) == 238]
    assert len([a for a in awards if a["notice_id"] == polish["id"]]) == 82


def test_duckdb_reads_the_export(exported):
    folder, _ = exported
    awards, notices = str(folder / "awards.parquet"), str(folder / "notices.parquet")
    (count, tenders), *_ = duckdb.execute(
        "select count(*), sum(number_of_tenderers) from read_parquet(?) a join read_parquet(?) n "
        "on n.id = a.notice_id where n.buyer_country = 'PL'",
        [awards, notices],
    ).fetchall()
    assert count >= 82
    assert tenders > 0


def test_parquet_needs_a_folder():
    with pytest.raises(CommandError, match="give a folder with --output"):
        call_command("notices", "export", "--format", "parquet", stdout=io.StringIO())
