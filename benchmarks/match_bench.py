"""Matching benchmark: speed (W watches against N new notices with the indexed Matcher, on one core, and
the naive every-pair loop on a 1% sample of the pairs, measured in the same run) and quality (the judged
set, per mode, with "combined + embeddings" when a sentence-transformers model is given).

Notices and watches are generated from the real CPV vocabulary: each notice has 1-3 codes (35% of them
in the divisions green SMEs work in, the rest anywhere), a title and description made of the labels of
its codes in its own language (en, ro, uk, fr, de, it, es, pl), a buyer country among 30, a value, a
type and a deadline. Each watch has 1-3 category-level codes of those divisions (what an SME makes), 0-3
keywords taken from the significant words of its codes' labels in the SME's language (as a user types
them), countries for 40% of them and sectors for 20%. That is a heavy load: about 1.5% of the pairs
match (150 watches for each notice), more than SMEs would read.

    python benchmarks/match_bench.py [--notices 100000] [--watches 10000] [--sample 0.01] [--json]
                                     [--embeddings MODEL]

Each loop runs as the alert run runs its own (the cycle collector every 100,000 new objects:
greenbridge.core.heap.rare_collections). The naive loop scores every pair of a sample (10% of the watches
× 10% of the notices by default: 1% of the pairs) with one Matcher per watch (the same scoring code); its
time is scaled to all pairs.
Quality runs the evaluation of data/judgements/watches_v2.json (greenbridge.matching.evaluation) over the real
notices of its corpus, as of the day the set was judged.
"""

import argparse
import json
import math
import os
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fresh_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")
JUDGEMENTS = ROOT / "data" / "judgements" / "watches_v2.json"
JUDGED_ON = datetime(2026, 12, 3, tzinfo=UTC)

LANGUAGES = ["en", "ro", "uk", "fr", "de", "it", "es", "pl"]
COUNTRIES = "UA MD RO FR DE IT ES PL NO GR BG HU CZ SK AT BE NL PT SE FI DK LT LV EE HR SI GE AM TN MA".split()  # noqa: SIM905
GREEN_SHARE = 0.35  # share of notices in the divisions green SMEs work in
DIVISIONS = ["45", "90", "65", "09", "31", "42", "50", "71", "77", "34", "72", "33", "38", "44", "39"]


def generate(n_notices: int, n_watches: int, seed: int = 7):
    from greenbridge.matching.engine import WatchSpec
    from greenbridge.reference.lexicon import cpv_lexicon
    from greenbridge.reference.models import CpvCode

    rng = random.Random(seed)
    codes = list(CpvCode.objects.values_list("code", flat=True))
    by_div: dict[str, list[str]] = {}
    for c in codes:
        by_div.setdefault(c[:2], []).append(c)
    green_codes = [c for d in DIVISIONS for c in by_div.get(d, [])]
    labels = cpv_lexicon()
    now = JUDGED_ON
    notices = []
    for i in range(n_notices):
        pool = green_codes if rng.random() < GREEN_SHARE else codes
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
    # What an SME makes: categories (5+ significant digits) of the green divisions.
    specific = [c for c in green_codes if len(c.rstrip("0")) >= 5]
    watches = []
    for _ in range(n_watches):
        mine = rng.sample(specific, rng.choice([1, 2, 2, 3]))
        lang = rng.choice(["en", "ro", "uk", "fr", "de", "it"])
        # Keywords as a user types them: a word of the label that says something ("meters", not "services").
        words = [rng.choice(ws) for ws in (labels.significant_words(c, lang) for c in mine) if ws]
        data = {"cpv_codes": mine, "keywords": words[: rng.choice([0, 1, 2, 3])]}
        if rng.random() < 0.4:
            data["countries"] = rng.sample(COUNTRIES, rng.choice([1, 2, 3, 5]))
        if rng.random() < 0.2:
            data["green_sectors"] = [rng.choice(["water", "wastewater", "renewable_energy", "waste_recycling"])]
        watches.append(WatchSpec.from_data(data))
    return notices, watches


