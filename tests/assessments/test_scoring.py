"""Scoring on a small questionnaire, every figure worked out by hand."""

import pytest

from greenbridge.assessments.format import parse
from greenbridge.assessments.scoring import AnswersInvalid, Scorer


@pytest.fixture
def with_water(small):
    data = small
    data["dimensions"].append(
        {
            "id": "water",
            "name": {"en": "Water", "ro": "Apă"},
            "weight": 2,
            "questions": [
                {
                    "id": "W1",
                    "type": "yes_partly_no",
                    "text": {"en": "Metered?", "ro": "Contorizat?"},
                    "rows": [
                        {"id": "W1.1", "label": {"en": "Mains", "ro": "Rețea"}},
                        {"id": "W1.2", "label": {"en": "Wells", "ro": "Puțuri"}},
                    ],
                },
                {
                    "id": "W2",
                    "type": "number",
                    "weight": 3,
                    "text": {"en": "Reused %", "ro": "Reutilizat %"},
                    "min": 0,
                    "max": 100,
                    "points": [{"from": 0, "points": 0}, {"from": 10, "points": 2}, {"from": 50, "points": 4}],
                },
                {
                    "id": "W3",
                    "type": "grid",
                    "text": {"en": "Where?", "ro": "Unde?"},
                    "columns": [
                        {"id": "done", "label": {"en": "Done", "ro": "Făcut"}, "points": 2},
                        {"id": "planned", "label": {"en": "Planned", "ro": "Planificat"}, "points": 1},
                    ],
                    "rows": [
                        {"id": "W3.1", "label": {"en": "Office", "ro": "Birou"}},
                        {"id": "W3.2", "label": {"en": "Plant", "ro": "Fabrică"}},
                    ],
                },
                {
                    "id": "W4",
                    "type": "single_choice",
                    "text": {"en": "Policy?", "ro": "Politică?"},
                    "options": [
                        {"id": "W4.1", "label": {"en": "No", "ro": "Nu"}, "points": 0},
                        {"id": "W4.2", "label": {"en": "Draft", "ro": "Proiect"}, "points": 1},
                        {"id": "W4.3", "label": {"en": "Adopted", "ro": "Adoptată"}, "points": 4},
                    ],
                },
            ],
        }
    )
    return parse(data)


def test_scores_worked_out_by_hand(with_water):
    scorer = Scorer(with_water, version=3)
    answers = {
        "E1": ["E1.1", "E1.2"],  # 3 of 3 -> 10
        "E2": {"E2.1": 2},  # 2 of 5 -> 4
        "E3": "We meter the boiler.",  # not scored
        "W1": {"W1.1": "yes", "W1.2": "partly"},  # 1.5 of 2 -> 7.5
        "W2": 12.5,  # band from 10: 2 of 4 -> 5
        "W3": {"W3.1": ["done", "planned"], "W3.2": ["planned"]},  # 4 of 6 -> 6.666…
        "W4": "W4.2",  # 1 of 4 -> 2.5
    }
    scores = scorer.score(answers)
    assert scores.questions == pytest.approx({"E1": 10, "E2": 4, "W1": 7.5, "W2": 5, "W3": 20 / 3, "W4": 2.5})
    assert scores.dimensions["energy"] == pytest.approx(70)  # (10 + 4) / 2 * 10
    water = (7.5 + 3 * 5 + 20 / 3 + 2.5) / 6 * 10  # W2 weighs 3
    assert scores.dimensions["water"] == pytest.approx(water)
    assert scores.overall == pytest.approx((70 + 2 * water) / 3)  # water weighs 2
    assert scores.band == "high"
    assert scores.as_json()["version"] == 3
    assert scores.mode == "proportional"


def test_an_exclusive_option_clears_the_others_and_missing_answers_count_nothing(with_water):
    scorer = Scorer(with_water)
    scores = scorer.score({"E1": ["E1.1", "E1.3"]})
    assert scores.questions["E1"] == 0
    assert scores.overall == 0
    assert scores.band == "low"
    assert scorer.unanswered({"E1": ["E1.3"], "E2": {}}) == ["E2", "W1", "W2", "W3", "W4"]


def test_the_band_is_taken_from_the_unrounded_score(small):
    small["bands"][0]["max"], small["bands"][1]["min"] = 56, 57
    scores = Scorer(parse(small)).score({"E1": ["E1.1"], "E2": {"E2.1": 4}})
    assert scores.overall == pytest.approx(170 / 3)  # (1/3 + 4/5) / 2 * 100 = 56.67, shown as 57
    assert round(scores.overall) == 57
    assert scores.band == "low"


def test_capped_raw_uses_raw_points_when_the_maximum_is_above_10(small):
    data = small
    data["dimensions"][0]["questions"][1]["rows"] = [
        {"id": f"E2.{n}", "label": {"en": f"Row {n}", "ro": f"Rând {n}"}} for n in range(1, 5)
    ]
    scorer = Scorer(parse(data))
    answers = {"E2": {"E2.1": 3, "E2.2": 4}}  # 7 of 20
    assert scorer.score(answers).questions["E2"] == pytest.approx(3.5)
    assert scorer.score(answers, "capped_raw").questions["E2"] == pytest.approx(7)
    assert scorer.score({"E2": {f"E2.{n}": 5 for n in range(1, 5)}}, "capped_raw").questions["E2"] == 10
    # A maximum under 10 is scaled up in both modes.
    assert scorer.score({"E1": ["E1.2"]}, "capped_raw").questions["E1"] == pytest.approx(20 / 3)


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({"Z9": 1}, "answers.Z9: no question 'Z9' in small-test"),
        ({"E1": ["E1.9"]}, "answers.E1: no option 'E1.9' in E1"),
        ({"E1": "E1.1"}, "answers.E1: a list of option ids is expected"),
        ({"E1": [{"id": 1}]}, "answers.E1: option ids (texts) are expected"),
        ({"E2": {"E2.1": 6}}, "answers.E2.E2.1: 6 is off the scale (a whole number from 0 to 5)"),
        ({"E2": {"E2.1": 2.5}}, "answers.E2.E2.1: 2.5 is off the scale (a whole number from 0 to 5)"),
        ({"E2": {"E2.1": True}}, "answers.E2.E2.1: True is off the scale (a whole number from 0 to 5)"),
        ({"E2": {"E2.7": 1}}, "answers.E2.E2.7: no row 'E2.7' in E2"),
        ({"W1": {"W1.1": "partially"}}, "answers.W1.W1.1: 'partially' is not one of yes, partly, no"),
        ({"W2": 1e309}, "answers.W2: a number is expected"),
        ({"W2": 101}, "answers.W2: 101 is outside 0–100"),
        ({"W3": {"W3.1": ["later"]}}, "answers.W3.W3.1: no column 'later' in W3"),
        ({"W4": ["W4.1"]}, "answers.W4: no option ['W4.1'] in W4"),
        ({"E3": "x" * 2001}, "answers.E3: at most 2000 characters"),
    ],
)
def test_answers_that_do_not_fit_are_named(with_water, answers, problem):
    with pytest.raises(AnswersInvalid) as caught:
        Scorer(with_water).score(answers)
    assert caught.value.problems == [problem]


def test_an_unknown_mode_is_refused(with_water):
    with pytest.raises(AnswersInvalid, match="mode: 'median' is not one of proportional, capped_raw"):
        Scorer(with_water).score({}, "median")
