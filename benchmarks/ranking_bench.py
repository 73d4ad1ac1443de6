"""Target markets over a large history: the ranking of 20 company profiles (1 to 8 CPV codes at every level of the
vocabulary, or green sectors only) and of one cluster of those 20 companies together, over the notices of
market_bench.py's generator (the same 30 markets, firms and buyers), as the page computes it
(`ranking.rank_markets`: the market per country in two windows of 3 years, seven factors). p50 and p95.

`python benchmarks/ranking_bench.py [N] [--json]` (default N = 1,000,000 notices).
"""

import json
import random
import sys
import time
from pathlib import Path

from assessment_bench import percentile
from market_bench import history_rows

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fresh_database  # noqa: E402


def run(n: int = 1_000_000) -> dict:
    with fresh_database():
        from greenbridge.market import ranking
        from greenbridge.market.history import store
        from greenbridge.market.services import refresh_facts
        from greenbridge.reference.green import sectors
        from greenbridge.reference.models import CpvCode

        codes = sorted(CpvCode.objects.values_list("code", flat=True))
        now_year = time.gmtime().tm_year
        start = time.perf_counter()
        store(history_rows(n, seed=14, first_id=1, years=range(now_year - 9, now_year + 1)), batch=50_000)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        refresh_facts(complete=True)
        refreshed = time.perf_counter() - start
        print(f"{n} notices generated in {generated:.0f} s, facts in {refreshed:.0f} s", file=sys.stderr)

        rng = random.Random(3)
        slugs = [s.slug for s in sectors()]
        profiles = []
        for i in range(20):
            if i % 5 == 4:
                chosen = tuple(rng.sample(slugs, 2))
                profiles.append(ranking.Ranker(name=f"p{i}", home=frozenset({"RO"}), sectors=chosen))
                continue
            picked = [rng.choice(codes) for _ in range(rng.randint(1, 8))]
            profiles.append(
                ranking.Ranker(
                    name=f"p{i}", home=frozenset({"RO"}), cpv=ranking.cpv_prefixes(picked), languages=frozenset({"ro"})
                )
            )
        cluster = ranking.Ranker(
            name="cluster",
            home=frozenset({"RO"}),
            cpv=ranking.cpv_prefixes(c for p in profiles for c in p.cpv),
            sectors=tuple(sorted({s for p in profiles for s in p.sectors})),
        )
        times, shapes = [], []
        for profile in [*profiles, cluster]:
            start = time.perf_counter()
            rows = ranking.rank_markets(profile, year=now_year)
            times.append(time.perf_counter() - start)
            shapes.append(f"{len(profile.cpv)} prefixes" if profile.cpv else "sectors")
            ms = times[-1] * 1000
            print(f"{profile.name}: {shapes[-1]} -> {len(rows)} countries in {ms:.0f} ms", file=sys.stderr)
        return {
            "notices": n,
            "profiles": len(times),
            "p50_ms": percentile(times[:-1], 50) * 1000,
            "p95_ms": percentile(times[:-1], 95) * 1000,
            "cluster_ms": times[-1] * 1000,
            "cluster_prefixes": len(cluster.cpv),
            "slowest": sorted(zip(times, shapes, strict=True), reverse=True)[:3],
        }


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    result = run(int(args[0]) if args else 1_000_000)
    print(json.dumps(result) if "--json" in sys.argv else result)
