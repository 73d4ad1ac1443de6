"""The matching engine on the real notices: scores with reasons, across languages, index = every pair."""

import dataclasses
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from greenbridge.matching import semantic
from greenbridge.matching.engine import Matcher, NoticeFacts, WatchInvalid, WatchSpec
from greenbridge.matching.evaluation import evaluate, load_judgements
from greenbridge.matching.explain import described
from greenbridge.matching.selectors import match_preview
from greenbridge.tenders.models import Notice
from tests.conftest import DATA, make_notice

NOW = datetime(2026, 11, 22, tzinfo=UTC)
JUDGEMENTS = DATA / "judgements" / "watches_v1.json"


def facts():
    return [NoticeFacts.from_row(row) for row in Notice.objects.values(*NoticeFacts.FIELDS)]


def titles(results):
    return [r.notice.title for r in results]


def test_exact_code_scores_above_same_class_above_same_group(real_notices):
    # 77310000 (planting and maintenance of green areas) is on the three Rouen notices.
    exact = match_preview(WatchSpec.from_data({"cpv_codes": ["77310000"]}), now=NOW)
    same_class = match_preview(WatchSpec.from_data({"cpv_codes": ["77314000"]}), now=NOW)
    # Sharing only the group stays under the default minimum score; a lower minimum shows it.
    assert not match_preview(WatchSpec.from_data({"cpv_codes": ["77340000"]}), now=NOW)
    same_group = match_preview(WatchSpec.from_data({"cpv_codes": ["77340000"], "min_score": 0.2}), now=NOW)
    assert {r.notice.source_id for r in exact} == {r.notice.source_id for r in same_class}
    assert exact[0].score > same_class[0].score > same_group[0].score
    reasons = {r["relation"] for r in exact[0].explanation if r["kind"] == "cpv"}
    assert reasons == {"exact"}
    assert [r["relation"] for r in same_group[0].explanation if r["kind"] == "cpv"] == ["group"]


def test_a_romanian_watch_finds_a_ukrainian_notice_and_a_norwegian_one(real_notices):
    make_notice(
        "no-1",
        title="Anskaffelse av vannmålere til Oslo kommune",
        language="no",
        buyer_country="NO",
        cpv_codes=["38421100"],
    )
    spec = WatchSpec.from_data(
        {"cpv_codes": ["33140000", "38421100"], "keywords": ["materiale medicale", "contoare de apă"]}
    )
    found = {r.notice.source_id: r for r in match_preview(spec, now=NOW)}
    ukrainian = found["ocds-be6bcu-UA-2019-02-25-000920-c"]
    kinds = {e["kind"] for e in ukrainian.explanation}
    assert {"cpv", "label"} <= kinds  # the code, and its Ukrainian label "Медичні матеріали" in the title
    label = next(e for e in ukrainian.explanation if e["kind"] == "label")
    assert (label["language"], label["label"]) == ("uk", "Медичні матеріали")
    assert found["no-1"].explanation[0]["relation"] == "exact"


def test_cpv_labels_find_a_notice_without_codes(real_notices):
    # The Paraguayan notice has no CPV code; the Spanish label of 33141420 ("Guantes quirúrgicos") is not
    # in it, but the one of 18424000 ("Guantes") is: the watch finds it through the label.
    spec = WatchSpec.from_data({"cpv_codes": ["18424000"]})
    results = match_preview(spec, now=NOW)
    assert titles(results) == ["ADQUSICION DE GUANTES Y OTROS INSUMOS MEDICOS"]
    assert results[0].explanation[0] == {
        "kind": "label",
        "watch_code": "18424000",
        "language": "es",
        "label": "Guantes",
        "where": "title",
    }
    assert match_preview(spec, now=NOW, signals={"cpv"}) == []


def test_a_label_found_by_its_words_says_which_words(db):
    # "Stație de epurare" has the words of 45252100's Romanian label that matter, not the label: the reason
    # says which words it found, and whose label they are.
    make_notice("ro-1", title="Stație de epurare în satul Cioburciu", language="ro", buyer_country="MD")
    result = match_preview(WatchSpec.from_data({"cpv_codes": ["45252100"]}), now=NOW)[0]
    label = next(e for e in result.explanation if e["kind"] == "label" and e["language"] == "ro")
    assert label["words"] == ["stații", "epurare"]
    with translation.override("en"):
        text = described([label])[0]["text"]
    assert text == (
        "“stații, epurare” (words of the RO name of your CPV 45252100, "
        "“Lucrări de construcții de stații de epurare”) in the title"
    )


