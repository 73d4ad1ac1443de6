"""Target markets: each factor by its rule on hand-made notices, the composite, the explanation, the weights (saved
per person, bounded as the model is) and the page with its map."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from lxml import html

from greenbridge.events.models import Event
from greenbridge.market import maps, ranking
from greenbridge.market.models import RankingWeights
from greenbridge.market.services import refresh_facts
from greenbridge.orgs.models import Membership, Organisation
from greenbridge.partnering.models import Partnership
from tests.conftest import make_notice
from tests.market.test_figures import award

pytestmark = pytest.mark.django_db
YEAR = timezone.now().year  # recent: YEAR-2..YEAR; before: YEAR-5..YEAR-3 (the page ranks as of today)


def day(y, m=6, d=1):
    return datetime(y, m, d, 10, tzinfo=UTC)


def notice(source_id, country, year, cpv="45232400", value=1_000_000, **fields):
    fields.setdefault("green_sectors", ["water"] if cpv.startswith("45") else [])
    make_notice(
        source_id,
        buyer_country=country,
        buyer_name=f"Buyer {country}",
        published=day(year),
        cpv_codes=[cpv],
        value_amount=Decimal(value),
        value_currency="EUR",
        procedure_type="open",
        **fields,
    )


@pytest.fixture
def sme():
    """A Romanian water-works company speaking Romanian, with a partner in Moldova and an event there."""
    me = Organisation.objects.create(
        name="Apa RO", slug="apa-ro", kind="sme", country="RO", cpv_codes=["45232400-6"], languages=["ro", "en"]
    )
    partner = Organisation.objects.create(name="Apa MD", slug="apa-md", kind="sme", country="MD")
    p = Partnership.objects.create(kind="joint_bid", title="Joint bid", date=day(YEAR - 1).date(), stage="signed")
    p.organisations.add(me, partner)
    starts = timezone.now() + timedelta(days=40)
    event = Event.objects.create(
        slug="chisinau-b2b", title="Chișinău B2B", status="published", country="MD",
        starts=starts, ends=starts + timedelta(hours=6),
    )  # fmt: skip
    event.organisers.add(me)
    # Ukraine: 3 recent notices (3 M€), 1 before; 2 awards, one to a foreign firm; 2 and 4 tenders.
    notice("ua-1", "UA", YEAR - 1)
    notice("ua-2", "UA", YEAR)
    notice(
        "ua-3",
        "UA",
        YEAR,
        notice_type="award",
        status="awarded",
        awards=[award(None, tenderers=2, country="PL"), award(None, tenderers=4, country="UA")],
    )
    notice("ua-0", "UA", YEAR - 4)
    # Moldova: 2 recent (400 k€), 2 before; one award, one tender, local winner.
    notice("md-1", "MD", YEAR, value=200_000)
    notice(
        "md-2", "MD", YEAR, value=200_000, notice_type="award", status="awarded",
        awards=[award(None, tenderers=1, country="MD")],
    )  # fmt: skip
    notice("md-0", "MD", YEAR - 3)
    notice("md-00", "MD", YEAR - 5)
    notice("ro-1", "RO", YEAR, value=9_000_000)  # home: left out
    notice("fr-1", "FR", YEAR, cpv="33100000")  # another market
    refresh_facts()
    return me


def by_country(rows):
    return {r.country: r for r in rows}


def test_cpv_codes_are_read_as_the_prefixes_they_stand_for():
    assert ranking.cpv_prefixes(["45232400-6", "45232410", "90400000", "09", "x", "45"]) == ("09", "45", "904")
    many = [f"45{i:02d}1000" for i in range(30)]
    assert ranking.cpv_prefixes(many) == ("450", "451", "452")


def test_each_factor_by_its_rule_and_the_composite(sme):
    who = ranking.ranker_for(sme)
    assert (who.home, who.cpv, dict(who.partners), dict(who.events)) == (
        frozenset({"RO"}),
        ("452324",),
        {"MD": 1},
        {"MD": 1},
    )
    rows = ranking.rank_markets(who, year=YEAR)
    countries = by_country(rows)
    assert "RO" not in countries  # home
    assert "FR" not in countries  # no notice of this market, not a partner country
    assert "GE" in countries  # a partner country without notices: ranked, size 0
    ua = {f.key: f for f in countries["UA"].factors}
    md = {f.key: f for f in countries["MD"].factors}
    assert ua["size"].score == 1.0
    assert md["size"].score == pytest.approx(12.899 / 14.914, abs=1e-3)  # log1p(400k) / log1p(3M)
    assert ua["growth"].score == pytest.approx(0.5 + 0.5 * 0.96403, abs=1e-4)  # 3 against 1: tanh(2)
    assert md["growth"].score == 0.5  # 2 against 2
    assert (ua["openness"].score, md["openness"].score) == (1.0, 0.0)  # 50% is the most open
    assert ua["competition"].score == pytest.approx(0.6)  # 3 tenders a contract
    assert md["competition"].score == 1.0
    assert ua["integrity"].score == 1.0  # no single bid, all open
    assert md["integrity"].score == 0.5  # single bid 100%, all open
    assert ua["proximity"].score == 0.0
    assert md["proximity"].score == pytest.approx(0.4 + 0.1 + 0.15)  # Romanian; 1 partner of 3; 1 event of 2
    assert ua["funding"].score == md["funding"].score == 1.0  # the Neighbourhood and each its own facility
    assert countries["GE"].factors[-1].score == 0.5  # the Neighbourhood only
    # Without a notice, nothing of its market counts (not a middle score): GE's score is its funding's.
    assert [f.score for f in countries["GE"].factors[:5]] == [0.0] * 5
    assert countries["GE"].score == round(100 * weights_funding_share(0.5), 1)
    weights = ranking.DEFAULT_WEIGHTS
    expected = sum(weights[k] * f.score for k, f in ua.items()) / sum(weights.values()) * 100
    assert countries["UA"].score == round(expected, 1)
    assert [r.country for r in rows[:2]] == ["UA", "MD"]
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def weights_funding_share(score: float) -> float:
    weights = ranking.DEFAULT_WEIGHTS
    return weights["funding"] * score / sum(weights.values())


def test_the_ranking_explains_itself(sme):
    rows = by_country(ranking.rank_markets(ranking.ranker_for(sme), year=YEAR))
    assert rows["UA"].explanation == (
        f"Ukraine ranks no. 1: €3M in notices for your CPV codes, {YEAR - 2}–{YEAR}; "
        "50% of awards won by foreign firms; growing: 3 notices against 1."
    )
    assert rows["MD"].explanation == (
        f"Moldova ranks no. 2: €400K in notices for your CPV codes, {YEAR - 2}–{YEAR}; "
        "0% of awards won by foreign firms; Romanian in common, 1 partner there, 1 event planned there."
    )
    assert rows["GE"].explanation.endswith(f": no notices for your CPV codes, {YEAR - 2}–{YEAR}.")


def test_weights_change_the_order_and_unknown_weights_fall_back(sme):
    who = ranking.ranker_for(sme)
    only_proximity = dict.fromkeys(RankingWeights.FACTORS, 0) | {"proximity": 100}
    assert ranking.rank_markets(who, only_proximity, year=YEAR)[0].country == "MD"
    assert ranking.clean_weights(dict.fromkeys(RankingWeights.FACTORS, 0)) == ranking.DEFAULT_WEIGHTS
    assert ranking.clean_weights({"size": "x", "growth": 1000}) == ranking.DEFAULT_WEIGHTS | {"growth": 100}


def test_a_company_without_codes_or_sectors_is_asked_for_them(sme, client):
    sme.cpv_codes = []
    sme.save()
    user = get_user(sme)
    client.force_login(user)
    page = client.get(f"/market/ranking/{sme.slug}/").content.decode()
    assert "add CPV codes or green sectors to the profile" in page


def get_user(org):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=f"u-{org.slug}", email=f"u@{org.slug}.example")
    Membership.objects.create(user=user, organisation=org, role=Membership.Role.ADMIN)
    return user


def test_the_page_its_map_and_the_saved_weights(sme):
    client = Client()
    client.force_login(get_user(sme))
    url = f"/market/ranking/{sme.slug}/"
    page = html.fromstring(client.get(url).content)
    ranked = page.xpath('//li[@class="ranking__row"]/@id')
    assert ranked[:2] == ["rank-UA", "rank-MD"]
    shapes = {p.get("data-country"): p for p in page.xpath("//svg//a/path")}
    assert set(shapes) == {r.removeprefix("rank-") for r in ranked}  # every ranked country linked on the map
    assert shapes["UA"].getparent().get("href") == "#rank-UA"
    assert shapes["UA"].get("fill") == maps.colour(float(page.xpath('//li[@id="rank-UA"]//meter/@value')[0]))
    home = page.xpath('//svg/path[title="Romania"]')  # home: drawn, not ranked, not linked
    assert [p.get("fill") for p in home] == [maps.HOME]

    weights = dict.fromkeys(RankingWeights.FACTORS, "0") | {"proximity": "100"}
    response = client.post(url, weights)
    assert response.status_code == 302
    assert RankingWeights.objects.get(user__username=f"u-{sme.slug}").proximity == 100
    page = html.fromstring(client.get(url).content)
    assert page.xpath('//li[@class="ranking__row"]/@id')[0] == "rank-MD"

    for bad, message in (
        ({"proximity": "101"}, "less than or equal to 100"),
        ({"proximity": "-5"}, "greater than or equal to 0"),
        ({"proximity": "1e309"}, "Enter a whole number"),
        (dict.fromkeys(RankingWeights.FACTORS, "0"), "Give at least one factor a weight above 0."),
    ):
        response = client.post(url, weights | bad)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert RankingWeights.objects.get(user__username=f"u-{sme.slug}").proximity == 100  # unchanged

    client.post(url, {"reset": "1"})
    assert not RankingWeights.objects.filter(user__username=f"u-{sme.slug}").exists()


def test_a_cluster_ranks_for_its_members_together(orgs):
    who = ranking.ranker_for(orgs["cluster"])
    members = Organisation.objects.filter(cluster_links__cluster=orgs["cluster"])
    assert who.members  # members abroad count as proximity
    assert set(who.cpv) >= set(ranking.cpv_prefixes(c for m in members for c in m.cpv_codes))
    assert orgs["cluster"].country.code not in {r.country for r in ranking.rank_markets(who)}


def test_the_map_zooms_on_the_ranked_countries():
    whole = maps.outlines()["viewBox"]
    assert maps.view_box([]) == whole
    _, _, width, height = (float(v) for v in maps.view_box(["MD", "UA"]).split())
    assert height <= width < float(whole.split()[2]) / 2


def test_a_company_with_sectors_only_ranks_by_its_sectors(sme):
    sme.cpv_codes = []
    sme.green_sectors = ["water"]
    sme.save()
    who = ranking.ranker_for(sme)
    assert (who.cpv, who.sectors, who.market_name()) == ((), ("water",), "water")
    rows = by_country(ranking.rank_markets(who, year=YEAR))
    assert rows["UA"].explanation.startswith(f"Ukraine ranks no. 1: €3M in notices for water, {YEAR - 2}–{YEAR}; ")
    assert "FR" not in rows


def test_a_person_without_an_organisation_is_told_how_to_rank(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user(username="alone", email="alone@example.com"))
    page = client.get("/market/ranking/").content.decode()
    assert "Markets are ranked for a company or a cluster." in page


def test_languages_in_common_are_the_official_ones_and_those_tenders_are_written_in():
    """Babel's "de facto" languages gave Russian for Ukraine: a Ukrainian reader was told "Russian in common" and saw
    it among Ukraine's official languages. French is not official in Morocco, but its tenders are in French."""
    from greenbridge.market import profiles

    who = ranking.Ranker(name="x", home=frozenset({"RO"}), languages=frozenset({"ru", "fr", "ro"}))
    assert ranking.shared_languages(who, "UA") == []
    assert ranking.shared_languages(who, "MD") == ["ro"]
    assert ranking.shared_languages(who, "MA") == ["fr"]
    assert profiles.official_languages("UA") == ("uk",)
    assert profiles.official_languages("MA") == ("ar", "tzm")
