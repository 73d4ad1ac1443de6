"""An ingestion split between processes (ingest/shards.py) writes what one process writes, reports it once, and
is split only where that is safe."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from django.db import connection, transaction

from greenbridge.core import processes
from greenbridge.tenders.ingest import shards
from greenbridge.tenders.ingest.connectors import EformsConnector, OcdsConnector
from greenbridge.tenders.ingest.pipeline import Item, Report
from greenbridge.tenders.models import IngestRun, Notice, NoticeVersion

REPO = Path(__file__).resolve().parents[2]


def test_each_item_goes_to_one_share_with_every_item_of_its_notice_and_the_unreadable_ones_to_the_first():
    items = [Item(position=f"#{i}", key=f"ocds-{i % 37}") for i in range(500)]
    items += [Item(position="#bad", rejected="not JSON")]  # rejected while reading: no key
    counted = []
    parts = [list(shards.mine(iter(items), index, 3, counted.append if index == 0 else None)) for index in range(3)]
    assert sorted(i.position for part in parts for i in part) == sorted(i.position for i in items)
    keys = [{i.key for i in part} for part in parts]
    assert all(keys)
    assert not (keys[0] & keys[1])
    assert not (keys[0] & keys[2])
    assert not (keys[1] & keys[2])
    assert parts[0][-1].position == "#bad"
    assert sum(counted) == len(parts[1]) + len(parts[2])  # the progress bar counts the whole input
    assert list(shards.mine(iter(items), 0, 1)) == items


@pytest.mark.django_db
def test_a_run_is_split_only_for_a_large_local_ocds_input_outside_a_transaction(data_dir, settings, tmp_path):
    ocds, eforms = OcdsConnector(), EformsConnector()
    small = str(data_dir / "ocds" / "ukraine")
    assert shards.count(ocds, small, None) == 1  # 8 MB or more for the default
    assert shards.count(ocds, "https://example.org/releases.json", 2) == 1  # a feed is fetched once
    assert shards.count(eforms, str(data_dir / "eforms"), 2) == 1  # parsing the XML is most of the work
    # Inside the test's transaction (and on SQLite's in-memory test database) the other processes could not
    # see what the transaction holds.
    assert transaction.get_connection().in_atomic_block
    assert shards.count(ocds, small, 2) == 1
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(shards.MIN_BYTES)
    settings.BATCH_PROCESSES = 1
    assert shards.count(ocds, str(big), None) == 1


def _work(share: int):
    if share == 1:
        return Report(read=share)
    if share == 2:
        raise ValueError("a bug")
    os._exit(3)  # a process killed (out of memory…)


def test_what_each_process_sends_back_and_what_a_failed_or_lost_one_says():
    outcomes = list(processes.wait(processes.start(4, _work)))
    assert outcomes[0] == Report(read=1)
    assert outcomes[1] == "one of the run's processes failed: ValueError('a bug')"
    assert outcomes[2] == "one of the run's processes ended unexpectedly (exit code 3)"
    assert processes.start(1, _work) == []


def test_a_process_running_other_threads_does_not_fork(monkeypatch):
    """A web server's process (its request threads, the lexicon's) does its batch work alone: a forked process
    would keep only the forking thread, and any lock another one held."""
    from django.db import connections

    # As on a database file (the test database may be in memory, where nothing is ever forked).
    monkeypatch.setattr(type(connections["default"]), "is_in_memory_db", lambda self: False, raising=False)
    assert processes.available(2) == (2 if threading.active_count() == 1 else 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert processes.available(2) == 1
    finally:
        stop.set()
        other.join()


def test_reports_of_the_shares_add_up():
    first, second = Report(read=3, created=1, updated=1, unchanged=0), Report(read=2, created=2)
    second.reject("b.json#1", "no id")
    first.add(second)
    assert (first.read, first.created, first.updated, first.rejected) == (5, 3, 1, 1)
    assert first.rejections == [{"position": "b.json#1", "reason": "no id"}]


def _greenbridge(*args: str, data: Path, ok: bool = True, database_url: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "GREENBRIDGE_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    done = subprocess.run(
        [sys.executable, "-m", "greenbridge", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 or not ok, done.stderr
    return done


WRITTEN = {
    "notices": "SELECT source_id, content_hash, green_sectors, title, buyer_country, value_amount, deadline, lots, "
    "awards, raw FROM tenders_notice ORDER BY source_id",
    "versions": "SELECT n.source_id, v.version_key, v.date, v.tags, v.raw FROM tenders_noticeversion v "
    "JOIN tenders_notice n ON n.id = v.notice_id ORDER BY 1, 2",
    "codes": "SELECT n.source_id, c.code, c.is_main FROM tenders_noticecpv c "
    "JOIN tenders_notice n ON n.id = c.notice_id ORDER BY 1, 2",
    "sectors": "SELECT n.source_id, s.sector FROM tenders_noticesector s "
    "JOIN tenders_notice n ON n.id = s.notice_id ORDER BY 1, 2",
    "index": "SELECT n.source_id, f.body, f.codes FROM tenders_notice_fts f JOIN tenders_notice n ON n.id = f.rowid "
    "ORDER BY 1",
    "facts": "SELECT n.source_id, f.country, f.year, f.kind, f.cpv, f.buyer_key, f.estimated_eur "
    "FROM market_noticefact f JOIN tenders_notice n ON n.id = f.notice_id ORDER BY 1",
    "run": "SELECT read, created, updated, unchanged, rejected, status, error FROM tenders_ingestrun",
}


def _cut_package() -> bytes:
    """Portugal's package of 100 releases (batch 3), as a package, cut after its 61st release."""
    whole = REPO / "data/ocds/real_more/portugal_impic_base_gov_2019/impic_release_package_in_array_100_releases.json"
    package = json.dumps(json.loads(whole.read_text())[0], ensure_ascii=False).encode()
    return package[: len(package) * 6 // 10]


def _written(data: Path) -> dict[str, list]:
    with sqlite3.connect(data / "greenbridge.sqlite3") as db:
        return {name: db.execute(sql).fetchall() for name, sql in WRITTEN.items()}


def _market(data: Path) -> dict[str, list]:
    """The market's totals and cells; a cell's arrays (its facts' values, in the order the facts were written) as
    sorted lists: the figures read them as multisets (sums, medians, counts per month)."""
    from greenbridge.market.figures import ARRAYS

    with sqlite3.connect(data / "greenbridge.sqlite3") as db:
        # Values summed in another order (the notices' ids differ) differ in their last bits: to the cent.
        totals = db.execute(
            "SELECT role, country, year, kind, key, name, party_country, count, ROUND(value_eur, 2), method_known, "
            "non_open, periods_known, short_periods, tenderers_known, single_bids FROM market_partytotal "
            "ORDER BY role, country, year, kind, key"
        ).fetchall()
        rows = db.execute("SELECT * FROM market_marketcell ORDER BY level, country, year, kind, division, sectors")
        names = [d[0] for d in rows.description]
        cells = [
            {k: sorted(np.frombuffer(v, ARRAYS[k])) if k in ARRAYS else v for k, v in zip(names, r, strict=True)}
            for r in rows
        ]
        for cell in cells:
            del cell["id"]
    return {"totals": totals, "cells": cells}


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite's run; see below")
def test_two_processes_write_exactly_what_one_writes(tmp_path):
    """Every real OCDS file of data/ (Moldova, Ukraine, the odd shapes of batch 3, rejected items among them),
    each way, by the command in a fresh process and database as an operator runs it."""
    one, two = tmp_path / "one", tmp_path / "two"
    _greenbridge("migrate", "--no-input", "-v0", data=one)
    shutil.copytree(one, two)
    alone = _greenbridge("ingest", "ocds", "data/ocds", "--processes", "1", "--no-progress", data=one)
    split = _greenbridge("ingest", "ocds", "data/ocds", "--processes", "2", "--no-progress", data=two)
    assert "(source ocds, 2 processes): read" in split.stdout
    assert "(source ocds): read" in alone.stdout
    split_lines = split.stdout.replace(", 2 processes", "").splitlines()
    assert split_lines[0] == alone.stdout.splitlines()[0]  # read, created, updated… rejected
    assert sorted(split_lines) == sorted(alone.stdout.splitlines())  # each rejection once
    written = _written(one)
    assert written["run"] == [(307, 288, 8, 8, 3, "done", "")]
    assert len(written["notices"]) == 288
    assert len(written["facts"]) == 288
    assert _written(two) == written
    # The market facts made again from every notice, by two processes however few the notices are.
    refresh = (
        "import django; django.setup(); from greenbridge.market import services; services.SHARED_FROM = 1; "
        "assert services._shares(2) == 2; print(services.refresh_facts(complete=True).notices)"
    )
    assert _greenbridge("shell", "-c", refresh, data=two).stdout.strip().endswith("288")
    assert _written(two)["facts"] == written["facts"]
    assert _market(two) == _market(one)
    # The same when the other process fails after writing its first batch of facts: the parent makes them again.
    failing = (
        "import os, django; django.setup(); from greenbridge.market import services; services.SHARED_FROM = 1; "
        "services.BATCH = 50; parent = os.getpid(); make = services._make_facts\n"
        "def fail_in_the_other(batches, complete):\n"
        "    if os.getpid() != parent:\n"
        "        make(batches[:1], complete); raise RuntimeError('killed')\n"
        "    return make(batches, complete)\n"
        "services._make_facts = fail_in_the_other; print(services.refresh_facts(complete=True).notices)"
    )
    assert _greenbridge("shell", "-c", failing, data=two).stdout.strip().endswith("288")
    assert _written(two)["facts"] == written["facts"]
    assert _market(two) == _market(one)

    # A file cut short (Portugal's package of 100 releases, cut after 61): both processes read up to the cut; the
    # run fails with the same message and keeps the same notices, counted once.
    cut = tmp_path / "cut.json"
    cut.write_bytes(_cut_package())
    args = ("ingest", "ocds", str(cut), "--source", "cut", "--no-progress", "--processes")
    alone, split = _greenbridge(*args, "1", data=one, ok=False), _greenbridge(*args, "2", data=two, ok=False)
    assert "(source cut, 2 processes)" in split.stdout
    split_out = split.stdout.replace(", 2 processes", "")
    assert (split.returncode, split_out, split.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    assert alone.returncode == 1
    assert "read 61, created 61," in alone.stdout
    assert "this is not valid JSON" in alone.stderr
    assert _written(two) == _written(one)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's test database is in memory: see above")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_two_processes_write_what_one_writes(tmp_path):
    """The command in a fresh process (a test process may run other threads, a live server's: it would not fork)
    on the test database, all of data/ocds under two sources, with one process and with two."""
    db = connection.settings_dict
    url = (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{db['HOST'] or 'localhost'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    args = ("ingest", "ocds", "data/ocds", "--no-progress", "--source")
    alone = _greenbridge(*args, "one", "--processes", "1", data=tmp_path, database_url=url)
    split = _greenbridge(*args, "two", "--processes", "2", data=tmp_path, database_url=url)
    assert "(source two, 2 processes): read 307, created 288" in split.stdout
    assert sorted(split.stdout.replace("two, 2 processes", "one").splitlines()) == sorted(alone.stdout.splitlines())
    one, two = IngestRun.objects.get(source="one"), IngestRun.objects.get(source="two")
    fields = ("read", "created", "updated", "unchanged", "rejected", "status", "error")
    assert [getattr(two, f) for f in fields] == [getattr(one, f) for f in fields]

    def written(source: str) -> list:
        notices = Notice.objects.filter(source=source).order_by("source_id")
        return [
            list(notices.values_list("source_id", "content_hash", "green_sectors", "cpv_codes", "raw")),
            sorted(NoticeVersion.objects.filter(notice__source=source).values_list("notice__source_id", "version_key")),
        ]

    assert written("two") == written("one")
    assert len(written("one")[0]) == 288
