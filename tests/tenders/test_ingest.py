"""Ingestion end to end: real files in, normalised notices out (through the export command)."""

import gzip
import http.server
import json
import subprocess
import sys
import threading
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from greenbridge.tenders.ingest import pipeline
from greenbridge.tenders.models import IngestRun, Notice, NoticeCpv, NoticeVersion
from greenbridge.tenders.services import notices_ingest

pytestmark = pytest.mark.django_db(transaction=False)

PROZORRO = "ocds/ukraine/prozorro_release_package_2_releases.json"
TENDER_OCID = "ocds-be6bcu-UA-2019-02-25-000920-c"


def export(fmt: str = "jsonl", source: str | None = None) -> list[dict]:
    out = StringIO()
    args = ["export", "--format", fmt] + (["--source", source] if source else [])
    call_command("notices", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def by_id(rows: list[dict], source_id: str) -> dict:
    return next(r for r in rows if r["source_id"] == source_id)


def prozorro_release(data_dir: Path) -> dict:
    return json.loads((data_dir / PROZORRO).read_text())["releases"][0]


def test_ingest_real_prozorro_tender_exact_fields(data_dir):
    run = notices_ingest(connector="ocds", location=str(data_dir / PROZORRO), source="prozorro")
    assert (run.status, run.read, run.created, run.rejected) == ("done", 2, 2, 0)
    row = by_id(export(), TENDER_OCID)
    assert row["source"] == "prozorro"
    assert row["ocid"] == TENDER_OCID
    assert row["buyer_name"] == "Криворізька міська лікарня №5"
    assert row["buyer_id"] == "UA-EDR-01987037"
    assert row["buyer_country"] == "UA"
    assert row["cpv_codes"] == ["33140000"]
    assert row["value_amount"] == 110000
    assert row["value_currency"] == "UAH"
    assert row["deadline"] == "2019-03-02T14:00:00+00:00"  # 16:00 at +02:00
    assert row["notice_type"] == "competition"
    assert row["status"] == "active"
    assert row["procedure_type"] == "open"
    assert row["language"] == "uk"
    assert row["title"].startswith("33140000-3 Медичні матеріали")
    assert row["green_sectors"] == []
    assert list(row) == [
        "source",
        "source_id",
        "ocid",
        "notice_type",
        "title",
        "description",
        "language",
        "buyer_name",
        "buyer_id",
        "buyer_country",
        "cpv_codes",
        "green_sectors",
        "value_amount",
        "value_currency",
        "deadline",
        "published",
        "procedure_type",
        "status",
        "url",
        "lots",
        "awards",
    ]


def test_ingest_twice_changes_nothing(data_dir):
    first = notices_ingest(connector="ocds", location=str(data_dir / "ocds"), source="ocds")
    before = export()
    versions = NoticeVersion.objects.count()
    second = notices_ingest(connector="ocds", location=str(data_dir / "ocds"), source="ocds")
    assert first.created == Notice.objects.count() > 0
    assert (second.created, second.updated, second.rejected) == (0, 0, first.rejected)
    assert second.unchanged == first.created + first.updated + first.unchanged
    assert export() == before
    assert NoticeVersion.objects.count() == versions


def test_ingest_eforms_twice_changes_nothing(data_dir):
    location = str(data_dir / "eforms" / "sdk_examples")
    first = notices_ingest(connector="eforms", location=location)
    second = notices_ingest(connector="eforms", location=location)
    assert first.source == "ted"
    assert first.created > 0
    assert (second.created, second.updated) == (0, 0)
    assert second.rejected == first.rejected == 1  # INVALID_cn_24_empty.xml
    assert "INVALID_cn_24_empty.xml" in first.rejections[0]["position"]


def test_releases_of_one_ocid_update_one_notice_newest_wins(data_dir, tmp_path):
    old = prozorro_release(data_dir)
    new = json.loads(json.dumps(old))
    new["id"], new["date"] = "second", "2019-03-05T10:00:00+02:00"
    new["tender"]["status"] = "cancelled"
    new["tender"]["title"] = "Скасовано: медичні матеріали"
    # The newer release arrives first, the older one after it: the newer state must still win.
    path = tmp_path / "two.jsonl"
    path.write_text(json.dumps(new, ensure_ascii=False) + "\n" + json.dumps(old, ensure_ascii=False) + "\n")
    run = notices_ingest(connector="ocds", location=str(path))
    assert (run.read, run.created, run.rejected) == (2, 1, 0)
    notice = Notice.objects.get(ocid=TENDER_OCID)
    assert notice.status == "cancelled"
    assert notice.title == "Скасовано: медичні матеріали"
    assert sorted(notice.versions.values_list("version_key", flat=True)) == sorted([old["id"], "second"])


def test_new_notices_are_numbered_in_the_order_they_come(data_dir, tmp_path):
    """The same file gives the same notice numbers on every run (ties in a search's ranking are broken by them):
    they follow the input, not the order of a set of keys, which changes with each process's hash seed."""
    template = prozorro_release(data_dir)
    ocids = [f"ocds-be6bcu-UA-order-{n:02d}-{'abcdefgh'[n % 8]}" for n in (17, 3, 29, 11, 0, 23, 8, 35, 5, 14) * 4]
    lines = []
    for i, ocid in enumerate(ocids):  # each process four times: three updates after the first release
        release = json.loads(json.dumps(template))
        release["ocid"], release["id"] = ocid, f"{ocid}-{i}"
        release["date"] = f"2019-03-{1 + i // 10:02d}T10:00:00+02:00"
        lines.append(json.dumps(release, ensure_ascii=False))
    path = tmp_path / "ordered.jsonl"
    path.write_text("\n".join(lines) + "\n")
    run = notices_ingest(connector="ocds", location=str(path))
    assert (run.read, run.created, run.rejected) == (40, 10, 0)
    assert list(Notice.objects.order_by("pk").values_list("ocid", flat=True)) == list(dict.fromkeys(ocids))


def test_later_release_updates_notice_in_a_second_run(data_dir, tmp_path):
    old = prozorro_release(data_dir)
    (tmp_path / "a.json").write_text(json.dumps({"releases": [old]}, ensure_ascii=False))
    notices_ingest(connector="ocds", location=str(tmp_path / "a.json"))
    new = json.loads(json.dumps(old))
    new["id"], new["date"] = "r2", "2019-03-03T10:00:00+02:00"
    new["tender"]["tenderPeriod"]["endDate"] = "2019-03-09T16:00:00+02:00"
    (tmp_path / "b.json").write_text(json.dumps({"releases": [new]}, ensure_ascii=False))
    run = notices_ingest(connector="ocds", location=str(tmp_path / "b.json"))
    assert (run.created, run.updated) == (0, 1)
    row = by_id(export(), TENDER_OCID)
    assert row["deadline"] == "2019-03-09T14:00:00+00:00"
    assert row["value_amount"] == 110000  # fields the new release repeats or omits are kept by the merge


def test_rejected_item_never_stops_the_others(data_dir, tmp_path):
    good = prozorro_release(data_dir)
    lines = [json.dumps(good, ensure_ascii=False), "{not json", json.dumps({"id": "x", "tag": ["tender"]})]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    run = notices_ingest(connector="ocds", location=str(path))
    assert (run.read, run.created, run.rejected) == (3, 1, 2)
    positions = [r["position"] for r in run.rejections]
    assert any("2" in p for p in positions)
    assert any("3" in p for p in positions)
    assert all(r["reason"] for r in run.rejections)


def test_a_file_cut_short_keeps_every_release_read_before_the_cut(tmp_path):
    """The releases before the cut were read in a batch that had not reached its 1,000: they are written (the
    run lost them before)."""
    from tests.tenders.test_ingest_shards import _cut_package

    path = tmp_path / "cut.json"
    path.write_bytes(_cut_package())
    run = notices_ingest(connector="ocds", location=str(path))
    assert (run.status, run.read, run.created) == ("failed", 61, 61)
    assert run.error.startswith("this is not valid JSON")
    assert Notice.objects.count() == 61


def test_a_notice_that_cannot_be_saved_is_rejected_alone(data_dir, monkeypatch):
    real_fill = pipeline._fill

    def failing_fill(notice, state):
        if state.key == TENDER_OCID:
            raise ValueError("disk on fire")
        real_fill(notice, state)

    monkeypatch.setattr(pipeline, "_fill", failing_fill)
    run = notices_ingest(connector="ocds", location=str(data_dir / PROZORRO))
    assert (run.created, run.rejected) == (1, 1)
    assert run.rejections[0]["reason"] == "could not be saved: disk on fire"
    assert not Notice.objects.filter(ocid=TENDER_OCID).exists()
    assert Notice.objects.count() == 1


def test_a_run_never_stays_running_for_ever(data_dir, monkeypatch):
    """A run whose process was killed (400 kB of nested JSON took a server's memory) showed "running" for ever; a
    fault of ours raised through the run left it so too."""
    from datetime import timedelta

    from django.utils import timezone

    killed = IngestRun.objects.create(connector="ocds", source="ocds", location="deep.json")
    IngestRun.objects.filter(pk=killed.pk).update(started=timezone.now() - timedelta(hours=25))
    recent = IngestRun.objects.create(connector="ocds", source="ocds", location="big.json")  # may still be going
    notices_ingest(connector="ocds", location=str(data_dir / PROZORRO))
    killed.refresh_from_db()
    assert killed.status == "failed"
    assert killed.error.startswith("stopped without finishing")
    assert IngestRun.objects.get(pk=recent.pk).status == "running"

    def broken(*args, **kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(pipeline, "_ingest", broken)
    with pytest.raises(RuntimeError):
        notices_ingest(connector="ocds", location=str(data_dir / PROZORRO))
    last = IngestRun.objects.order_by("-pk").first()
    assert (last.status, last.error) == ("failed", "stopped by an unexpected error: RuntimeError('a bug of ours')")


def test_a_notice_the_database_refuses_is_rejected_alone(data_dir, monkeypatch):
    """The batch's transaction fails; each notice is then written in its own, and only the one refused is lost."""
    real_index = pipeline.search.index_documents

    def refusing_index(rows, using=None):
        rows = list(rows)
        if Notice.objects.filter(pk__in=[row[0] for row in rows], ocid=TENDER_OCID).exists():
            raise ValueError("constraint failed")
        real_index(rows, using=using)

    monkeypatch.setattr(pipeline.search, "index_documents", refusing_index)
    run = notices_ingest(connector="ocds", location=str(data_dir / PROZORRO))
    assert (run.created, run.rejected) == (1, 1)
    assert run.rejections[0]["reason"] == "could not be saved: constraint failed"
    assert not Notice.objects.filter(ocid=TENDER_OCID).exists()
    assert not NoticeVersion.objects.filter(notice__ocid=TENDER_OCID).exists()
    assert Notice.objects.count() == 1


def test_gzip_and_record_packages(data_dir, tmp_path):
    raw = (data_dir / "ocds/other/paraguay_dncp_record_package_1.1.json").read_bytes()
    (tmp_path / "records.json.gz").write_bytes(gzip.compress(raw))
    run = notices_ingest(connector="ocds", location=str(tmp_path / "records.json.gz"))
    assert (run.status, run.created, run.rejected) == ("done", 1, 0)
    notice = Notice.objects.get(ocid="ocds-03ad3f-193399")
    assert notice.title == "Adquisición de Scanner"
    assert notice.buyer_country == "PY"


def test_ingest_from_http_url(data_dir):
    body = (data_dir / PROZORRO).read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/releases"
        run = notices_ingest(connector="ocds", location=url, source="prozorro")
    finally:
        server.shutdown()
        server.server_close()
    assert (run.status, run.created) == ("done", 2)
    assert Notice.objects.filter(source="prozorro", ocid=TENDER_OCID).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not"),
        (b'{"releases": [{"ocid": "a", "id": "1"', "JSON"),
        (b'{"data": {"title": "not ocds"}}', "not OCDS"),
        ('{"releases": [{"ocid": "a", "id": "1", "tender": {"title": "Société"}}]}'.encode("latin-1"), "UTF-8"),
    ],
    ids=["empty", "binary", "truncated", "not-ocds", "latin-1"],
)
def test_unreadable_input_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "input.json"
    path.write_bytes(content)
    with pytest.raises(CommandError) as err:
        call_command("ingest", "ocds", str(path), "--no-progress", stdout=StringIO())
    assert message.lower() in str(err.value).lower()
    assert IngestRun.objects.get().status == "failed"


