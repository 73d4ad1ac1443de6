"""Market figures (issue 14 §6): 1,000,000 notices with about 2,000,000 awards, 50 mixed slices, GreenBridge's
market page and `market stats` against DuckDB answering the same slices over the Parquet export, in the same run.

- The notices are generated (seed fixed): 30 buyer countries (the EU's biggest markets and the partner countries,
  weighted), 2015-2024, half of them calls for tenders, a third award notices (1 to 40 contracts each, mean
  about 6: the awards), real CPV codes with the green sectors the taxonomy gives each code, values in the
  country's currency (UAH and MDL too), procedures, deadlines, 20,000 buyers and 100,000 firms (a fifth of the
  contracts won from another country, a third after a single tender where the count is known).
- Refresh: the market facts and cells made from every notice (`market refresh --all`), and then again for 1,000
  notices changed (what follows an ingestion run of 1,000 notices).
- 50 slices, each asked three ways: GreenBridge's market page (Django's test client, the whole page: figures,
  indicators, years, months, biggest buyers and winners), `market stats --by country,year` (market_rows), and
  DuckDB (the same figures of the page, and the same rows of `market stats`, in SQL over notices.parquet and
  awards.parquet). p50 and p95 of each; DuckDB's rows are checked against GreenBridge's (the same figures).

`python benchmarks/market_bench.py [N] [--json]` (default N = 1,000,000 notices).
"""

import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from assessment_bench import percentile

ROOT = Path(__file__).resolve().parent.parent

# (country, weight, currency)
COUNTRIES = [
    ("PL", 12, "PLN"), ("FR", 12, "EUR"), ("DE", 10, "EUR"), ("IT", 8, "EUR"), ("ES", 7, "EUR"), ("RO", 6, "RON"),
    ("CZ", 4, "CZK"), ("NL", 3, "EUR"), ("SE", 3, "SEK"), ("BE", 3, "EUR"), ("AT", 2, "EUR"), ("HU", 2, "HUF"),
    ("PT", 2, "EUR"), ("BG", 2, "BGN"), ("SK", 2, "EUR"), ("DK", 2, "DKK"), ("FI", 2, "EUR"), ("GR", 2, "EUR"),
    ("MD", 3, "MDL"), ("UA", 5, "UAH"), ("GE", 1, "GEL"), ("AM", 1, "AMD"), ("AZ", 1, "AZN"), ("EG", 1, "EGP"),
    ("TN", 1, "TND"), ("MA", 1, "MAD"), ("JO", 1, "JOD"), ("LB", 1, "USD"), ("RS", 1, "RSD"), ("AL", 1, "ALL"),
]  # fmt: skip
PROCEDURES = [("open", 65), ("restricted", 10), ("neg-w-call", 8), ("neg-wo-call", 10), ("", 7)]
KINDS = [("competition", 50), ("award", 35), ("planning", 10), ("other", 5)]
SLICES_SEED = 14
EMPTY = dict(ocid="", procedure_id="", description="", language="", titles={}, descriptions={}, nuts_codes=[])
EMPTY |= dict(ojs_number="", url="", lots=[], green_flags=[], raw="", raw_format="json")

# The procedure's method, as tenders.procedures.PROCEDURES says it (for DuckDB's SQL).
METHOD_SQL = """case lower(procedure_type)
  when 'open' then 'open' when 'selective' then 'selective' when 'restricted' then 'selective'
  when 'neg-w-call' then 'selective' when 'comp-dial' then 'selective' when 'innovation' then 'selective'
  when 'limited' then 'limited' when 'neg-wo-call' then 'limited' when 'direct' then 'direct' else '' end"""


def _choices(rng, pairs, k):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=k)


