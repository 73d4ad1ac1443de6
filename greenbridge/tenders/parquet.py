"""`notices export --format parquet`: notices, lots and awards as three Parquet files for analysts (DuckDB,
pandas, Spark), streamed in row groups so that memory stays flat. Amounts are exact decimals with their currency,
and beside them in euros at the rate of the notice's publication month (reference.tables.monthly_rate), as the
market figures count them. Dates are UTC timestamps; lists of codes are lists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from greenbridge.core.bounds import money_from
from greenbridge.reference.tables import to_eur
from greenbridge.tenders.models import Notice

BATCH = 20_000
MONEY = pa.decimal128(20, 2)
TIME = pa.timestamp("us", tz="UTC")
CODES = pa.list_(pa.string())

NOTICES = pa.schema(
    [
        ("id", pa.int64()),
        ("source", pa.string()),
        ("source_id", pa.string()),
        ("ocid", pa.string()),
        ("notice_type", pa.string()),
        ("title", pa.string()),
        ("language", pa.string()),
        ("buyer_name", pa.string()),
        ("buyer_id", pa.string()),
        ("buyer_country", pa.string()),
        ("cpv_main", pa.string()),
        ("cpv_codes", CODES),
        ("green_sectors", CODES),
        ("nuts_codes", CODES),
        ("value_amount", MONEY),
        ("value_currency", pa.string()),
        ("value_eur", pa.float64()),
        ("published", TIME),
        ("deadline", TIME),
        ("procedure_type", pa.string()),
        ("status", pa.string()),
        ("url", pa.string()),
    ]
)
LOTS = pa.schema(
    [
        ("notice_id", pa.int64()),
        ("lot_id", pa.string()),
        ("title", pa.string()),
        ("cpv_codes", CODES),
        ("value_amount", MONEY),
        ("value_currency", pa.string()),
        ("deadline", TIME),
    ]
)
AWARDS = pa.schema(
    [
        ("notice_id", pa.int64()),
        ("supplier_name", pa.string()),
        ("supplier_country", pa.string()),
        ("supplier_sme", pa.bool_()),
        ("value_amount", MONEY),
        ("value_currency", pa.string()),
        ("value_eur", pa.float64()),
        ("number_of_tenderers", pa.int64()),
        ("tenders_from_smes", pa.int64()),
        ("tenders_from_other_eu", pa.int64()),
        ("tenders_from_non_eu", pa.int64()),
        ("date", TIME),
        ("lot_ids", CODES),
    ]
)
FIELDS = (
    "id",
    "source",
    "source_id",
    "ocid",
    "notice_type",
    "title",
    "language",
    "buyer_name",
    "buyer_id",
    "buyer_country",
    "cpv_codes",
    "green_sectors",
    "nuts_codes",
    "value_amount",
    "value_currency",
    "published",
    "deadline",
    "demo_shift_days",
    "procedure_type",
    "status",
    "url",
    "lots",
    "awards",
)


# The columns written as they are stored.
COPIED = ("id", "source", "source_id", "ocid", "notice_type", "title", "language", "buyer_name", "buyer_id")
COPIED += ("buyer_country", "value_currency", "procedure_type", "status", "url")


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime) or value is None:
        return value
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63 else None


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _rows(source: str | None) -> Iterator[list[dict[str, Any]]]:
    notices = Notice.objects.order_by("id")
    if source:
        notices = notices.filter(source=source)
    last = 0
    while True:
        batch = list(notices.filter(id__gt=last).values(*FIELDS)[:BATCH])
        if not batch:
            return
        last = batch[-1]["id"]
        yield batch


def export(directory: Path, *, source: str | None = None) -> dict[str, int]:
    """Write notices.parquet, lots.parquet and awards.parquet into `directory`; returns the rows of each."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {"notices": 0, "lots": 0, "awards": 0}
    writers = {
        "notices": pq.ParquetWriter(directory / "notices.parquet", NOTICES, compression="zstd"),
        "lots": pq.ParquetWriter(directory / "lots.parquet", LOTS, compression="zstd"),
        "awards": pq.ParquetWriter(directory / "awards.parquet", AWARDS, compression="zstd"),
    }
    try:
        for batch in _rows(source):
            notices, lots, awards = [], [], []
            for row in batch:
                # The source's dates: the demo may have moved a real notice's dates to show it open.
                shift = timedelta(days=row["demo_shift_days"] or 0)
                published = row["published"] - shift if row["published"] else None
                deadline = row["deadline"] - shift if row["deadline"] else None
                codes = _strings(row["cpv_codes"])
                notices.append(
                    {
                        **{k: row[k] for k in COPIED},
                        "cpv_main": codes[0] if codes else None,
                        "cpv_codes": codes,
                        "green_sectors": _strings(row["green_sectors"]),
                        "nuts_codes": _strings(row["nuts_codes"]),
                        "value_amount": row["value_amount"],
                        "value_eur": to_eur(row["value_amount"], row["value_currency"], published)
                        if published
                        else None,
                        "published": published,
                        "deadline": deadline,
                    }
                )
                for lot in row["lots"] if isinstance(row["lots"], list) else []:
                    if isinstance(lot, dict):
                        lots.append(
                            {
                                "notice_id": row["id"],
                                "lot_id": str(lot.get("id") or ""),
                                "title": str(lot.get("title") or ""),
                                "cpv_codes": _strings(lot.get("cpv_codes")),
                                "value_amount": money_from(lot.get("value_amount")),
                                "value_currency": str(lot.get("value_currency") or ""),
                                "deadline": _time(lot.get("deadline")),
                            }
                        )
                for award in row["awards"] if isinstance(row["awards"], list) else []:
                    if isinstance(award, dict):
                        amount, currency = money_from(award.get("value_amount")), str(award.get("value_currency") or "")
                        sme = award.get("supplier_sme")
                        awards.append(
                            {
                                "notice_id": row["id"],
                                "supplier_name": str(award.get("supplier_name") or ""),
                                "supplier_country": str(award.get("supplier_country") or ""),
                                "supplier_sme": sme if isinstance(sme, bool) else None,
                                "value_amount": amount,
                                "value_currency": currency,
                                "value_eur": to_eur(amount, currency, published) if published else None,
                                "number_of_tenderers": _count(award.get("number_of_tenderers")),
                                "tenders_from_smes": _count(award.get("tenders_from_smes")),
                                "tenders_from_other_eu": _count(award.get("tenders_from_other_eu")),
                                "tenders_from_non_eu": _count(award.get("tenders_from_non_eu")),
                                "date": _time(award.get("date")),
                                "lot_ids": _strings(award.get("lot_ids")),
                            }
                        )
            for name, rows, schema in (("notices", notices, NOTICES), ("lots", lots, LOTS), ("awards", awards, AWARDS)):
                if rows:
                    writers[name].write_table(pa.Table.from_pylist(rows, schema=schema))
                    counts[name] += len(rows)
    finally:
        for writer in writers.values():
            writer.close()
    return counts
