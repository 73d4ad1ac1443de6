"""Loading questionnaires: versions, frozen once answered, nothing half-loaded; the commands."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from greenbridge.assessments.format import QuestionnaireInvalid
from greenbridge.assessments.models import Assessment, Questionnaire
from greenbridge.assessments.services import load_questionnaire
from greenbridge.orgs.models import Organisation


@pytest.fixture
def sme(db):
    return Organisation.objects.create(name="AquaTest SRL", kind=Organisation.Kind.SME, country="RO")


def test_loading_again_replaces_until_answered_then_adds_a_version(small, sme):
    first = load_questionnaire(small)
    assert (first.action, first.questionnaire.version) == ("created", 1)
    assert load_questionnaire(small).action == "unchanged"

    small["title"]["en"] = "Small, reworded"
    replaced = load_questionnaire(small)
    assert (replaced.action, replaced.questionnaire.version) == ("replaced", 1)
    assert Questionnaire.objects.count() == 1

    Assessment.objects.create(organisation=sme, questionnaire=replaced.questionnaire, taken_on=timezone.localdate())
    small["title"]["en"] = "Small, second edition"
    second = load_questionnaire(small)
    assert (second.action, second.questionnaire.version) == ("new_version", 2)
    v1 = Questionnaire.objects.get(slug="small-test", version=1)
    assert v1.definition["title"]["en"] == "Small, reworded"  # the answered version never changes
    assert v1.assessments.count() == 1


def test_a_file_naming_a_frozen_version_is_refused(small, sme):
    q = load_questionnaire(small).questionnaire
    Assessment.objects.create(organisation=sme, questionnaire=q, taken_on=timezone.localdate())
    small["version"] = 1
    small["title"]["en"] = "Changed"
    with pytest.raises(QuestionnaireInvalid, match="small-test v1 has assessments and cannot change"):
        load_questionnaire(small)


def test_a_bad_file_stores_nothing(small, db):
    small["dimensions"][0]["questions"][0]["type"] = "slider"
    with pytest.raises(QuestionnaireInvalid):
        load_questionnaire(small)
    assert not Questionnaire.objects.exists()


def test_load_and_check_commands(small, tmp_path, db, capsys):
    good = tmp_path / "small.json"
    good.write_text(json.dumps(small), encoding="utf-8")
    call_command("assessment", "check", str(good))
    assert "small-test, 1 dimensions, 3 questions: no problems" in capsys.readouterr().out
    call_command("assessment", "load", str(good))
    assert "small-test v1: loaded" in capsys.readouterr().out

    small["dimensions"][0]["questions"][0]["options"][0].pop("points")
    bad = tmp_path / "bad.yaml"
    bad.write_text(json.dumps(small), encoding="utf-8")
    with pytest.raises(CommandError, match=r"options\[0\]\.points: every option"):
        call_command("assessment", "load", str(bad))
    with pytest.raises(CommandError, match="some files have problems"):
        call_command("assessment", "check", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("assessment", "load", str(tmp_path / "missing.yaml"))


def test_score_command_prints_json_and_names_bad_answers(small, tmp_path, db, capsys):
    load_questionnaire(small)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"questionnaire": "small-test", "answers": {"E1": ["E1.2"], "E2": {"E2.1": 5}}}))
    call_command("assessment", "score", str(answers))
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "questionnaire": "small-test",
        "version": 1,
        "mode": "proportional",
        "questions": {"E1": pytest.approx(20 / 3), "E2": 10.0},
        "dimensions": {"energy": pytest.approx(250 / 3)},
        "overall": pytest.approx(250 / 3),
        "band": "high",
    }
    answers.write_text(json.dumps({"questionnaire": "small-test", "answers": {"E2": {"E2.1": 9}, "Q0": 1}}))
    with pytest.raises(CommandError) as caught:
        call_command("assessment", "score", str(answers))
    assert "answers.E2.E2.1: 9 is off the scale (a whole number from 0 to 5)" in str(caught.value)
    assert "answers.Q0: no question 'Q0' in small-test" in str(caught.value)
    answers.write_text(json.dumps({"questionnaire": "nope", "answers": {}}))
    with pytest.raises(CommandError, match="no questionnaire 'nope'"):
        call_command("assessment", "score", str(answers))
    answers.write_text("{not json")
    with pytest.raises(CommandError, match="is not a JSON file"):
        call_command("assessment", "score", str(answers))
