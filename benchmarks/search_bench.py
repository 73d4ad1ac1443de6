"""Search latency over 1,000,000 notices in SQLite: 50 mixed queries (text + country + CPV prefix +
deadline window), each timed as the search page runs it (the count and the first page). With `--quality`: search
quality on the judged search set (data/judgements/search_v1.json) instead.

The notices are written straight into the tables (the ingestion benchmark measures the pipeline);
titles are made of real CPV labels in several languages, so the text index has real vocabulary.
"""

import csv
import gzip
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fresh_database  # noqa: E402

COUNTRIES = ["UA", "MD", "RO", "NO", "PY", "TN", "JO", "EG", "GE", "FR", "IT", "ES", "DE", "PL", "GR"]
LANGS = ["en", "ro", "fr", "es", "it", "de", "uk"]


def populate(n: int, rng: random.Random) -> None:
    from django.db import connection

    from greenbridge.reference.text import fold
    from greenbridge.tenders.search import filter_tokens

    with gzip.open(ROOT / "greenbridge/reference/data/cpv_2008_main_all_24_languages.csv.gz", "rt") as fh:
        cpv = [
            (r["CODE_8"], {k.lower(): r[k] for k in ("EN", "RO", "FR", "ES", "IT", "DE")}) for r in csv.DictReader(fh)
        ]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    cols = (
        "source, source_id, ocid, procedure_id, notice_type, title, description, language, titles, "
        "descriptions, buyer_name, buyer_id, buyer_country, cpv_codes, green_sectors, value_amount, "
        "value_currency, deadline, published, procedure_type, status, url, lots, awards, green_flags, raw, "
        "raw_format, state_date, content_hash, created, updated, nuts_codes, ojs_number"
    )
    sql = f"INSERT INTO tenders_notice ({cols}) VALUES ({', '.join(['%s'] * 33)})"  # noqa: S608 (constants)
    batch, cpv_rows, fts_rows = [], [], []
    with connection.cursor() as cur:
        for i in range(1, n + 1):
            code, labels = rng.choice(cpv)
            lang = rng.choice(LANGS[:6])
            title = f"{labels[lang]} — lot {i % 97}"
            desc = " ".join(rng.choice(cpv)[1][lang] for _ in range(3))
            deadline = base + timedelta(hours=rng.randint(0, 24 * 365))
            now = base.isoformat()
            country = rng.choice(COUNTRIES)
            batch.append(
                (
                    "bench",
                    f"n{i}",
                    "",
                    "",
                    "competition",
                    title,
                    desc,
                    lang,
                    "{}",
                    "{}",
                    "Buyer",
                    "",
                    country,
                    f'["{code}"]',
                    "[]",
                    rng.randint(1, 10_000) * 1000,
                    "EUR",
                    deadline.isoformat(),
                    now,
                    "open",
                    "active",
                    "",
                    "[]",
                    "[]",
                    "[]",
                    "",
                    "json",
                    now,
                    "h",
                    now,
                    now,
                    "[]",
                    "",
                )
            )
            cpv_rows.append((i, code, True))
            fts_rows.append((i, fold(f"{title} {desc}"), filter_tokens([code], country)))
            if len(batch) == 20_000 or i == n:
                cur.executemany(sql, batch)
                cur.executemany(
                    "INSERT INTO tenders_noticecpv (notice_id, code, is_main) VALUES (%s, %s, %s)", cpv_rows
                )
                cur.executemany("INSERT INTO tenders_notice_fts (rowid, body, codes) VALUES (%s, %s, %s)", fts_rows)
                batch, cpv_rows, fts_rows = [], [], []
        cur.execute("ANALYZE")