@pytest.mark.own_database
def test_cli_exit_code_and_no_traceback(data_dir, tmp_path):
    bad = data_dir / "ocds/moldova/mtender_contract_release_abridged.json.invalid"
    env = {"GREENBRIDGE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "greenbridge", "migrate", "-v0"], env=env, check=True)
    proc = subprocess.run(
        [sys.executable, "-m", "greenbridge", "ingest", "ocds", str(bad)], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "not valid JSON" in proc.stderr


def test_cli_report_lists_rejections(data_dir):
    out = StringIO()
    call_command("ingest", "eforms", str(data_dir / "eforms" / "sdk_examples"), "--no-progress", stdout=out)
    text = out.getvalue()
    assert "source ted" in text
    assert "rejected 1" in text
    assert "INVALID_cn_24_empty.xml" in text


def test_export_csv(data_dir):
    notices_ingest(connector="ocds", location=str(data_dir / PROZORRO), source="prozorro")
    out = StringIO()
    call_command("notices", "export", "--format", "csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("source,source_id,ocid,notice_type,title")
    assert len(lines) == 3
    assert "33140000" in out.getvalue()


def test_cpv_rows_cover_lots_for_prefix_search(data_dir):
    notices_ingest(connector="eforms", location=str(data_dir / "eforms" / "sdk_examples"))
    for notice in Notice.objects.all():
        codes = set(NoticeCpv.objects.filter(notice=notice).values_list("code", flat=True))
        assert set(notice.cpv_codes) <= codes


def test_amounts_are_decimals(data_dir):
    notices_ingest(connector="ocds", location=str(data_dir / PROZORRO))
    assert Notice.objects.get(ocid=TENDER_OCID).value_amount == Decimal("110000")


def test_history_keeps_every_document_as_it_arrived(data_dir, tmp_path):
    old = prozorro_release(data_dir)
    (tmp_path / "a.json").write_text(json.dumps({"releases": [old]}, ensure_ascii=False))
    notices_ingest(connector="ocds", location=str(tmp_path / "a.json"))
    notice = Notice.objects.get(ocid=TENDER_OCID)
    first = notice.versions.get()
    assert first.raw == ""  # shares the notice's document while it is the current state
    assert json.loads(first.document) == json.loads(notice.raw) == json.loads(json.dumps(old))

    new = json.loads(json.dumps(old))
    new["id"], new["date"] = "r2", "2019-03-03T10:00:00+02:00"
    new["tender"]["status"] = "cancelled"
    older = json.loads(json.dumps(old))
    older["id"], older["date"] = "r0", "2019-02-26T10:00:00+02:00"
    (tmp_path / "b.json").write_text(json.dumps({"releases": [new, older]}, ensure_ascii=False))
    notices_ingest(connector="ocds", location=str(tmp_path / "b.json"))

    notice.refresh_from_db()
    documents = {v.version_key: json.loads(v.document) for v in notice.versions.all()}
    assert documents == {r["id"]: json.loads(json.dumps(r)) for r in (old, new, older)}
    assert notice.status == "cancelled"  # the newest state wins, whatever the arrival order


def test_eforms_history_keeps_every_version(data_dir, tmp_path):
    xml = (data_dir / "eforms/sdk_examples/cn_24_minimal.xml").read_text(encoding="utf-8")
    notices_ingest(connector="eforms", location=str(data_dir / "eforms/sdk_examples/cn_24_minimal.xml"))
    notice = Notice.objects.get()
    # A later version of the same notice (BT-757 version 02, issued a day later) replaces it.
    changed = xml.replace("<cbc:VersionID>01</cbc:VersionID>", "<cbc:VersionID>02</cbc:VersionID>", 1)
    issue_date = changed.split("<cbc:IssueDate>")[1].split("</cbc:IssueDate>")[0]
    changed = changed.replace(
        f"<cbc:IssueDate>{issue_date}</cbc:IssueDate>", "<cbc:IssueDate>2030-01-01+01:00</cbc:IssueDate>", 1
    )
    assert changed.count("2030-01-01") == 1
    (tmp_path / "v2.xml").write_text(changed, encoding="utf-8")
    run = notices_ingest(connector="eforms", location=str(tmp_path / "v2.xml"))
    assert (run.created, run.updated) == (0, 1)
    notice.refresh_from_db()
    assert notice.raw == changed
    assert sorted(v.document for v in notice.versions.all()) == sorted([xml, changed])


def _stored(source: str) -> dict[str, tuple]:
    """Everything ingestion writes for a source, by notice: the notice's fields, its CPV and sector rows,
    its history and its search document."""
    from django.db import connection

    fields = [f for f in pipeline._WRITE_FIELDS if f not in ("updated",)]
    out = {}
    for notice in Notice.objects.filter(source=source):
        with connection.cursor() as cur:
            if connection.vendor == "sqlite":
                cur.execute("SELECT body FROM tenders_notice_fts WHERE rowid = %s", [notice.pk])
            else:
                cur.execute("SELECT document::text FROM tenders_notice_search WHERE notice_id = %s", [notice.pk])
            document = cur.fetchone()
        versions = sorted((v.version_key, v.date, tuple(v.tags), v.document) for v in notice.versions.all())
        out[notice.source_id] = (
            tuple(getattr(notice, f) for f in fields),
            sorted(notice.cpv_rows.values_list("code", "is_main")),
            sorted(notice.sector_rows.values_list("sector", flat=True)),
            versions,
            document,
        )
    return out


@pytest.mark.parametrize(("batch_size", "window"), [(1, 0), (7, 2), (7, 100)])
def test_small_batches_write_what_one_batch_writes(tmp_path, monkeypatch, batch_size, window):
    """Releases of one process in different batches (the state carried over in memory from a recent
    batch, or read back from the database) end as they do in a single batch."""
    from benchmarks.generate import generate

    feed = json.loads(generate(tmp_path / "feed.json", 120, every_updated=True).read_text())
    for n, release in enumerate(r for r in feed["releases"] if r["tag"] == ["tenderUpdate"]):
        if n % 3 == 0:  # a new title: a new search document
            release["tender"]["title"] = f"Rectificare {n}: apă potabilă"
        if n % 4 == 0:  # a new CPV code and with it perhaps new sectors
            release["tender"]["items"] = [{"id": "1", "classification": {"scheme": "CPV", "id": "09331200-0"}}]
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(feed, ensure_ascii=False))
    one = notices_ingest(connector="ocds", location=str(path), source="one")
    monkeypatch.setattr(pipeline, "BATCH_SIZE", batch_size)
    # 0: every batch is written at once, and every update reads its notice back from the database;
    # 100: every update finds its notice in memory, written at the end.
    monkeypatch.setattr(pipeline, "WINDOW", window)
    many = notices_ingest(connector="ocds", location=str(path), source="many")
    assert (one.read, one.created, one.updated, one.rejected) == (120, 60, 60, 0)
    assert (many.read, many.created, many.updated, many.rejected) == (120, 60, 60, 0)
    assert _stored("many") == _stored("one")
    again = notices_ingest(connector="ocds", location=str(path), source="many")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 120)


def test_a_release_that_cannot_be_merged_is_rejected_alone(data_dir, tmp_path):
    first = prozorro_release(data_dir)
    broken = json.loads(json.dumps(first))
    broken["id"], broken["date"] = "broken", "2019-03-01T10:00:00+02:00"  # older: a recompile
    broken["tender"]["items"] = {"id": "1"}  # an object where the first release has a list
    later = json.loads(json.dumps(first))
    later["id"], later["date"] = "later", "2019-03-03T10:00:00+02:00"
    later["tender"]["status"] = "cancelled"
    path = tmp_path / "three.json"
    path.write_text(json.dumps({"releases": [first, broken, later]}, ensure_ascii=False))
    run = notices_ingest(connector="ocds", location=str(path))
    assert (run.read, run.created, run.updated, run.rejected) == (3, 1, 1, 1)
    assert run.rejections[0]["position"] == f"{path}:releases[1]"
    assert run.rejections[0]["reason"].startswith(f"the releases of {TENDER_OCID} cannot be merged: ")
    notice = Notice.objects.get(ocid=TENDER_OCID)
    assert notice.status == "cancelled"
    assert sorted(notice.versions.values_list("version_key", flat=True)) == sorted([first["id"], "later"])


def test_every_connector_has_a_name_people_read():
    """The operator's runs and the admin's form name the format ("OCDS (JSON)"), not the connector's code."""
    from greenbridge.tenders.services import CONNECTORS

    assert set(IngestRun.Connector.values) == set(CONNECTORS)
    assert IngestRun(connector="eforms").get_connector_display() == "TED XML (eForms, and before them R2.0.9)"