def test_keywords_phrases_prefixes_and_exclusions(real_notices):
    spec = WatchSpec.from_data({"keywords": ["PV servicing", "espaces vert"]})
    found = titles(match_preview(spec, now=NOW))
    assert "PV Servicing and Maintenance" in found
    assert any(t.startswith("Service d'entretien") for t in found)
    excluded = WatchSpec.from_data({"keywords": ["PV servicing"], "exclude_keywords": ["Scottish Water"]})
    assert match_preview(excluded, now=NOW) == []


def test_filters_and_factors_are_explained(real_notices):
    spec = WatchSpec.from_data({"cpv_codes": ["77310000"], "countries": ["EU"], "value_max": 100000})
    results = match_preview(spec, now=NOW)
    assert results
    by_kind = {e["kind"]: e for e in results[0].explanation}
    assert by_kind["country"] == {"kind": "country", "country": "FR", "region": "EU"}
    assert by_kind["value"]["status"] in ("above", "unknown")
    assert match_preview(WatchSpec.from_data({"cpv_codes": ["77310000"], "countries": ["MD", "UA"]}), now=NOW) == []
    assert match_preview(WatchSpec.from_data({"cpv_codes": ["77310000"], "notice_types": ["planning"]}), now=NOW) == []


def test_the_index_gives_exactly_what_every_pair_gives(demo_notices):
    profiles = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["profiles"]
    judged = [WatchSpec.from_data(p["watch"]) for p in profiles]
    # Each judged watch also with a low and a high minimum score: the index keys a code by group or by
    # class depending on what can still reach the minimum.
    specs = [*judged, *(dataclasses.replace(s, min_score=m) for s in judged for m in (0.2, 0.4))]
    specs.append(WatchSpec.from_data({"green_sectors": ["renewable_energy"]}))
    # Water meters (class 3842) and a notice of the same group (384) but another class: only the shared
    # green sector lifts it over the minimum.
    specs.append(WatchSpec.from_data({"cpv_codes": ["38421100"], "green_sectors": ["water"]}))
    same_group = [
        make_notice(f"group-{s or 'none'}", buyer_country="MD", cpv_codes=["38410000"], green_sectors=s)
        for s in (["water"], [])
    ]
    notices = facts()
    indexed = Matcher(specs, now=NOW)

    def outcome(r):
        return r.score, json.dumps(r.explanation, sort_keys=True)

    got = {(r.watch, r.notice.id): outcome(r) for n in notices for r in indexed.match(n)}
    naive = {}
    for i, spec in enumerate(specs):
        one = Matcher([spec], now=NOW)
        for n in notices:
            naive.update({(i, r.notice.id): outcome(r) for r in one.match(n)})
    assert got == naive
    assert len(got) > 30
    # The alert run's groups: each matching watch once, with the same score and reasons.
    grouped = [((i, g.notice.id), outcome(g)) for n in notices for g in indexed.match_grouped(n) for i in g.watches]
    assert len(grouped) == len(got)
    assert dict(grouped) == got
    assert any(len(g.watches) > 1 for n in notices for g in indexed.match_grouped(n))
    got = {(w, n, score) for (w, n), (score, _) in got.items()}
    meters = len(specs) - 1
    assert {n for w, n, _ in got if w == meters} & {x.pk for x in same_group} == set()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "watch", "would match every notice"),
        ({"countries": ["MD"]}, "watch", "would match every notice"),
        ({"cpv_codes": ["9051300"]}, "cpv_codes", "is not a CPV code"),
        ({"cpv_codes": ["99999999"]}, "cpv_codes", "not in the CPV 2008 vocabulary"),
        ({"keywords": ['"water meters']}, "keywords", "opening quote without a closing one"),
        ({"keywords": ["water OR sewage"]}, "keywords", "each alternative as its own keyword"),
        ({"keywords": ["-drinking"]}, "keywords", "under “exclude”"),
        ({"keywords": ["a"]}, "keywords", "too short"),
        ({"keywords": ["water (drinking)"]}, "keywords", "may only hold letters"),
        ({"keywords": ["wa*ter"]}, "keywords", "only at the end of a word"),
        ({"keywords": ["pump"], "countries": ["Atlantis"]}, "countries", "not a country"),
        ({"keywords": ["pump"], "green_sectors": ["oil"]}, "green_sectors", "not a green sector"),
        ({"keywords": ["pump"], "value_min": 10, "value_max": 5}, "value_max", "below the minimum"),
        ({"keywords": ["pump"], "value_min": "lots"}, "value_min", "not an amount"),
        ({"keywords": ["pump"], "min_score": 2}, "min_score", "between 0.05 and 1"),
        ({"keywords": ["pump"], "notice_types": ["tender"]}, "notice_types", "not one of"),
        ({"keywords": "pump", "colour": "red"}, "watch", "unknown fields colour"),
    ],
)
def test_bad_watches_are_refused_with_a_clear_message(db, data, field, message):
    with pytest.raises(WatchInvalid) as excinfo:
        WatchSpec.from_data(data)
    assert any(message in m for m in excinfo.value.errors[field]), excinfo.value.errors