def speed(n_notices: int, n_watches: int, sample: float, baselines: bool = True) -> dict:
    from greenbridge.core.compiled import is_compiled
    from greenbridge.core.heap import rare_collections
    from greenbridge.matching import matcher as matcher_module
    from greenbridge.matching.engine import Matcher, NoticeFacts

    rows, specs = generate(n_notices, n_watches)
    t0 = time.perf_counter()
    with rare_collections():  # as the alert run reads its notices
        facts = [NoticeFacts.from_row(r) for r in rows]
    t1 = time.perf_counter()
    matcher = Matcher(specs, now=JUDGED_ON)
    t2 = time.perf_counter()
    matches = 0
    with rare_collections():  # as the alert run matches: watches with the same outcome in one group
        for f in facts:
            for group in matcher.match_grouped(f):
                matches += len(group.watches)
    t3 = time.perf_counter()
    # A tenth of the notices again, in groups and as one Result per watch (what previews and the evaluation
    # use): what making an object per match would cost.
    tenth = facts[: max(1, len(facts) // 10)]
    with rare_collections():
        t_grouped = time.perf_counter()
        for f in tenth:
            matcher.match_grouped(f)
        t_results = time.perf_counter()
        for f in tenth:
            matcher.match(f)
        t_end = time.perf_counter()

    figures = {
        "compiled": is_compiled(matcher_module),
        "notices": len(facts),
        "watches": len(specs),
        "read_s": t1 - t0,
        "compile_s": t2 - t1,
        "match_s": t3 - t2,
        "total_s": t3 - t0,
        "matches": matches,
        "tenth_notices": len(tenth),
        "tenth_grouped_s": t_results - t_grouped,
        "tenth_results_s": t_end - t_results,
        "density": matches / (len(specs) * len(facts)),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if not baselines:
        return figures
    side = math.sqrt(sample)  # the same share of watches and of notices
    sample_specs = specs[: max(1, round(len(specs) * side))]
    sample_facts = facts[: max(1, round(len(facts) * side))]
    t4 = time.perf_counter()
    naive_matches = 0
    with rare_collections():
        for spec in sample_specs:
            one = Matcher([spec], now=JUDGED_ON)
            for f in sample_facts:
                naive_matches += len(one.match(f))
    t5 = time.perf_counter()
    pairs = len(sample_specs) * len(sample_facts)
    naive_all = (t5 - t4) / pairs * len(specs) * len(facts)
    return figures | {
        "before": _speed_before(rows, specs),
        "naive_pairs": pairs,
        "naive_s": t5 - t4,
        "naive_matches": naive_matches,
        "naive_all_pairs_s": naive_all,
        "speedup": naive_all / (t3 - t0),
    }


BEFORE = "0002806"  # main before issue 11: the engine the judged set v2 was built to improve


def _engine_before():
    """The matching engine at BEFORE, read from git into a module of its own (it needs only reference modules
    that still answer the same), so that the same run measures it on the same notices and metrics."""
    import subprocess
    import types

    command = ["git", "show", f"{BEFORE}:greenbridge/matching/engine.py"]
    source = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    module = types.ModuleType("engine_before")
    sys.modules["engine_before"] = module  # dataclasses look their module up
    exec(compile(source, f"engine.py@{BEFORE}", "exec"), module.__dict__)  # noqa: S102 (our own code, from git)
    return module


def _speed_before(rows: list[dict], specs: list) -> dict | None:
    """The engine at BEFORE on the same notices and watches, timed the same way (its facts, compile, match)."""
    from greenbridge.core.heap import rare_collections

    try:
        before = _engine_before()
        old_specs = [before.WatchSpec.from_data(spec.as_data()) for spec in specs]
    except Exception as exc:
        print(f"engine at {BEFORE} not measured: {exc}", file=sys.stderr)
        return None
    t0 = time.perf_counter()
    with rare_collections():
        facts = [before.NoticeFacts.from_row(r) for r in rows]
    t1 = time.perf_counter()
    matcher = before.Matcher(old_specs, now=JUDGED_ON)
    t2 = time.perf_counter()
    with rare_collections():
        matches = sum(len(matcher.match(f)) for f in facts)
    t3 = time.perf_counter()
    return {"read_s": t1 - t0, "compile_s": t2 - t1, "match_s": t3 - t2, "total_s": t3 - t0, "matches": matches}


def quality(embeddings: str | None) -> list[dict]:
    from greenbridge.matching import semantic
    from greenbridge.matching.evaluation import MODES, evaluate, ingest_corpus, load_judgements

    judgements = load_judgements(JUDGEMENTS)
    ingest_corpus(judgements, ROOT / "data")
    reranker = semantic.load(embeddings) if embeddings else None
    rows = [r.as_dict() for r in evaluate(judgements, now=JUDGED_ON, reranker=reranker)]
    # The same combination measured against every judged notice, a watch's own countries notwithstanding.
    [unscoped] = evaluate(judgements, {"combined": MODES["combined"]}, now=JUDGED_ON, scoped=False)
    rows.append(unscoped.as_dict() | {"mode": "combined, every judged notice"})
    try:
        before = _engine_before()
    except Exception as exc:
        print(f"engine at {BEFORE} not measured: {exc}", file=sys.stderr)
    else:
        data = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))
        old = judgements | {"specs": {p["id"]: before.WatchSpec.from_data(p["watch"]) for p in data["profiles"]}}
        old_modes = {"combined": frozenset({"cpv", "labels", "keywords", "sectors"})}
        for scoped in (True, False):
            [r] = evaluate(old, old_modes, now=JUDGED_ON, scoped=scoped, engine=before)
            label = f"before (engine at {BEFORE})" + ("" if scoped else ", every judged notice")
            rows.append(r.as_dict() | {"mode": label})
    for r in rows:
        r["pairs"] = judgements["pairs"]
        r["watches"] = len(judgements["specs"])
        r["model"] = reranker.name if reranker and "embeddings" in r["mode"] else None
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--watches", type=int, default=10_000)
    parser.add_argument("--sample", type=float, default=0.01, help="share of the pairs in the naive loop")
    parser.add_argument("--embeddings", metavar="MODEL", help="a sentence-transformers model for the last row")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-quality", action="store_true", help="measure speed only")
    parser.add_argument(
        "--no-baselines", action="store_true", help="no naive loop, no engine before issue 11: this engine's speed only"
    )
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})  # one core
    with fresh_database():
        result = {
            "speed": speed(args.notices, args.watches, args.sample, baselines=not args.no_baselines),
            "quality": [] if args.no_quality else quality(args.embeddings),
        }
    if args.json:
        print(json.dumps(result))
        return
    sp = result["speed"]
    print(
        f"{sp['watches']:,} watches × {sp['notices']:,} notices ({'compiled' if sp['compiled'] else 'from source'}): "
        f"read {sp['read_s']:.1f} s, compile {sp['compile_s']:.1f} s, match {sp['match_s']:.1f} s = "
        f"{sp['total_s']:.1f} s; {sp['matches']:,} matches ({sp['density']:.2%} of the pairs)"
    )
    if "naive_s" in sp:
        print(
            f"naive loop {sp['naive_pairs']:,} pairs in {sp['naive_s']:.1f} s -> all pairs ≈ "
            f"{sp['naive_all_pairs_s']:,.0f} s ({sp['speedup']:.0f}× slower)"
        )
    for q in result["quality"]:
        figures = f"P@10 {q['precision_at_10']:.3f}  R@50 {q['recall_at_50']:.3f}  nDCG@10 {q['ndcg_at_10']:.3f}"
        print(f"{q['mode']:<22} {figures}")


if __name__ == "__main__":
    main()
