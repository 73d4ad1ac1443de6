"""Market figures: each definition on hand-made notices (figures.py), the facts kept current after ingestion
and edits, `market stats`, and the monthly euro rates."""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from greenbridge.market.figures import Figures
from greenbridge.market.models import AwardFact, NoticeFact, PartyOverall, Refresh
from greenbridge.market.selectors import Slice, market_figures, market_rows, parties
from greenbridge.market.services import refresh_facts
from greenbridge.reference.tables import monthly_rate, to_eur
from tests.conftest import make_notice

pytestmark = pytest.mark.django_db


def day(y, m, d):
    return datetime(y, m, d, 10, tzinfo=UTC)


def award(value=None, currency="EUR", tenderers=None, country="", sme=None, name="Winner SRL"):
    return {
        "supplier_name": name,
        "supplier_country": country,
        "value_amount": None if value is None else str(value),
        "value_currency": currency,
        "number_of_tenderers": tenderers,
        "supplier_sme": sme,
    }


@pytest.fixture
def market():
    """Moldova and Romania, water and energy, 2021-2022: what each figure below is checked against."""
    make_notice(  # competition, open, 30 days, 100,000 EUR estimated
        "md-1",
        buyer_country="MD",
        buyer_name="Apă-Canal Chișinău",
        published=day(2021, 3, 1),
        deadline=day(2021, 3, 31),
        cpv_codes=["45232400"],
        green_sectors=["water"],
        value_amount=Decimal(100000),
        value_currency="EUR",
        procedure_type="open",
    )
    make_notice(  # competition, open, 10 days (short), 2,114,390 MDL estimated (100,000 EUR at March 2021's rate)
        "md-2",
        buyer_country="MD",
        buyer_name="Apă-Canal Chișinău",
        published=day(2021, 3, 5),
        deadline=day(2021, 3, 15),
        cpv_codes=["45232410"],
        green_sectors=["water", "circular_economy"],
        value_amount=Decimal("2114390"),
        value_currency="MDL",
        procedure_type="open",
    )
    make_notice(  # award notice, no call (direct), two awards: one tender (local), three tenders (foreign, SME)
        "md-3",
        notice_type="award",
        status="awarded",
        buyer_country="MD",
        buyer_name="Primăria Bălți",
        published=day(2022, 6, 1),
        cpv_codes=["09331200"],
        green_sectors=["renewable_energy"],
        value_amount=Decimal(500000),
        value_currency="EUR",
        procedure_type="neg-wo-call",
        awards=[
            award(200000, tenderers=1, country="MD", sme=False, name="Local SRL"),
            award(100000, tenderers=3, country="RO", sme=True, name="Solar RO SA"),
        ],
    )
    make_notice(  # award notice, open, winner country unknown, tenderers unknown, no value
        "ro-1",
        notice_type="award",
        status="awarded",
        buyer_country="RO",
        buyer_name="Compania de Apă Arad",
        published=day(2022, 2, 1),
        cpv_codes=["45232400"],
        green_sectors=["water"],
        procedure_type="open",
        awards=[award(None)],
    )
    make_notice(  # planning, no procedure, 2021
        "ro-2",
        notice_type="planning",
        status="planned",
        buyer_country="RO",
        buyer_name="Compania de Apă Arad",
        published=day(2021, 11, 20),
        cpv_codes=["90400000"],
        green_sectors=["wastewater"],
        value_amount=Decimal(50000),
        value_currency="RON",
    )
    return refresh_facts()