def generate(n: int, rng: random.Random, first_id: int, codes: list[str], sectors_of, now: datetime):
    """Notice rows (dicts of Notice fields) and their sector rows."""
    countries = _choices(rng, [(c, w) for c, w, _ in COUNTRIES], n)
    currency = {c: cur for c, _, cur in COUNTRIES}
    kinds = _choices(rng, KINDS, n)
    procedures = _choices(rng, PROCEDURES, n)
    notices, sectors = [], []
    for i in range(n):
        nid = first_id + i
        country, kind = countries[i], kinds[i]
        year = rng.choices(range(2015, 2025), weights=range(6, 16))[0]
        published = datetime(year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(7, 17), tzinfo=UTC)
        code = rng.choice(codes)
        green = sectors_of(code)
        value = Decimal(int(math.exp(rng.gauss(11.5, 1.6)))) if rng.random() < 0.7 else None
        awards = []
        if kind == "award":
            lots = rng.choices([1, rng.randint(2, 5), rng.randint(6, 40)], weights=[50, 30, 20])[0]
            for _ in range(lots):
                local = rng.random() < 0.8
                firm = rng.randrange(100_000)
                tenderers = rng.choices([1, rng.randint(2, 15)], weights=[30, 70])[0] if rng.random() < 0.7 else None
                awards.append(
                    {
                        "supplier_name": f"Firm {firm}",
                        "supplier_country": country if local else rng.choice(COUNTRIES)[0],
                        "value_amount": str(int(math.exp(rng.gauss(10.5, 1.5)))) if rng.random() < 0.8 else None,
                        "value_currency": currency[country],
                        "number_of_tenderers": tenderers,
                        "supplier_sme": rng.random() < 0.6 if rng.random() < 0.6 else None,
                        "lot_ids": [],
                    }
                )
        buyer = rng.randrange(20_000)
        notices.append(
            {
                "id": nid,
                "source": "bench",
                "source_id": f"bench-{nid}",
                "notice_type": kind,
                "title": f"Notice {nid}",
                "buyer_name": f"Buyer {buyer} ({country})",
                "buyer_id": f"{country}-{buyer}",
                "buyer_country": country,
                "cpv_codes": [code],
                "green_sectors": green,
                "value_amount": value,
                "value_currency": currency[country],
                "published": published,
                "deadline": published + timedelta(days=rng.randint(5, 60)) if kind == "competition" else None,
                "procedure_type": procedures[i],
                "status": "active" if kind == "competition" else "awarded" if kind == "award" else "planned",
                "awards": awards,
                "content_hash": str(nid),
                **EMPTY,
                "created": now,
                "updated": now + timedelta(microseconds=nid),  # as ingestion runs leave them: one after another
            }
        )
        sectors.extend((nid, s) for s in green)
    return notices, sectors


def slices(rng: random.Random) -> list[dict]:
    """50 mixed slices, as people ask: countries, country and sector, regions and sector, years, CPV divisions and
    finer codes, a sector everywhere, kinds, everything."""
    eu = [c for c, _, _ in COUNTRIES[:18]]
    partners = [c for c, _, _ in COUNTRIES[18:]]
    green = ["water", "wastewater", "waste_recycling", "renewable_energy", "energy_efficiency", "clean_mobility"]
    out: list[dict] = []
    for c in [*rng.sample(eu, 5), *rng.sample(partners, 5)]:
        out.append({"country": [c]})
    for _ in range(10):
        out.append({"country": [rng.choice(eu + partners)], "sector": [rng.choice(green)]})
    for _ in range(5):
        out.append({"country": rng.sample(partners, 5), "sector": rng.sample(green, 2)})
    for _ in range(5):
        start = rng.randint(2015, 2022)
        out.append({"country": [rng.choice(eu + partners)], "year_from": start, "year_to": start + 2})
    for _ in range(5):
        out.append({"country": [rng.choice(eu + partners)], "cpv": [rng.choice(["45", "90", "09", "31", "71"])]})
    for _ in range(5):
        out.append({"country": [rng.choice(eu + partners)], "cpv": [rng.choice(["4523", "45232", "0931", "9051"])]})
    for _ in range(5):
        out.append({"sector": [rng.choice(green)]})
    for kind in ("competition", "award", "planning"):
        out.append({"kind": [kind], "year_from": 2020})
    out.append({})
    out.append({"year_from": 2024, "year_to": 2024})
    return out


