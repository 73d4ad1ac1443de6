"""Matching benchmark: W watches against N new notices with the indexed Matcher, on one core, and the
naive every-pair loop on a sample measured in the same run.

Notices and watches are generated from the real CPV vocabulary: each notice has 1-3 codes (clustered in
the divisions green SMEs work in, like a real feed), a title and description made of the labels of its
codes in its own language (en, ro, uk, fr, de, it, es, pl), a buyer country among 30, a value, a type and
a deadline. Each watch has 1-4 codes at class or category level, 0-3 keywords taken from its codes'
labels in the SME's language (as a user types them), countries for 40% of them and sectors for 20%.

    python benchmarks/match_bench.py [--notices 100000] [--watches 10000] [--sample 0.01]

The naive loop scores every pair of the first `sample` share of watches against every notice, with one
Matcher per watch (the same scoring code); its time is scaled to all pairs for the comparison.
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")

import django

django.setup()

from greenbridge.matching.engine import Matcher, NoticeFacts, WatchSpec, cpv_labels  # noqa: E402
from greenbridge.reference.models import CpvCode  # noqa: E402

LANGUAGES = ["en", "ro", "uk", "fr", "de", "it", "es", "pl"]
COUNTRIES = "UA MD RO FR DE IT ES PL NO GR BG HU CZ SK AT BE NL PT SE FI DK LT LV EE HR SI GE AM TN MA".split()  # noqa: SIM905
DIVISIONS = ["45", "90", "65", "09", "31", "42", "50", "71", "77", "34", "72", "33", "38", "44", "39"]


def generate(n_notices: int, n_watches: int, seed: int = 7):
    rng = random.Random(seed)
    codes = list(CpvCode.objects.values_list("code", flat=True))
    by_div: dict[str, list[str]] = {}
    for c in codes:
        by_div.setdefault(c[:2], []).append(c)
    weighted = [c for d in DIVISIONS for c in by_div.get(d, [])]
    labels = cpv_labels()
    now = datetime(2026, 11, 22, tzinfo=UTC)
    notices = []
    for i in range(n_notices):
        pool = weighted if rng.random() < 0.7 else codes
        cpv = rng.sample(pool, rng.choice([1, 1, 2, 3]))
        lang = rng.choice(LANGUAGES)
        texts = [labels.label(c, lang) or labels.label(c, "en") for c in cpv]
        notices.append(
            {
                "id": i + 1,
                "source": "bench",
                "source_id": f"n{i}",
                "title": f"{texts[0]} — {rng.choice(['lot', 'works', 'supply', 'services'])} {i}",
                "titles": {},
                "description": " ".join(texts) * rng.choice([1, 2, 3]),
                "language": lang,
                "notice_type": rng.choice(["competition", "competition", "competition", "planning", "award"]),
                "status": "active",
                "buyer_country": rng.choice(COUNTRIES),
                "cpv_codes": cpv,
                "green_sectors": [],
                "value_amount": Decimal(rng.randrange(10_000, 5_000_000)),
                "value_currency": "EUR",
                "deadline": now + timedelta(days=rng.randrange(-10, 60)),
                "lots": [],
            }
        )
    specific = [c for c in weighted if len(c.rstrip("0")) >= 4]
    watches = []
    for _ in range(n_watches):
        mine = rng.sample(specific, rng.choice([1, 2, 3, 4]))
        lang = rng.choice(["en", "ro", "uk", "fr", "de", "it"])
        words = []
        for c in mine:
            label = labels.label(c, lang).split()
            long = [w.strip(",.()-/") for w in label if len(w) > 5 and w.strip(",.()-/").isalpha()]
            if long:
                words.append(rng.choice(long))
        data = {"cpv_codes": mine, "keywords": words[: rng.choice([0, 1, 2, 3])]}
        if rng.random() < 0.4:
            data["countries"] = rng.sample(COUNTRIES, rng.choice([1, 2, 3, 5]))
        if rng.random() < 0.2:
            data["green_sectors"] = [rng.choice(["water", "wastewater", "renewable_energy", "waste_recycling"])]
        watches.append(WatchSpec.from_data(data))
    return notices, watches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--watches", type=int, default=10_000)
    parser.add_argument("--sample", type=float, default=0.01, help="share of watches in the naive loop")
    parser.add_argument("--naive-notices", type=int, default=10_000, help="notices in the naive loop")
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})  # one core
    t = time.perf_counter()
    rows, specs = generate(args.notices, args.watches)
    print(f"generated {len(rows):,} notices and {len(specs):,} watches in {time.perf_counter() - t:.1f} s")
    now = datetime(2026, 11, 22, tzinfo=UTC)

    t0 = time.perf_counter()
    facts = [NoticeFacts.from_row(r) for r in rows]
    t1 = time.perf_counter()
    matcher = Matcher(specs, now=now)
    t2 = time.perf_counter()
    matches = 0
    for f in facts:
        matches += len(matcher.match(f))
    t3 = time.perf_counter()
    total = t3 - t0
    print(f"indexed: read notices {t1 - t0:.1f} s, compile watches {t2 - t1:.1f} s, match {t3 - t2:.1f} s")
    print(f"indexed total {total:.1f} s for {len(specs) * len(facts):,} pairs: {matches:,} matches")

    sample = specs[: max(1, int(len(specs) * args.sample))]
    sample_facts = facts[: args.naive_notices]
    t4 = time.perf_counter()
    naive_matches = 0
    for spec in sample:
        one = Matcher([spec], now=now)
        for f in sample_facts:
            naive_matches += len(one.match(f))
    t5 = time.perf_counter()
    pairs = len(sample) * len(sample_facts)
    per_pair = (t5 - t4) / pairs
    full = per_pair * len(specs) * len(facts)
    print(
        f"naive: {len(sample)} watches × {len(sample_facts):,} notices = {pairs:,} pairs in {t5 - t4:.1f} s "
        f"({per_pair * 1e6:.1f} µs per pair; {naive_matches:,} matches) -> all pairs ≈ {full / 3600:.1f} h"
    )
    print(
        f"RESULT indexed_s={total:.1f} naive_all_pairs_s={full:.0f} speedup={full / total:.0f} target_met={total < 60}"
    )


if __name__ == "__main__":
    main()