@pytest.mark.parametrize("cpv", [(), ("09", "45"), ("0933", "4523")], ids=["cells", "cells by division", "facts"])
def test_each_figure_of_a_slice_by_its_definition(market, cpv):
    figures = market_figures(Slice(countries=("MD",), cpv=cpv)).details() | parties(Slice(countries=("MD",), cpv=cpv))
    assert figures["notices"] == 3
    assert figures["competitions"] == 2
    assert figures["awards"] == 2
    # md-1 100,000 estimated; md-2 its MDL at March 2021's rate; md-3 awarded 300,000 (its awards), not 500,000
    md2 = 2114390 / monthly_rate("MDL", date(2021, 3, 1))
    assert figures["value_eur_total"] == round(100000 + md2 + 300000, 2)
    assert figures["value_eur_median"] == round(md2, 2)
    assert figures["estimated_eur_total"] == round(100000 + md2 + 500000, 2)
    assert figures["awarded_eur_total"] == 300000
    assert figures["tenderers_mean"] == 2
    assert figures["single_bid_share"] == 0.5
    assert figures["foreign_winner_share"] == 0.5
    assert figures["sme_winner_share"] == 0.5
    # md-1, md-2 open; md-3 negotiated without a call: 2 of 3
    assert figures["open_procedure_share"] == round(2 / 3, 4)
    assert figures["non_open_share"] == round(1 / 3, 4)
    assert figures["without_call_share"] == 1.0
    assert figures["submission_days_median"] == 20.0  # 30 and 10
    assert figures["short_period_share"] == 0.5
    assert figures["months"] == [0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert [(b.name, b.count) for b in figures["top_buyers_by_count"]] == [
        ("Apă-Canal Chișinău", 2),
        ("Primăria Bălți", 1),
    ]
    chisinau = figures["top_buyers_by_count"][0]
    assert (chisinau.non_open_share, chisinau.short_period_share, chisinau.single_bid_share) == (0.0, 0.5, None)
    balti = figures["top_buyers_by_count"][1]
    assert (balti.non_open_share, balti.short_period_share, balti.single_bid_share) == (1.0, None, 0.5)
    assert [(w.name, w.value_eur) for w in figures["top_winners_by_value"]] == [
        ("Local SRL", 200000.0),
        ("Solar RO SA", 100000.0),
    ]


def test_nothing_known_gives_none_not_zero(market):
    figures = market_figures(Slice(countries=("RO",), kinds=("award",))).details()
    assert figures["notices"] == 1
    assert figures["awards"] == 1
    assert figures["value_eur_total"] is None
    assert figures["single_bid_share"] is None
    assert figures["foreign_winner_share"] is None
    assert figures["submission_days_median"] is None
    assert figures["open_procedure_share"] == 1.0
    assert market_figures(Slice(countries=("UA",))).summary() == Figures().summary()


def test_slices_by_sector_cpv_years_and_kind(market):
    assert market_figures(Slice(sectors=("water",))).notices == 3  # md-1, md-2, ro-1
    assert market_figures(Slice(sectors=("water", "wastewater"))).notices == 4
    assert market_figures(Slice(cpv=("4523",))).notices == 3
    assert market_figures(Slice(cpv=("45232410",))).notices == 1
    assert market_figures(Slice(cpv=("09", "90"))).notices == 2
    assert market_figures(Slice(year_from=2022)).notices == 2
    assert market_figures(Slice(year_to=2021, countries=("RO", "MD"))).notices == 3
    assert market_figures(Slice(kinds=("competition", "planning"))).notices == 3


def test_stats_rows_group_and_leave_other_keys_null(market):
    rows = market_rows(Slice(), ["country", "year"])
    assert [(r["country"], r["year"], r["notices"]) for r in rows] == [
        ("MD", 2021, 2),
        ("MD", 2022, 1),
        ("RO", 2021, 1),
        ("RO", 2022, 1),
    ]
    assert all(r["sector"] is None and r["cpv_division"] is None for r in rows)
    by_sector = {r["sector"]: r["notices"] for r in market_rows(Slice(countries=("MD",)), ["sector"])}
    # md-2 counts in water and in circular economy
    assert by_sector == {"circular_economy": 1, "renewable_energy": 1, "water": 2}
    only = market_rows(Slice(sectors=("water",)), ["sector", "cpv_division"])
    assert [(r["sector"], r["cpv_division"], r["notices"]) for r in only] == [("water", "45", 3)]


def test_market_stats_command_jsonl_and_csv(market):
    out = io.StringIO()
    call_command("market", "stats", "--by", "country,year", "--country", "md", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert list(rows[0]) == [
        "country",
        "year",
        "sector",
        "cpv_division",
        "notices",
        "competitions",
        "awards",
        "value_eur_total",
        "value_eur_median",
        "tenderers_mean",
        "single_bid_share",
        "foreign_winner_share",
        "open_procedure_share",
        "submission_days_median",
    ]
    assert [(r["country"], r["year"], r["notices"], r["competitions"]) for r in rows] == [
        ("MD", 2021, 2, 2),
        ("MD", 2022, 1, 0),
    ]
    out = io.StringIO()
    call_command("market", "stats", "--by", "cpv_division", "--sector", "water", "--format", "csv", stdout=out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["cpv_division"], r["notices"], r["country"]) for r in table] == [("45", "3", "")]


def test_the_download_has_the_columns_asked_for_named_in_the_readers_language(market, client):
    """It had every key as a column ("country" empty unless grouped by it), headed with the command's keys."""
    from django.utils import translation

    with translation.override("ro"):
        response = client.get("/market/market.csv?country=MD&by=country&by=sector", HTTP_ACCEPT_LANGUAGE="ro")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:5] == ["Țară", "Sector verde", "An", "Anunțuri", "Anunțuri de participare"]
    assert ("Moldova", "Apă", "2021") in {tuple(row[:3]) for row in table[1:]}
    response = client.get("/market/market.csv?country=MD")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Year", "Notices", "Calls"]
    assert [row[:2] for row in table[1:]] == [["2021", "2"], ["2022", "1"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "country,price"], "--by takes one or more of"),
        (["--by", "year,year"], "each once"),
        (["--by", "year", "--country", "Moldova"], "Not a country code: MOLDOVA"),
        (["--by", "year", "--sector", "gold"], "Not a green sector: gold"),
        (["--by", "year", "--cpv", "4"], "2 to 8 digits"),
        (["--by", "year", "--year-from", "2022", "--year-to", "2021"], "first year must not be after"),
        (["--by", "year", "--year-from", "99999"], "from 1950 to 2100"),
    ],
)
def test_market_stats_says_what_is_wrong(market, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("market", "stats", *args, stdout=io.StringIO())


def test_facts_follow_changes_deletions_and_survive_a_bad_record(market, django_capture_on_commit_callbacks):
    from greenbridge.tenders.models import Notice

    notice = Notice.objects.get(source_id="md-1")
    notice.buyer_country = "UA"
    notice.save()
    with django_capture_on_commit_callbacks(execute=True):
        Notice.objects.get(source_id="ro-2").delete()  # its cell is made again once the deletion is committed
    assert market_figures(Slice(countries=("RO",))).notices == 1
    bad = make_notice("bad", buyer_country="MD", published=day(2022, 1, 1), awards=["not an award", {"x": 1}])
    Notice.objects.filter(pk=bad.pk).update(published=None)  # and a notice without a date
    done = refresh_facts()
    assert done.notices == 2
    assert not done.complete
    assert NoticeFact.objects.get(notice=notice).country == "UA"
    assert not NoticeFact.objects.filter(notice__source_id="ro-2").exists()
    assert NoticeFact.objects.get(notice=bad).year is None
    assert AwardFact.objects.filter(notice=bad).count() == 1  # the dict is an award (of nobody); the text is not
    assert market_figures(Slice()).notices == 5
    again = refresh_facts(complete=True)
    assert again.complete
    assert again.notices == 5
    assert Refresh.objects.count() == 3


def test_refresh_follows_ingestion(data_dir):
    from greenbridge.tenders.services import notices_ingest

    notices_ingest(connector="eforms", location=str(data_dir / "ted_r209"), source="ted")
    assert NoticeFact.objects.count() == 73
    # The Spanish concession award notice of 2020 (F23, 314701-2020) awards 74 contracts; the Polish 238-lot
    # award notice of 2018, 82 (the other 156 lots were not awarded).
    (es,) = market_rows(Slice(countries=("ES",), year_from=2020, year_to=2020), ["year"])
    assert (es["notices"], es["awards"]) == (1, 74)
    (pl,) = market_rows(Slice(countries=("PL",), year_from=2018, year_to=2018, kinds=("award",)), ["year"])
    assert (pl["notices"], pl["awards"]) == (1, 82)


def test_many_runs_within_one_refresh_make_the_figures_once_as_it_ends(data_dir):
    """demo_setup's sixteen sample files: one refresh after the last run, not one after each."""
    from greenbridge.market.tasks import one_refresh
    from greenbridge.tenders.models import Notice
    from greenbridge.tenders.services import notices_ingest

    with one_refresh():
        for name in ("cn_24_open.xml", "can_24_minimal.xml", "cn_25.xml"):
            notices_ingest(connector="eforms", location=str(data_dir / "eforms" / "sdk_examples" / name))
        assert not Refresh.objects.exists()
        assert not NoticeFact.objects.exists()
    assert Refresh.objects.count() == 1
    assert NoticeFact.objects.count() == Notice.objects.count() == 3
    notices_ingest(connector="eforms", location=str(data_dir / "eforms" / "sdk_examples" / "pin-only_24.xml"))
    assert Refresh.objects.count() == 2  # outside it, after each run again
    assert NoticeFact.objects.count() == 4


def test_monthly_rates():
    assert monthly_rate("EUR", date(2019, 5, 1)) == 1.0
    assert monthly_rate("RON", date(2021, 3, 17)) == 4.88836  # the ECB's 23 daily rates of March 2021, averaged
    assert monthly_rate("UAH", date(2021, 3, 1)) == 33.0839  # the NBU's rate of 15 March 2021
    assert monthly_rate("MDL", date(2021, 3, 1)) == 21.1439
    assert monthly_rate("usd", date(2021, 3, 1)) == 1.18991
    assert monthly_rate("RON", date(2009, 12, 1)) is None  # before the table
    assert monthly_rate("XYZ", date(2021, 3, 1)) is None
    assert monthly_rate("UAH", date(2022, 10, 1)) == monthly_rate("UAH", date(2022, 7, 1))  # 3 months on
    assert monthly_rate("UAH", date(2024, 1, 1)) is None  # years after the NBU series ends: not converted
    assert to_eur(Decimal("33083.9"), "UAH", date(2021, 3, 2)) == pytest.approx(1000)
    assert to_eur(None, "UAH", date(2021, 3, 2)) is None


def _totals_summed_from_the_facts() -> list:
    """The buyers' and winners' totals summed here in Python, each indicator as figures.py defines it."""
    from greenbridge.market.figures import SHORT_PERIOD_DAYS
    from greenbridge.market.models import PartyTotal

    closed = ("selective", "limited", "direct")
    buyers, winners = {}, {}
    for f in NoticeFact.objects.exclude(buyer_key=""):
        t = buyers.setdefault((f.country, f.year, f.kind, f.buyer_key), PartyTotal(role="b", name=""))
        t.name = max(t.name, f.buyer)
        t.count += 1
        value = f.awarded_eur if f.awarded_eur is not None else f.estimated_eur
        t.value_eur += value or 0
        t.method_known += f.kind in ("competition", "award") and f.method != ""
        t.non_open += f.kind in ("competition", "award") and f.method in closed
        t.periods_known += f.submission_days is not None
        t.short_periods += f.submission_days is not None and f.submission_days < SHORT_PERIOD_DAYS
    for a in AwardFact.objects.all():
        buyer = buyers.get((a.country, a.year, a.kind, a.buyer_key))
        if a.buyer_key and buyer is not None:
            buyer.tenderers_known += a.tenderers is not None
            buyer.single_bids += a.tenderers == 1
        if a.winner_key:
            t = winners.setdefault((a.country, a.year, a.kind, a.winner_key), PartyTotal(role="w", name=""))
            t.name, t.party_country = max(t.name, a.winner), max(t.party_country, a.winner_country)
            t.count += 1
            t.value_eur += a.value_eur or 0
    for totals in (buyers, winners):
        for (country, year, kind, key), t in totals.items():
            t.country, t.year, t.kind, t.key = country, year, kind, key
    return [*buyers.values(), *winners.values()]


def _coarse_and_totals_agree_with_the_facts():
    """Every level-0 and level-1 cell is its fine cells merged, and every buyer's and winner's total is its facts
    summed (what the selectors read for slices without sectors or CPV codes)."""
    from greenbridge.market.figures import ARRAYS, COUNTS
    from greenbridge.market.models import MarketCell, PartyTotal

    def state(cells):
        figures = Figures()
        for row in cells.values_list(*COUNTS, *ARRAYS):
            figures.add_state(row[: len(COUNTS)], row[len(COUNTS) :])
        return figures.details()

    groups = set(MarketCell.objects.values_list("country", "year", "kind"))
    for country, year, kind in groups:
        fine = MarketCell.objects.filter(level=MarketCell.FINE, country=country, year=year)
        if kind != "*":
            coarse = MarketCell.objects.get(level=MarketCell.KINDS, country=country, year=year, kind=kind)
            assert state(MarketCell.objects.filter(pk=coarse.pk)) == state(fine.filter(kind=kind))
    for country, year in {(c, y) for c, y, _ in groups}:
        fine = MarketCell.objects.filter(level=MarketCell.FINE, country=country, year=year)
        whole = MarketCell.objects.filter(level=MarketCell.YEARS, country=country, year=year)
        assert state(whole) == state(fine)

    def totals(rows):
        flags = ("method_known", "non_open", "periods_known", "short_periods", "tenderers_known", "single_bids")
        return sorted(
            (
                r.role,
                r.country,
                r.year,
                r.kind,
                r.key,
                r.name,
                r.count,
                round(r.value_eur, 2),
                *tuple(getattr(r, f) for f in flags),
            )
            for r in rows
        )

    assert totals(PartyTotal.objects.all()) == totals(_totals_summed_from_the_facts())

    # Each party's totals per country and over every country: its totals summed, named as its latest.
    overall = {}
    for r in PartyTotal.objects.order_by("pk"):
        for country in (r.country, PartyOverall.EVERY):
            o = overall.setdefault((r.role, country, r.key), {"count": 0, "value_eur": 0.0, "single_bids": 0})
            o |= {"name": r.name, "party_country": r.party_country}
            o["count"] += r.count
            o["value_eur"] += r.value_eur
            o["single_bids"] += r.single_bids
    kept = {
        (o.role, o.country, o.key): {"count": o.count, "value_eur": o.value_eur, "single_bids": o.single_bids,
                                     "name": o.name, "party_country": o.party_country}
        for o in PartyOverall.objects.all()
    }  # fmt: skip
    assert kept.keys() == overall.keys()
    for key, o in overall.items():
        assert kept[key] == o | {"value_eur": pytest.approx(o["value_eur"])}


def test_coarse_cells_and_totals_follow_every_change(market, django_capture_on_commit_callbacks, data_dir):
    from greenbridge.tenders.models import Notice
    from greenbridge.tenders.services import notices_ingest

    _coarse_and_totals_agree_with_the_facts()
    notices_ingest(connector="eforms", location=str(data_dir / "ted_r209"), source="ted")
    _coarse_and_totals_agree_with_the_facts()
    Notice.objects.filter(source_id="md-3").update(buyer_country="RO", notice_type="competition")
    Notice.objects.filter(source="ted", buyer_country="PL").update(buyer_name="Gmina Opole")
    refresh_facts()
    _coarse_and_totals_agree_with_the_facts()
    with django_capture_on_commit_callbacks(execute=True):
        Notice.objects.filter(source="ted", buyer_country="ES").delete()
    _coarse_and_totals_agree_with_the_facts()
    assert market_figures(Slice(countries=("ES",))).notices == 0


def test_values_without_a_rate_for_their_month_are_counted_apart():
    make_notice(
        "ua-2024", buyer_country="UA", published=day(2024, 5, 2), value_amount=Decimal(1000), value_currency="UAH"
    )
    make_notice(
        "ua-2021", buyer_country="UA", published=day(2021, 3, 2), value_amount=Decimal("33083.9"),
        value_currency="UAH",
    )  # fmt: skip
    refresh_facts()
    figures = market_figures(Slice(countries=("UA",))).details()
    assert figures["unconverted"] == 1  # no NBU rate after mid-2022 in the table shipped
    assert figures["estimated_eur_total"] == pytest.approx(1000, abs=0.01)


def test_a_prefix_inside_another_counts_once(market):
    nested = market_figures(Slice(countries=("MD",), cpv=("45", "4523", "452324", "09"))).summary()
    plain = market_figures(Slice(countries=("MD",), cpv=("45", "09"))).summary()
    assert nested == plain
    assert nested["notices"] == 3


@pytest.fixture
def totals():
    """300 parties of each role in three countries, four years and two kinds, with random counts and values
    (some the same, to test ties), and their overall totals."""
    import random

    from greenbridge.market.models import PartyTotal
    from greenbridge.market.services import rebuild_overall

    rng = random.Random(14)
    rows = []
    for role in ("b", "w"):
        for p in range(300):
            for country in rng.sample(["MD", "RO", "UA"], rng.randint(1, 3)):
                for year in rng.sample([2021, 2022, 2023, 2024], rng.randint(1, 4)):
                    for kind in rng.sample(["award", "competition"], rng.randint(1, 2)):
                        heavy = 50 if p < 5 else 1  # a few big parties, as in real markets
                        rows.append(PartyTotal(
                            role=role, country=country, year=year, kind=kind, key=f"p{p:04d}", name=f"Party {p}",
                            party_country=country, count=rng.randint(1, 5) * heavy,
                            value_eur=float(rng.choice([0, 1000, 2000, rng.randint(1, 10**6)]) * heavy),
                            single_bids=rng.randint(0, 2) if role == "b" else 0,
                        ))  # fmt: skip
    PartyTotal.objects.bulk_create(rows)
    rebuild_overall(None)


@pytest.mark.parametrize(("batch", "candidates"), [(20, 10_000), (20, 40), (500, 2000)])
@pytest.mark.parametrize(
    "market_slice",
    [
        Slice(),
        Slice(year_from=2024, year_to=2024),
        Slice(kinds=("competition",), year_from=2022),
        Slice(countries=("MD",)),
        Slice(countries=("RO",), year_from=2023),
        Slice(countries=("MD", "UA"), kinds=("award",)),
    ],
    ids=["everything", "a year", "a kind since", "a country", "a country since", "two countries"],
)
def test_the_biggest_parties_read_in_order_are_those_of_the_whole_grouping(totals, monkeypatch, market_slice, batch,
                                                                           candidates):  # fmt: skip
    """The biggest buyers and winners found from the overall totals (read in order, or checked in that order until
    none left can pass the n-th, or grouped after all when too many would have to be checked) are those of every
    total of the slice grouped."""
    from greenbridge.market import selectors
    from greenbridge.market.models import PartyTotal

    monkeypatch.setattr(selectors, "BOUND_BATCH", batch)
    monkeypatch.setattr(selectors, "BOUND_CANDIDATES", candidates)
    for role in ("b", "w"):
        for n in (1, 10, 400):
            found = selectors._top_totals(market_slice, role, n)
            rows = market_slice._common(PartyTotal.objects.filter(role=role))
            grouped = selectors._top(selectors._summed(rows, role), n)
            selectors._names(grouped, PartyTotal, ("name", "party_country"))

            def shown(top):
                return [(r["key_"], r["name_"], r["count_"], round(r["value_"], 2), r.get("single_bids_")) for r in top]

            assert [shown(t) for t in found] == [shown(t) for t in grouped], (role, n)


@pytest.mark.parametrize(
    "market_slice",
    [Slice(countries=("MD",)), Slice(sectors=("water",)), Slice(countries=("MD", "RO"), cpv=("4523", "09"))],
    ids=["cells", "cells by sector", "facts"],
)
def test_the_page_reads_the_whole_and_its_years_in_one_pass(market, market_slice):
    from greenbridge.market.selectors import page_figures

    figures = page_figures(market_slice)
    assert figures["years"] == [r for r in market_rows(market_slice, ["year"]) if r["year"] is not None]
    details = market_figures(market_slice).details()
    assert {k: figures[k] for k in details} == details
    assert figures["top_buyers_by_value"] == parties(market_slice)["top_buyers_by_value"]


def test_the_planner_has_the_statistics_of_the_facts_and_totals(market):
    """SQLite chooses the facts' indexes by their statistics: a sector's few notices among five countries' are
    found from the sector, not by reading every fact of the countries."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum gathers its own")
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {row[0] for row in cursor.fetchall()}
    assert {"market_noticefact", "market_awardfact", "market_partytotal", "tenders_noticesector"} <= analysed
    # Once gathered, a refresh after an ingestion run does not gather them again (seconds at a million notices).
    from django.test.utils import CaptureQueriesContext

    make_notice("md-4", buyer_country="MD", published=day(2022, 7, 1), cpv_codes=["45232400"])
    with CaptureQueriesContext(connection) as queries:
        assert refresh_facts().notices >= 1
    assert not [q for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]


@pytest.mark.django_db(transaction=True)
def test_upgrading_fills_the_overall_totals_from_the_totals_already_made():
    """An installation upgraded to the overall totals shows its biggest buyers and winners at once: the migration
    fills them from the totals as a refresh makes them."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from greenbridge.market.services import rebuild_overall

    before, after = [("market", "0004_party_total_cover")], [("market", "0005_party_overall_and_indexes")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        executor.loader.build_graph()
        PartyTotal = executor.loader.project_state(before).apps.get_model("market", "PartyTotal")
        PartyTotal.objects.bulk_create([
            PartyTotal(role="b", country="MD", year=2021, kind="award", key="apa canal", name="Apă-Canal", count=2,
                       value_eur=100.0, single_bids=1),
            PartyTotal(role="b", country="MD", year=2022, kind="award", key="apa canal", name="Apă-Canal SA", count=1,
                       value_eur=50.0, non_open=1),
            PartyTotal(role="w", country="RO", year=2022, kind="award", key="solar", name="Solar", party_country="RO",
                       count=3, value_eur=70.0),
            PartyTotal(role="w", country="MD", year=2022, kind="award", key="solar", name="Solar SA",
                       party_country="RO", count=1, value_eur=5.0),
        ])  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    def overall():
        fields = ("role", "country", "key", "name", "party_country", "count", "value_eur", "non_open", "single_bids")
        return sorted(PartyOverall.objects.values_list(*fields))

    filled = overall()
    assert ("b", "*", "apa canal", "Apă-Canal SA", "", 3, 150.0, 1, 1) in filled
    assert ("w", "*", "solar", "Solar SA", "RO", 4, 75.0, 0, 0) in filled
    assert ("w", "RO", "solar", "Solar", "RO", 3, 70.0, 0, 0) in filled
    rebuild_overall(None)
    assert filled == overall()


def test_the_page_says_which_market_was_chosen_beside_the_folded_filters(market, client):
    page = client.get("/market/?country=MD&country=UA&sector=water&cpv=45&year_from=2020&year_to=2024")
    assert page.context["market_said"] == "Moldova, Ukraine · Water · CPV 45 · 2020–2024"
    assert "Moldova, Ukraine · Water · CPV 45 · 2020–2024</span></summary>" in page.content.decode()
    assert client.get("/market/").context["market_said"] == ""
