"""The partnering marketplace at a large consortium's size: 10,000 open opportunities of 1,000
organisations, titled with real CPV labels in several languages.

- search: 40 mixed queries as the marketplace page runs them (words + kind / sector / country / CPV prefix,
  the count and the first 100 rows);
- recommendations: "worth a look" for 30 organisations, as the marketplace page computes them for a
  signed-in person (a shortlist by codes, sectors and countries, then the full score with words), against
  the baseline measured in the same run: every open opportunity scored in full; and whether both give the
  same top five (by score).

    python benchmarks/marketplace_bench.py [N] [--json]
"""

import csv
import gzip
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fresh_database  # noqa: E402

COUNTRIES = ["UA", "MD", "RO", "TN", "JO", "EG", "GE", "FR", "IT", "ES", "DE", "PL", "GR", "BG", "AM"]
LANGS = ["en", "ro", "fr", "de", "it"]
SECTORS = ["water", "wastewater", "waste_recycling", "renewable_energy", "energy_efficiency", "circular_economy"]


def _cpv() -> list[tuple[str, dict[str, str]]]:
    with gzip.open(ROOT / "greenbridge/reference/data/cpv_2008_main_all_24_languages.csv.gz", "rt") as fh:
        return [(r["CODE_8"], {k.lower(): r[k] for k in ("EN", "RO", "FR", "DE", "IT")}) for r in csv.DictReader(fh)]


def populate(n: int, rng: random.Random, cpv) -> list:
    from greenbridge.orgs.models import Organisation
    from greenbridge.partnering.models import Opportunity

    kinds = [
        Organisation.Kind.SME,
        Organisation.Kind.SME,
        Organisation.Kind.SME,
        Organisation.Kind.PROCURER,
        Organisation.Kind.AUTHORITY,
    ]
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisation {i}",
            slug=f"org-{i}",
            kind=rng.choice(kinds),
            country=rng.choice(COUNTRIES),
            description=" ".join(rng.choice(cpv)[1]["en"] for _ in range(2)),
            cpv_codes=[rng.choice(cpv)[0] for _ in range(rng.randint(1, 4))],
            green_sectors=rng.sample(SECTORS, rng.randint(0, 2)),
        )
        for i in range(max(n // 10, 10))
    )
    expires = date.today() + timedelta(days=300)
    rows = []
    for i in range(n):
        org = rng.choice(orgs)
        codes = [rng.choice(cpv) for _ in range(rng.randint(1, 3))]
        lang = rng.choice(LANGS)
        kind = Opportunity.Kind.PROCUREMENT_NEED if org.kind != "sme" else rng.choice(Opportunity.Kind.values[:5])
        rows.append(
            Opportunity(
                organisation=org,
                kind=kind,
                title=f"{codes[0][1][lang]} — {i}",
                summary=" ".join(c[1][lang] for c in codes),
                description=" ".join(rng.choice(cpv)[1][lang] for _ in range(4)),
                cpv_codes=[c[0] for c in codes],
                green_sectors=rng.sample(SECTORS, rng.randint(0, 2)),
                countries=rng.sample(COUNTRIES, rng.randint(0, 3)),
                expires=expires,
            )
        )
    Opportunity.objects.bulk_create(rows, batch_size=2000)
    return orgs


def _stats(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[max(int(0.95 * len(timings)) - 1, 0)],
        "max_ms": timings[-1],
    }


def run(n: int = 10_000) -> dict:
    with fresh_database():
        from greenbridge.orgs.recommend import describe, recommend
        from greenbridge.partnering import selectors
        from greenbridge.partnering.models import Opportunity

        rng = random.Random(11)
        cpv = _cpv()
        orgs = populate(n, rng, cpv)

        searches, hits = [], []
        for _ in range(40):
            code, labels = rng.choice(cpv)
            word = max(labels["en"].split(), key=len)
            f = selectors.OpportunityFilters(q=word if rng.random() < 0.7 else "")
            choice = rng.randrange(4)
            if choice == 0:
                f.kind = rng.choice(["business_offer", "technology_request", "procurement_need"])
            elif choice == 1:
                f.sector = rng.choice(SECTORS)
            elif choice == 2:
                f.country = rng.choice(COUNTRIES)
            else:
                f.cpv = code[:4]
            start = time.perf_counter()
            qs = selectors.opportunities_search(f)
            hits.append(len(list(qs[:100])))
            searches.append((time.perf_counter() - start) * 1000)

        recs, found, full, same, kept = [], [], [], 0, []
        everything = list(Opportunity.objects.open().select_related("organisation"))
        for org in rng.sample(orgs, 30):
            start = time.perf_counter()
            me = selectors.organisation_profile(org)
            top = selectors.recommended_opportunities(me=me)
            for r in top:
                describe(r.reasons)
            recs.append((time.perf_counter() - start) * 1000)
            found.append(len(top))
            # Baseline, same run: every open opportunity scored in full, words included.
            start = time.perf_counter()
            others = [selectors._opportunity_profile(o) for o in everything if o.organisation_id != org.pk]
            best = recommend(me, others, limit=5)
            full.append((time.perf_counter() - start) * 1000)
            same += [r.score for r in top] == [r.score for r in best]
            kept.append(sum(r.score for r in top) / (sum(r.score for r in best) or 1))
        return {
            "opportunities": n,
            "organisations": len(orgs),
            "search": {**_stats(searches), "queries": len(searches), "median_hits": statistics.median(hits)},
            "recommend": {**_stats(recs), "organisations": len(recs), "median_found": statistics.median(found)},
            "baseline_full_scoring": _stats(full),
            "same_top5_scores": same,
            "top5_score_kept": statistics.mean(kept),
        }


if __name__ == "__main__":
    import json

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    result = run(int(args[0]) if args else 10_000)
    print(json.dumps(result) if "--json" in sys.argv else result)
