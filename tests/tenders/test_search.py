"""Search behaves the same on SQLite (FTS5) and PostgreSQL (tsvector): the suite runs on both."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from greenbridge.tenders import search
from greenbridge.tenders.models import Notice
from greenbridge.tenders.selectors import NoticeFilters, notices_search
from tests.conftest import make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    soon = timezone.now() + timedelta(days=5)
    return {
        "ua": make_notice(
            "ua",
            title="Реконструкція системи водопостачання м. Умань",
            buyer_country="UA",
            cpv_codes=["45232150", "65100000"],
            green_sectors=["water"],
            deadline=soon,
            value_amount=Decimal("2500000"),
            value_currency="UAH",
            published=timezone.now(),
        ),
        "md": make_notice(
            "md",
            title="Lucrări de reabilitare a rețelelor de apă potabilă și canalizare",
            buyer_country="MD",
            cpv_codes=["45232410"],
            green_sectors=["water", "wastewater"],
            deadline=soon + timedelta(days=30),
            value_amount=Decimal("900000"),
            value_currency="MDL",
        ),
        "no": make_notice(
            "no",
            title="Solcelleanlegg på Ås skole",
            description="Levering og montering av solceller",
            buyer_country="NO",
            cpv_codes=["09331200"],
            green_sectors=["renewable_energy"],
            deadline=timezone.now() - timedelta(days=1),
            status="closed",
        ),
        "fr": make_notice(
            "fr",
            title="Fourniture de compteurs d'eau",
            titles={"fr": "Fourniture de compteurs d'eau", "en": "Supply of water meters"},
            buyer_country="FR",
            cpv_codes=["38421100"],
        ),
    }


def ids(**kw) -> list[str]:
    return [n.source_id for n in notices_search(user=None, filters=NoticeFilters(**kw))]


def test_text_in_any_language_with_prefixes_and_accents(corpus):
    assert ids(q="водопостачан") == ["ua"]  # Ukrainian word prefix
    assert ids(q="apa potabila") == ["md"]  # without diacritics finds "apă potabilă"
    assert ids(q="REȚELELOR") == ["md"]  # case and diacritics folded
    assert ids(q="solceller") == ["no"]  # description is searched
    assert ids(q="water meters") == ["fr"]  # other-language titles are searched


def test_phrase_and_exclusion(corpus):
    assert ids(q='"apă potabilă"') == ["md"]
    assert ids(q='"potabilă apă"') == []
    assert sorted(ids(q="water -meters")) == ["md", "ua"]  # across languages (below); "meters" excludes fr
    assert sorted(ids(q="water -meters", exact=True)) == []
    assert ids(q="Умань -водопостачання") == []


def test_hostile_query_text_is_harmless(corpus):
    for q in ['"', "* OR NOT", "'; DROP TABLE tenders_notice; --", "NEAR(a b)", "a:b", "()", "^"]:
        assert isinstance(ids(q=q), list)
    assert Notice.objects.count() == 4


def test_cpv_filter_includes_everything_under_the_code(corpus):
    assert sorted(ids(cpv=["45000000"])) == ["md", "ua"]  # division
    assert ids(cpv=["45232400"]) == ["md"]  # category includes 45232410
    assert ids(cpv=["65100000"]) == ["ua"]  # an additional code counts
    assert sorted(ids(cpv=["09300000", "38400000"])) == ["fr", "no"]


def test_filters_combine(corpus):
    assert ids(countries=["UA", "MD"], sectors=["wastewater"]) == ["md"]
    assert ids(value_min=Decimal("1000000")) == ["ua"]
    assert sorted(ids(value_max=Decimal("1000000"))) == ["md"]
    assert "no" not in ids(open_only=True)
    today = timezone.localdate()
    assert ids(deadline_from=today, deadline_to=today + timedelta(days=10)) == ["ua"]
    assert ids(q="apa", countries=["NO"]) == []
    assert ids(q="apa", countries=["UA"], exact=True) == []
    assert ids(statuses=["closed"]) == ["no"]
    assert ids(deadline_from=date(2000, 1, 1), sort="deadline")[0] == "no"


def test_sorting(corpus):
    assert ids(sort="-value")[:2] == ["ua", "md"]
    assert ids(sort="deadline")[:3] == ["no", "ua", "md"]


def test_relevance_orders_better_matches_first(corpus):
    make_notice("ua2", title="Послуги з водопостачання та водопостачання", buyer_country="UA")
    result = ids(q="водопостачання")
    assert set(result) == {"ua", "ua2"}


def test_reindex_replaces_the_document(corpus):
    n = corpus["fr"]
    search.index_documents([(n.pk, "contoare de apa", "")])
    assert ids(q="compteurs", exact=True) == []
    assert ids(q="compteurs") == ["fr"]  # translated into Romanian: contoar*
    assert ids(q="contoare") == ["fr"]
    search.remove_documents([n.pk])
    assert ids(q="contoare") == []


def test_an_active_notice_past_its_deadline_shows_as_closed(corpus):
    ua, no = corpus["ua"], corpus["no"]
    no.status = "active"
    assert no.current_status == "closed"
    assert no.get_current_status_display() == "Closed"
    ua.status = "active"
    assert ua.current_status == "active"
    assert ua.get_current_status_display() == "Open"


def test_the_demo_history_is_left_out_of_the_e_watch_unless_its_source_is_asked_for(corpus):
    from greenbridge.tenders.models import GENERATED_SOURCE
    from greenbridge.tenders.selectors import notice_stats

    before = notice_stats(user=None)
    Notice.objects.create(
        source=GENERATED_SOURCE, source_id="generated-1", content_hash="g1", title="[Generated] Sewerage work",
        buyer_country="UA", notice_type="award", status="awarded",
    )  # fmt: skip
    assert "generated-1" not in ids()
    assert "generated-1" not in ids(countries=["UA"])
    assert ids(sources=[GENERATED_SOURCE]) == ["generated-1"]
    assert notice_stats(user=None) == before


def test_a_word_that_only_joins_the_others_is_not_required(corpus):
    """ "for" would be a required prefix ("for…"), which neither title of the French notice has."""
    assert ids(q="water for meters") == ids(q="water meters") == ["fr"]  # its English title: "Supply of water meters"
    assert ids(q="compteurs pour eau", exact=True) == ids(q="compteurs eau", exact=True) == ["fr"]
    assert sorted(ids(q="de")) == ["fr", "md"]  # alone, it is what was asked for


def test_when_no_notice_has_all_the_words_the_page_shows_those_with_some_of_them_the_most_first(corpus, client):
    """Nothing has "solceller", "meters" and "rețelelor" together. The notices page then shows the notices with some
    of the words, the one with two of them first, and says so; the API keeps to every word."""
    make_notice("two", title="Solceller for water meters", buyer_country="NO")
    query = "solceller meters rețelelor"
    strict = search.TextSearch(Notice.objects.all(), query, across_languages=False)
    assert strict.count() == 0
    some = strict.or_some_words()
    assert some.some_words
    assert not strict.some_words
    found = [n.source_id for n in some]
    assert found[0] == "two"
    assert sorted(found) == ["fr", "md", "no", "two"]
    # A word excluded stays excluded, and a filter stays a filter.
    assert "fr" not in [
        n.source_id for n in search.TextSearch(Notice.objects.all(), query + " -compteurs").or_some_words()
    ]
    assert [
        n.source_id for n in search.TextSearch(Notice.objects.filter(buyer_country="MD"), query).or_some_words()
    ] == ["md"]
    # When a notice has every word, or there is one word only, the search is what it was.
    every = search.TextSearch(Notice.objects.all(), "solceller meters", across_languages=False)
    assert every.or_some_words() is every
    alone = search.TextSearch(Notice.objects.all(), "nowhere", across_languages=False)
    assert alone.or_some_words() is alone
    assert alone.count() == 0
    none = search.TextSearch(Notice.objects.all(), "nowhere nothing", across_languages=False)
    assert none.or_some_words() is none  # none has any of them: nothing to show instead

    page = client.get("/notices/", {"q": query, "exact": "on"}).content.decode()
    assert "No notice has all of the words “solceller meters rețelelor”: these have some of them" in page
    assert page.index("Solceller for water meters") < page.index("Supply of water meters")  # the English title
    assert client.get("/api/v1/notices", {"q": query}).json()["count"] == 0
    page = client.get("/notices/", {"q": "solceller meters", "exact": "on"}).content.decode()
    assert "No notice has all of the words" not in page