def test_broad_watches_are_warned_and_text_input_is_accepted(db):
    spec = WatchSpec.from_data(
        {
            "cpv_codes": "45000000-7",
            "keywords": "O&M solar\n\n“irigații”",
            "exclude_keywords": "drinking water; bottled\nmineral water",
            "countries": "md, UA, EaP",
        }
    )
    assert spec.cpv_codes == ("45000000",)
    assert spec.countries == ("MD", "UA", "EAP")
    # Every list alike: one item per line, or separated by commas or semicolons.
    assert spec.keywords == ("O&M solar", "irigații")
    assert spec.exclude_keywords == ("drinking water", "bottled", "mineral water")
    assert WatchSpec.from_data({"keywords": "water meters, contoare de apă"}).keywords == (
        "water meters",
        "contoare de apă",
    )
    assert WatchSpec.from_data({"cpv_codes": ["45000000"]}).warnings()[0].startswith("45000000 is a whole CPV division")


def test_preview_command_prints_json_lines(real_notices, tmp_path, capsys):
    watch = tmp_path / "watch.json"
    watch.write_text(json.dumps({"cpv_codes": ["09331200"], "keywords": ["photovoltaic"]}), encoding="utf-8")
    call_command("match", "preview", str(watch), "--limit", "5")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["title"] == "PV Servicing and Maintenance"
    assert set(rows[0]) == {"source", "source_id", "title", "score", "explanation"}
    assert rows[0]["explanation"][0]["text"].startswith("CPV 09331200 Solar photovoltaic modules")
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_preview_command_explains_bad_input(db, tmp_path):
    watch = tmp_path / "watch.json"
    watch.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="is not a JSON file"):
        call_command("match", "preview", str(watch))
    watch.write_text(json.dumps({"keywords": ["x"], "countries": ["Mars"]}), encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("match", "preview", str(watch))
    assert "keywords: “x” is too short" in str(excinfo.value)
    assert "countries: “Mars” is not a country" in str(excinfo.value)


def test_evaluation_on_the_judged_set(demo_notices, capsys):
    judgements = load_judgements(JUDGEMENTS)
    assert judgements["pairs"] >= 300
    results = {r.mode: r for r in evaluate(judgements, now=NOW)}
    # Combining signals finds more of the relevant notices than either alone, without losing ranking quality.
    assert results["combined"].recall_at_50 > results["cpv-only"].recall_at_50
    assert results["combined"].recall_at_50 > results["keyword-only"].recall_at_50
    assert results["combined"].ndcg_at_10 >= results["cpv-only"].ndcg_at_10
    call_command("match", "evaluate", "--judgements", str(JUDGEMENTS))
    out = capsys.readouterr().out
    assert "24 watches, 336 judged pairs" in out
    assert "combined" in out


# -- the optional semantic re-ranker --------------------------------------------------------------------------


def bag_of_words(texts):
    """A small deterministic sentence encoder for the re-ranking arithmetic: a vector of word counts."""
    vocabulary = sorted({w for t in texts for w in t.lower().replace(".", " ").replace(";", " ").split()})
    return [[t.lower().replace(".", " ").replace(";", " ").split().count(w) for w in vocabulary] for t in texts]


def test_reranking_reorders_by_meaning_without_changing_what_matches(real_notices):
    spec = WatchSpec.from_data({"cpv_codes": ["77310000"], "keywords": ["green areas maintenance"]})
    plain = match_preview(spec, now=NOW)
    reranked = match_preview(spec, now=NOW, reranker=semantic.Reranker(bag_of_words, weight=0.5, name="bow"))
    assert {r.notice.id for r in reranked} == {r.notice.id for r in plain}
    assert [r.score for r in reranked] == sorted((r.score for r in reranked), reverse=True)
    by_id = {r.notice.id: r for r in plain}
    for r in reranked:
        reason = r.explanation[-1]
        assert reason["kind"] == "semantic"
        assert reason["model"] == "bow"
        assert 0 <= reason["similarity"] <= 1
        assert r.score == round(0.5 * by_id[r.notice.id].score + 0.5 * reason["similarity"], 4)
        assert r.explanation[:-1] == by_id[r.notice.id].explanation
    assert "Close in meaning to your watch" in described(reranked[0].explanation, "en")[-1]["text"]


def test_an_unavailable_embedding_model_is_explained(db, settings, caplog):
    with pytest.raises(semantic.ModelUnavailable, match="embedding model /nowhere/model"):
        semantic.load("/nowhere/model")
    with pytest.raises(CommandError, match="embedding model /nowhere/model"):
        call_command("match", "evaluate", "--judgements", str(JUDGEMENTS), "--embeddings", "/nowhere/model")
    # Misconfigured, previews keep the engine's order and the operator finds why in the log.
    settings.MATCH_EMBEDDING_MODEL = "/nowhere/model"
    semantic.configured.cache_clear()
    try:
        assert semantic.configured() is None
        assert "semantic re-ranking is off" in caplog.text
    finally:
        semantic.configured.cache_clear()


def test_a_shared_green_sector_adds_to_a_cpv_match(db):
    spec = WatchSpec.from_data({"cpv_codes": ["38421100"], "green_sectors": ["water"]})
    row = {"id": 1, "title": "Contoare de apă", "buyer_country": "MD", "cpv_codes": ["38421100"]}
    matcher = Matcher([spec, WatchSpec.from_data({"cpv_codes": ["38421100"]})], now=NOW)
    with_sector, plain = sorted(
        matcher.match(NoticeFacts.from_row({**row, "green_sectors": ["water"]})), key=lambda r: r.watch
    )
    assert plain.score == 0.9
    assert with_sector.score == round(1 - (1 - 0.9) * (1 - 0.2), 4)
    assert {"kind": "sector", "sectors": ["water"]} in with_sector.explanation
    (without_sector, _) = sorted(matcher.match(NoticeFacts.from_row(row)), key=lambda r: r.watch)
    assert without_sector.score == 0.9


def test_a_deadline_reason_counts_the_days_left_when_it_is_shown():
    """Stored at the alert run, "Only 3 days left" stayed 3 as the days went by, and said 3 beside the notice's own
    "4 days left" (hours against calendar days). It is counted again when shown, as the notice's page counts."""
    from datetime import timedelta

    from django.utils import timezone

    soon = {"kind": "deadline", "status": "soon", "days": 3, "factor": 0.8}
    assert described([soon], "en")[0]["text"] == "Only 3 days left before the deadline"  # stored before: as it was
    ten = timezone.localtime() + timedelta(days=10)
    [reason] = described([{**soon, "deadline": ten.isoformat()}], "en")
    assert reason["text"] == "Only 10 days left before the deadline"
    one = timezone.localtime() + timedelta(days=1)
    assert described([{**soon, "deadline": one.isoformat()}], "en")[0]["text"] == "Only 1 day left before the deadline"
    gone = timezone.now() - timedelta(hours=1)
    assert described([{**soon, "deadline": gone.isoformat()}], "en")[0]["text"] == "The deadline has passed"