def query_string(s: dict) -> str:
    parts = []
    for key, value in s.items():
        for v in value if isinstance(value, list) else [value]:
            parts.append(f"{key}={v}")
    return "&".join(parts)


def duck_where(s: dict) -> tuple[str, list]:
    """The slice as DuckDB conditions on the notices (n) and their parameters."""
    conds, params = ["true"], []
    if s.get("country"):
        conds.append(f"n.buyer_country in ({', '.join('?' * len(s['country']))})")
        params += s["country"]
    if s.get("sector"):
        conds.append("list_has_any(n.green_sectors, ?::varchar[])")
        params.append(s["sector"])
    if s.get("cpv"):
        conds.append("(" + " or ".join("starts_with(n.cpv_main, ?)" for _ in s["cpv"]) + ")")
        params += s["cpv"]
    if s.get("year_from"):
        conds.append("year(n.published) >= ?")
        params.append(s["year_from"])
    if s.get("year_to"):
        conds.append("year(n.published) <= ?")
        params.append(s["year_to"])
    if s.get("kind"):
        conds.append(f"n.notice_type in ({', '.join('?' * len(s['kind']))})")
        params += s["kind"]
    return " and ".join(conds), params


def duck_figures(con, folder: Path, s: dict, by: list[str]) -> list[tuple]:
    """The figures of `market stats` per group of `by` (columns of n: buyer_country, y), as figures.py defines
    them, in SQL."""
    where, params = duck_where(s)
    keys = ", ".join(by) or "1"
    groups = ", ".join(f"n.{k}" for k in by) or "1"
    sql = f"""
    with n as (
      select *, year(published) as y, {METHOD_SQL} as method from read_parquet('{folder}/notices.parquet') as n
      where {where}
    ),
    a as (select a.*, {groups if by else "1 as one"}, n.buyer_country as bc
          from read_parquet('{folder}/awards.parquet') as a join n on a.notice_id = n.id),
    av as (select notice_id, sum(value_eur) as v from a where value_eur is not null group by notice_id),
    nf as (
      select {keys if by else "1 as one"}, count(*) as notices,
        count(*) filter (where notice_type = 'competition') as competitions,
        sum(coalesce(av.v, n.value_eur)) as value_total, median(coalesce(av.v, n.value_eur)) as value_median,
        count(*) filter (where method = 'open' and notice_type in ('competition', 'award'))
          / nullif(count(*) filter (where method <> '' and notice_type in ('competition', 'award')), 0) as open_share,
        median(case when notice_type = 'competition' and deadline >= published
                     and floor(epoch(deadline - published) / 86400) <= 365
                    then floor(epoch(deadline - published) / 86400) end) as days_median
      from n left join av on av.notice_id = n.id group by {keys if by else 1}
    ),
    af as (
      select {", ".join(f"a.{k}" for k in by) if by else "1 as one"}, count(*) as awards,
        avg(number_of_tenderers) as tenderers_mean,
        count(*) filter (where number_of_tenderers = 1) / nullif(count(number_of_tenderers), 0) as single_share,
        count(*) filter (where supplier_country <> '' and bc <> '' and supplier_country <> bc)
          / nullif(count(*) filter (where supplier_country <> '' and bc <> ''), 0) as foreign_share
      from a group by {", ".join(f"a.{k}" for k in by) if by else 1}
    )
    select nf.*, coalesce(af.awards, 0), af.tenderers_mean, af.single_share, af.foreign_share
    from nf left join af using ({keys if by else "one"}) order by {keys if by else 1}
    """
    return con.execute(sql, params).fetchall()


