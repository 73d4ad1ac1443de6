"""The questionnaires GreenBridge ships: each loads, and the DMA scores as its source file says (every figure
worked out by hand from shared/data/assessment/dma_sme_questionnaire.json's scoring section)."""

import json

import pytest
from django.core.management import call_command

from greenbridge.assessments.format import parse, read_file
from greenbridge.assessments.scoring import Scorer
from greenbridge.assessments.services import SHIPPED, load_shipped

FILES = sorted(SHIPPED.glob("*.yaml"))

# An SME with a few tools, two advanced technologies and some BI.
DMA_ANSWERS = {
    "Q1": {"Q1.1": ["already_invested", "plan_to_invest"], "Q1.2": ["already_invested"], "Q1.3": ["plan_to_invest"]},
    "Q2": ["Q2.1", "Q2.4"],
    "Q3": ["Q3.1", "Q3.2", "Q3.3"],
    "Q4": {"Q4.1": 3, "Q4.2": 5},
    "Q5": ["Q5.1"],
    "Q6": ["Q6.1", "Q6.2", "Q6.3", "Q6.4"],
    "Q7": ["Q7.1", "Q7.2"],  # "Data is not collected digitally" clears the other option
    "Q8": ["Q8.1", "Q8.2", "Q8.3"],
    "Q9": {"Q9.1": 2},
    "Q10": ["Q10.1", "Q10.2", "Q10.3", "Q10.4", "Q10.5"],
    "Q11": {"Q11.1": "yes", "Q11.2": "partly"},
}


def test_the_three_questionnaires_are_shipped():
    assert {parse(read_file(f)).id for f in FILES} == {
        "eu-edih-dma-sme",
        "green-maturity-sme",
        "intl-procurement-readiness",
    }


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_each_shipped_file_is_valid_in_four_languages(path):
    spec = parse(read_file(path))
    assert spec.id == path.stem
    assert spec.languages == ["en", "ro", "uk", "fr"]


def test_dma_proportional_scores():
    spec = parse(read_file(SHIPPED / "eu-edih-dma-sme.yaml"))
    scores = Scorer(spec).score(DMA_ANSWERS)
    assert scores.questions == pytest.approx(
        {
            "Q1": 2.0,  # 4 ticks of 20
            "Q2": 2.0,
            "Q3": 3.0,
            "Q4": 80 / 35,  # 3 + 5 of 7 × 5
            "Q5": 10 / 7,
            "Q6": 5.0,
            "Q7": 0.0,
            "Q8": 5.0,
            "Q9": 0.8,  # 2 of 25
            "Q10": 5.0,
            "Q11": 3.0,  # 1 + 0.5 of 5
        }
    )
    assert scores.dimensions == pytest.approx(
        {
            "digital_business_strategy": 20.0,
            "digital_readiness": (3 + 80 / 35) * 5,
            "human_centric_digitalisation": (10 / 7 + 5) * 5,
            "data_management": 25.0,
            "automation_ai": 8.0,
            "green_digitalisation": 40.0,
        }
    )
    overall = (20 + (3 + 80 / 35) * 5 + (10 / 7 + 5) * 5 + 25 + 8 + 40) / 6
    assert scores.overall == pytest.approx(overall)  # 25.26: "Basic" (Average starts at 26)
    assert scores.band == "basic"


def test_dma_capped_raw_differs_only_for_q1_q4_q9():
    spec = parse(read_file(SHIPPED / "eu-edih-dma-sme.yaml"))
    proportional = Scorer(spec).score(DMA_ANSWERS)
    capped = Scorer(spec).score(DMA_ANSWERS, "capped_raw")
    differ = {q for q in proportional.questions if proportional.questions[q] != pytest.approx(capped.questions[q])}
    assert differ == {"Q1", "Q4", "Q9"}
    assert capped.questions["Q1"] == 4.0
    assert capped.questions["Q4"] == 8.0
    assert capped.questions["Q9"] == 2.0
    overall = (30 + 55 + (10 / 7 + 5) * 5 + 25 + 20 + 40) / 6
    assert capped.overall == pytest.approx(overall)  # 33.69: "Average"
    assert capped.band == "average"


def test_score_command_on_the_shipped_dma(tmp_path, db, capsys):
    load_shipped()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"questionnaire": "eu-edih-dma-sme", "mode": "capped_raw", "answers": DMA_ANSWERS}))
    call_command("assessment", "score", str(answers))
    out = json.loads(capsys.readouterr().out)
    assert (out["questionnaire"], out["version"], out["mode"], out["band"]) == (
        "eu-edih-dma-sme",
        1,
        "capped_raw",
        "average",
    )
    assert out["dimensions"]["digital_readiness"] == pytest.approx(55.0)
