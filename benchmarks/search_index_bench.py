"""What cross-language search costs the index and the ingestion: the same generated releases ingested into a
fresh SQLite database with the notices' CPV codes in the full-text index (as GreenBridge does) and without
them (the index before cross-language search: text only), in the same run. Reports the full-text index's
size (SQLite's dbstat), the whole database's size and the ingestion time, and how long a few cross-language
queries take on the result.

    python benchmarks/search_index_bench.py [--releases 20000] [--json]

Each ingestion runs in its own process, one core, on the file benchmarks/generate.py writes (titles in four
languages, real CPV codes).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["solar", "apă canalizare", "éclairage", "gas", "waste", "лічильники"]


def _child(path: str, with_codes: bool) -> dict:
    """In a fresh process and data directory: ingest the file, measure, search."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from greenbridge.tenders import search
    from greenbridge.tenders.selectors import NoticeFilters, notices_search
    from greenbridge.tenders.services import notices_ingest

    call_command("migrate", verbosity=0)
    if not with_codes:
        search.filter_tokens = lambda codes, country: ""  # the index before cross-language search: text only
    start = time.perf_counter()
    run = notices_ingest(connector="ocds", location=path, source="bench")
    seconds = time.perf_counter() - start
    with connection.cursor() as cur:
        cur.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'tenders_notice_fts%%'")
        fts = cur.fetchone()[0]
        cur.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        database = cur.fetchone()[0]
    timings = {}
    for q in QUERIES:
        results = notices_search(user=None, filters=NoticeFilters(q=q))
        t = time.perf_counter()
        count = results.count()
        list(results[:20])
        timings[q] = {"ms": (time.perf_counter() - t) * 1000, "hits": count}
    return {
        "notices": run.created,
        "seconds": seconds,
        "fts_mb": fts / 1e6,
        "database_mb": database / 1e6,
        "queries": timings,
    }


def run(releases: int) -> dict:
    from benchmarks.generate import generate

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "releases.json"
        generate(path, releases)
        for label, flag in (("text only (before)", "0"), ("text + CPV codes (now)", "1")):
            with tempfile.TemporaryDirectory() as data_dir:
                env = {**os.environ, "GREENBRIDGE_DATA_DIR": data_dir}
                proc = subprocess.run(
                    [sys.executable, __file__, "--child", str(path), flag],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                out[label] = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"releases": releases, "runs": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--releases", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("FILE", "WITH_CODES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        os.sched_setaffinity(0, {0})
        print(json.dumps(_child(args.child[0], args.child[1] == "1")))
        return
    result = run(args.releases)
    if args.json:
        print(json.dumps(result))
        return
    for label, r in result["runs"].items():
        print(
            f"{label}: {r['notices']:,} notices in {r['seconds']:.1f} s, index {r['fts_mb']:.1f} MB, "
            f"database {r['database_mb']:.1f} MB; "
            + ", ".join(f"{q!r} {t['hits']} hits {t['ms']:.1f} ms" for q, t in r["queries"].items())
        )


if __name__ == "__main__":
    main()
