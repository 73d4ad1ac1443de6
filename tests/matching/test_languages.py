"""The matching engine across languages and on real notices: keywords said in the notice's language, codes
whose labels say a keyword, a keyword's words in any order, inflected keywords, near codes, rare label words,
notices that span many kinds of work; and the judged set v2 with its figures."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from greenbridge.matching.engine import Matcher, NoticeFacts, WatchSpec
from greenbridge.matching.evaluation import evaluate, ingest_corpus, load_judgements
from greenbridge.matching.explain import described
from greenbridge.matching.selectors import match_breadth, match_preview
from greenbridge.reference.lexicon import cpv_lexicon
from greenbridge.tenders.models import Notice
from greenbridge.tenders.services import notices_ingest
from tests.conftest import DATA, make_notice

NOW = datetime(2026, 12, 3, tzinfo=UTC)
JUDGEMENTS = DATA / "judgements" / "watches_v2.json"
PORTUGAL = DATA / "ocds" / "real_more" / "portugal_impic_base_gov_2019"
LIGHTING = (
    "Remodelação da iluminação pública e decorativa na Rua Dr. António Luís Gomes e Jardim à Rua da Ramadinha, Mafamude"
)
RIVER = "Parecer Técnico sobre o processo de reclamação da empreitada “Regularização de um troço do Rio Alenquer”"
PV = "PV Servicing and Maintenance"
GAS = "Послуги з технічного обслуговування газового обладнання"
SCHOOL = "„Budowa nowego budynku szkoły wraz z salą gimnastyczną oraz rozbudowa"


def match(watch: dict, **filters) -> dict[str, tuple[float, list[dict]]]:
    """title -> (score, reasons) of every notice in the database the watch matches."""
    matcher = Matcher([WatchSpec.from_data(watch)], now=NOW)
    out = {}
    for row in Notice.objects.filter(**filters).values(*NoticeFacts.FIELDS):
        for r in matcher.match(NoticeFacts.from_row(row)):
            out[r.notice.title] = (r.score, r.explanation)
    return out


def kinds(reasons: list[dict]) -> list[str]:
    return [r["kind"] for r in reasons]


@pytest.fixture
def portugal(db):
    return notices_ingest(connector="ocds", location=str(PORTUGAL), source="ocds-samples")


@pytest.fixture
def polish_school(db):
    return notices_ingest(
        connector="eforms", location=str(DATA / "eforms" / "real_more" / "st16_POL_POL_00468697-2024.xml"), source="ted"
    )


def test_a_keyword_is_found_said_in_the_notices_language(portugal):
    found = match({"keywords": ["iluminat public"]})
    score, reasons = found[LIGHTING]
    [translation] = [r for r in reasons if r["kind"] == "translation"]
    assert (translation["language"], translation["where"]) == ("pt", "title")
    assert translation["words"] == ["iluminacao", "public"]  # "public" is Portuguese too ("pública")
    assert [r["text"] for r in described(reasons, "en")] == [
        "“iluminat public” in the title",  # the Romanian keyword's long word tolerates inflection: "iluminação"
        "“iluminat public” in Portuguese (iluminacao public) in the title",
    ]
    assert score == 0.8875
    # A French watch: the keyword itself is nowhere in the Portuguese text; its translation is.
    score, reasons = match({"keywords": ["éclairage public"]})[LIGHTING]
    assert [r["text"] for r in described(reasons, "en")] == [
        "“éclairage public” in Portuguese (iluminacao public) in the title"
    ]
    assert score == 0.55


def test_a_keyword_that_is_what_a_notices_code_says(db):
    make_notice("meters", title="Закупівля обладнання", cpv_codes=["38421100"], language="uk")
    [(score, reasons)] = match({"keywords": ["contoare de apă"]}).values()
    assert reasons[0] == {"kind": "keyword_code", "keyword": "contoare de apă", "notice_code": "38421100"}
    assert described(reasons, "en")[0]["text"] == "“contoare de apă” is what CPV 38421100 Water meters says"
    assert score == 0.6


def test_the_words_of_a_keyword_in_another_order_in_the_title(real_notices):
    score, reasons = match({"keywords": ["PV maintenance"]})[PV]
    assert {"kind": "keyword_words", "keyword": "PV maintenance", "where": "title"} in reasons
    assert score == 0.4  # 0.5, and its deadline has passed


def test_long_keyword_words_tolerate_inflection(real_notices):
    found = match({"keywords": ["технічне обслуговування газового обладнання"]})
    assert kinds(found[GAS][1]) == ["keyword"]  # "технічне" finds "технічного", "газового" itself
    assert WatchSpec.from_data({"keywords": ["технічне"]}).keyword_words == ((("техніч", True, 0),),)
    assert WatchSpec.from_data({"keywords": ["portal"]}).keyword_words == ((("portal", True, 0),),)  # not "porta"
    spec = WatchSpec.from_data({"keywords": ["газ"], "exclude_keywords": ["технічне"]})
    assert spec.exclude_words == ((("технічне", True, 0),),)  # exclusions stay as written


def test_a_code_of_a_notice_spanning_many_kinds_of_work_counts_for_less(real_notices, polish_school):
    found = match({"cpv_codes": ["09331200"]})
    pv_score, pv_reasons = found[PV]
    school_score, school_reasons = next(v for title, v in found.items() if title.startswith(SCHOOL))
    assert pv_score > school_score  # the same code, but the school is a building contract of many trades
    assert pv_reasons[0]["focus"] > school_reasons[0]["focus"]
    assert school_reasons[0]["focus"] == 0.6
    assert (
        "(one of the notice's other codes; it covers several kinds of work)"
        in described(school_reasons, "en")[0]["text"]
    )


def test_a_code_in_another_branch_that_says_the_same(db):
    make_notice("panels", title="Supply of panels", cpv_codes=["09331000"])
    [(score, reasons)] = match({"cpv_codes": ["45261215"]}).values()  # Solar panel roof-covering work
    assert (reasons[0]["relation"], reasons[0]["notice_code"]) == ("near", "09331000")
    assert score == 0.45
    assert cpv_lexicon().near_codes("71220000") == ("71230000",)  # architectural design ~ design contests


def test_a_rare_long_word_of_a_codes_label_in_the_title(portugal):
    found = match({"cpv_codes": ["45246000"]})  # River regulation and flood-control works
    assert list(found) == [RIVER]  # no CPV code at all
    [reason] = [r for r in found[RIVER][1] if r["kind"] == "label"]
    assert (reason["word"], reason["language"]) == ("regularizacao", "pt")


def test_function_words_are_never_significant(db):
    lexicon = cpv_lexicon()
    assert lexicon.significant_words("45246000", "pt") == ["regularizacao", "cursos", "agua", "cheias"]
    assert lexicon.is_function_word("dos")
    assert not lexicon.is_function_word("fire")


def test_a_watch_that_matches_almost_everything_is_told_how_much(real_notices, monkeypatch):
    from greenbridge.matching import selectors

    spec = WatchSpec.from_data({"keywords": ["services"]})
    results = match_preview(spec, limit=None, now=NOW)
    monkeypatch.setattr(selectors, "BROAD_MIN", 2)
    assert match_breadth(results) == (len(results), Notice.objects.count())
    assert match_breadth(results[:1]) is None


@pytest.fixture
def corpus(db):
    judgements = load_judgements(JUDGEMENTS)
    ingest_corpus(judgements, DATA)
    return judgements


def test_the_judged_set_and_its_figures(corpus, capsys):
    assert (corpus["pairs"], len(corpus["specs"]), Notice.objects.count()) == (10540, 58, 310)
    assert set(Notice.objects.values_list("language", flat=True)) >= {
        "en", "es", "fr", "pt", "hy", "zh", "uk", "ro", "pl", "de", "it", "sl", "hr", "nl"
    }  # fmt: skip
    results = {r.mode: r for r in evaluate(corpus, now=NOW)}
    combined = results["combined"]
    assert combined.ndcg_at_10 >= 0.8
    assert combined.ndcg_at_10 > results["combined-no-translations"].ndcg_at_10
    assert combined.recall_at_50 > results["cpv-only"].recall_at_50
    call_command("match", "evaluate", "--judgements", str(JUDGEMENTS))
    out = capsys.readouterr().out
    assert "58 watches, 10540 judged pairs" in out


def test_a_watchs_mistakes_are_said_in_the_readers_language():
    """The watch editor's own checks (spec.py) were English sentences in every interface."""
    from django.utils import translation

    from greenbridge.matching.engine import WatchInvalid, WatchSpec

    data = {"keywords": ["pompe", '"apă'], "value_min": "5000", "value_max": "1000", "countries": ["Atlantis"]}
    for language, said in (
        ("ro", "valoarea maximă este mai mică decât cea minimă"),
        ("uk", "максимальна вартість менша за мінімальну"),
        ("fr", "la valeur maximale est inférieure à la minimale"),
        ("en", "the maximum value is below the minimum"),
    ):
        with translation.override(language), pytest.raises(WatchInvalid) as invalid:
            WatchSpec.from_data(data)
        assert invalid.value.errors["value_max"] == [said]
        assert "apă" in invalid.value.errors["keywords"][0]
        assert "Atlantis" in invalid.value.errors["countries"][0]