def duck_page(con, folder: Path, s: dict) -> None:
    """What the market page shows, in DuckDB: the figures, by year, by month, biggest buyers and winners."""
    where, params = duck_where(s)
    duck_figures(con, folder, s, [])
    duck_figures(con, folder, s, ["y"])
    src = f"read_parquet('{folder}/notices.parquet') as n"
    con.execute(f"select month(published), count(*) from {src} where {where} group by 1", params).fetchall()
    for order in ("sum(coalesce(n.value_eur, 0))", "count(*)"):
        con.execute(
            f"select buyer_id, max(buyer_name), count(*), {order} from {src} where {where} "
            f"group by 1 order by 4 desc limit 10",
            params,
        ).fetchall()
    for order in ("sum(coalesce(a.value_eur, 0))", "count(*)"):
        con.execute(
            f"select supplier_name, count(*), {order} from read_parquet('{folder}/awards.parquet') as a "
            f"join {src} on a.notice_id = n.id where {where} group by 1 order by 3 desc limit 10",
            params,
        ).fetchall()


def timed(f, *args):
    start = time.perf_counter()
    value = f(*args)
    return time.perf_counter() - start, value


def run(n: int = 1_000_000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GREENBRIDGE_DATA_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        import duckdb
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test import Client

        from greenbridge.core import bulk
        from greenbridge.market.models import AwardFact, MarketCell, NoticeFact
        from greenbridge.market.selectors import make_slice, market_rows
        from greenbridge.market.services import refresh_facts
        from greenbridge.reference.green import classify
        from greenbridge.reference.models import CpvCode
        from greenbridge.tenders.models import Notice, NoticeSector
        from greenbridge.tenders.parquet import export

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        rng = random.Random(14)
        codes = sorted(CpvCode.objects.values_list("code", flat=True))
        cache: dict[str, list[str]] = {}

        def sectors_of(code: str) -> list[str]:
            if code not in cache:
                cache[code] = classify(cpv_codes=[code], texts=[])
            return cache[code]

        now = datetime.now(UTC)
        fields = None
        start = time.perf_counter()
        made = 0
        while made < n:
            batch, sector_rows = generate(min(50_000, n - made), rng, made + 1, codes, sectors_of, now)
            fields = fields or list(batch[0])
            with transaction.atomic():
                bulk.insert_values(Notice, fields, [[row[f] for f in fields] for row in batch])
                bulk.insert_values(NoticeSector, ["notice", "sector"], sector_rows)
            made += len(batch)
        generated = time.perf_counter() - start
        refresh_seconds, _ = timed(lambda: refresh_facts(complete=True))
        facts, awards, cells = NoticeFact.objects.count(), AwardFact.objects.count(), MarketCell.objects.count()
        print(
            f"{n} notices generated in {generated:.0f} s; facts of {facts} notices and {awards} awards, "
            f"{cells} cells made in {refresh_seconds:.1f} s",
            file=sys.stderr,
        )
        # 1,000 notices changed after an ingestion run: 500 new, 500 updated.
        later = now + timedelta(minutes=1)
        new, new_sectors = generate(500, rng, n + 1, codes, sectors_of, later)
        with transaction.atomic():
            bulk.insert_values(Notice, fields, [[row[f] for f in fields] for row in new])
            bulk.insert_values(NoticeSector, ["notice", "sector"], new_sectors)
            Notice.objects.filter(pk__in=rng.sample(range(1, n + 1), 500)).update(updated=later, value_amount=1000)
        incremental_seconds, incremental = timed(refresh_facts)
        print(
            f"1,000 changed notices: {incremental.notices} read again in {incremental_seconds:.2f} s", file=sys.stderr
        )
        folder = Path(tmp) / "parquet"
        export_seconds, exported = timed(export, folder)
        print(f"Parquet export in {export_seconds:.1f} s: {exported}", file=sys.stderr)

        con = duckdb.connect()
        con.execute("set threads to 2")
        client = Client()
        cases = slices(random.Random(SLICES_SEED))
        page, stats, duck_p, duck_s, slowest = [], [], [], [], []
        same = 0
        for s in cases:
            url = "/market/?" + query_string(s)
            market = make_slice(
                countries=s.get("country", []), sectors=s.get("sector", []), cpv=s.get("cpv", []),
                year_from=s.get("year_from"), year_to=s.get("year_to"), kinds=s.get("kind", []),
            )  # fmt: skip
            client.get(url)  # warm: the first request of a kind loads templates
            for _ in range(3):
                t, response = timed(client.get, url)
                assert response.status_code == 200, url
                page.append(t)
                t, rows = timed(market_rows, market, ["country", "year"])
                stats.append(t)
                t, _ = timed(duck_page, con, folder, s)
                duck_p.append(t)
                t, duck_rows = timed(duck_figures, con, folder, s, ["buyer_country", "y"])
                duck_s.append(t)
            same += _same(rows, duck_rows)
            slowest.append((statistics.median(page[-3:]), query_string(s), market))
        # Where the slowest pages spend their time.
        from greenbridge.market.selectors import market_figures, parties

        for seconds, url, market in sorted(slowest, key=lambda x: x[0], reverse=True)[:5]:
            parts = [
                timed(market_figures, market)[0],
                timed(parties, market)[0],
                timed(market_rows, market, ["year"])[0],
            ]
            print(
                f"page {seconds * 1000:.0f} ms ?{url}: figures {parts[0] * 1000:.0f} ms, buyers and winners "
                f"{parts[1] * 1000:.0f} ms, years {parts[2] * 1000:.0f} ms",
                file=sys.stderr,
            )
        connection.close()

    def p(values, q):
        return round(percentile(values, q) * 1000, 1)

    result = {
        "notices": n,
        "awards": awards,
        "cells": cells,
        "generate_s": round(generated, 1),
        "refresh_all_s": round(refresh_seconds, 1),
        "refresh_1000_s": round(incremental_seconds, 2),
        "export_parquet_s": round(export_seconds, 1),
        "slices": len(cases),
        "same_rows": same,
        "page_p50_ms": p(page, 50),
        "page_p95_ms": p(page, 95),
        "stats_p50_ms": p(stats, 50),
        "stats_p95_ms": p(stats, 95),
        "duckdb_page_p50_ms": p(duck_p, 50),
        "duckdb_page_p95_ms": p(duck_p, 95),
        "duckdb_stats_p50_ms": p(duck_s, 50),
        "duckdb_stats_p95_ms": p(duck_s, 95),
        "duckdb_version": duckdb.__version__,
        "load": os.getloadavg()[0],
    }
    result["page_vs_duckdb"] = round(result["page_p95_ms"] / result["duckdb_page_p95_ms"], 2)
    result["stats_vs_duckdb"] = round(result["stats_p95_ms"] / result["duckdb_stats_p95_ms"], 2)
    return result


def _same(ours: list[dict], theirs: list[tuple]) -> int:
    """1 when DuckDB's rows give the same figures as `market stats` (to rounding), else 0 (and why, on stderr)."""
    keys = ("notices", "competitions", "value_eur_total", "value_eur_median", "open_procedure_share")
    keys += ("submission_days_median", "awards", "tenderers_mean", "single_bid_share", "foreign_winner_share")
    if len(ours) != len(theirs):
        print(f"rows differ: {len(ours)} vs {len(theirs)}", file=sys.stderr)
        return 0
    for row, duck in zip(ours, theirs, strict=True):
        country, year, *values = duck
        values = [values[i] for i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)]
        if (row["country"], row["year"]) != (country, year):
            print(f"groups differ: {row['country'], row['year']} vs {country, year}", file=sys.stderr)
            return 0
        for key, value in zip(keys, values, strict=True):
            mine = row[key]
            if (mine is None) != (value is None) or (
                mine is not None and not math.isclose(float(mine), float(value), rel_tol=1e-3, abs_tol=0.01)
            ):
                print(f"{country} {year} {key}: {mine} vs {value}", file=sys.stderr)
                return 0
    return 1


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    result = run(int(args[0]) if args else 1_000_000)
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