def queries(rng: random.Random, n: int) -> list[dict]:
    """50 queries shaped like real users' (a word and a few filters), each built from a stored notice:
    a word of its title, its country (with 0-2 others), its CPV division, group or class, and a
    window around its deadline, in varying combinations, so every query has hits."""
    import re

    from greenbridge.tenders.models import Notice

    out = []
    for i in range(50):
        notice = Notice.objects.only("title", "buyer_country", "cpv_codes", "deadline").get(pk=rng.randint(1, n))
        words = [w for w in re.findall(r"\w+", notice.title) if len(w) > 4 and not w.isdigit()]
        q: dict = {"q": rng.choice(words) if words else "services"}
        if i % 4 == 3 and q["q"] in words[:-1]:  # two words, as people also search (a phrase across languages)
            q["q"] += " " + words[words.index(q["q"]) + 1]
        if i % 2 == 0:
            q["countries"] = [notice.buyer_country, *rng.sample(COUNTRIES, rng.randint(0, 2))]
        if i % 3 != 2:
            q["cpv"] = [notice.cpv_codes[0][: rng.choice([2, 3, 4])].ljust(8, "0")]
        if i % 2 == 1:
            day = notice.deadline.date()
            width = rng.choice([7, 30, 90])
            q["deadline_from"], q["deadline_to"] = day - timedelta(days=width // 2), day + timedelta(days=width // 2)
        if i % 5 == 0:
            q["sort"] = "deadline"
        out.append(q)
    return out


def run(n: int = 1_000_000, keep: str | None = None) -> dict:
    """`keep`: a data directory to reuse (populated on first use), for iterating on search code."""
    with fresh_database(keep):
        from django.db import reset_queries

        from greenbridge.tenders.models import Notice
        from greenbridge.tenders.selectors import NoticeFilters, notices_search

        rng = random.Random(7)
        load_s = 0.0
        if not Notice.objects.exists():
            t0 = time.perf_counter()
            populate(n, rng)
            load_s = time.perf_counter() - t0
        # As a web process serves them: it builds the CPV lexicon as it starts (wsgi.py), not in the first search.
        from greenbridge.reference.lexicon import cpv_lexicon

        cpv_lexicon()
        timings, counts, slow = [], [], []
        # The queries draw from their own generator: the same 50 whether this run loaded the notices or found them
        # (--keep); drawn after loading with `rng`, the first run's differed from the later ones'.
        for q in queries(random.Random(11), n):
            start = time.perf_counter()
            qs = notices_search(user=None, filters=NoticeFilters(**q))
            counts.append(qs.count())
            list(qs[:20])
            elapsed = (time.perf_counter() - start) * 1000
            timings.append(elapsed)
            slow.append((elapsed, counts[-1], q))
            reset_queries()
        if os.environ.get("SEARCH_BENCH_VERBOSE"):
            for elapsed, hits, q in sorted(slow, key=lambda x: -x[0])[:8]:
                print(f"{elapsed:9.1f} ms {hits:8d} hits {q}", file=sys.stderr)
        timings.sort()
        return {
            "notices": n,
            "load_seconds": load_s,
            "queries": len(timings),
            "median_ms": statistics.median(timings),
            "p95_ms": timings[int(0.95 * len(timings)) - 1],
            "max_ms": timings[-1],
            "median_hits": statistics.median(counts),
        }


def quality(judgements: str = "data/judgements/search_v1.json") -> dict:
    """Search quality on the judged search set (tenders.evaluation), its corpus ingested into a new database."""
    with fresh_database():
        from greenbridge.matching.evaluation import ingest_corpus
        from greenbridge.tenders.evaluation import evaluate_search, load_search_judgements
        from greenbridge.tenders.models import Notice

        judged = load_search_judgements(ROOT / judgements)
        ingest_corpus(judged, ROOT / "data")
        results = evaluate_search(judged)
        return {
            "judgements": judgements,
            "notices": Notice.objects.count(),
            "queries": len(judged["queries"]),
            "pairs": judged["pairs"],
            "modes": [r.as_dict() for r in results],
        }


if __name__ == "__main__":
    import json

    if "--quality" in sys.argv:
        print(json.dumps(quality()))
        sys.exit()
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    keep = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--keep=")), None)
    result = run(int(args[0]) if args else 1_000_000, keep=keep)
    print(json.dumps(result) if "--json" in sys.argv else result)
