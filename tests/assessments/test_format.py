"""The questionnaire file format: a file is checked whole, and every problem is named with its place."""

import pytest

from greenbridge.assessments.format import QuestionnaireInvalid, parse, read_text


def test_a_valid_file_parses(small):
    q = parse(small)
    assert q.id == "small-test"
    assert [question.id for _, question in q.questions()] == ["E1", "E2", "E3"]
    assert q.dimensions[0].questions[2].is_required is False
    assert q.dimensions[0].questions[0].is_required is True


def problems_of(data) -> list[str]:
    with pytest.raises(QuestionnaireInvalid) as caught:
        parse(data)
    return caught.value.problems


def test_every_problem_is_listed_at_once_with_its_place(small):
    data = small
    questions = data["dimensions"][0]["questions"]
    questions[0]["options"][1].pop("points")  # an option without points
    questions[1]["type"] = "slider"  # an unknown question type
    questions[2]["id"] = "E1"  # a duplicate id
    questions[0]["text"].pop("ro")  # a missing translation
    data["dimensions"].append({"id": "water", "name": {"en": "Water", "ro": "Apă"}, "questions": []})
    problems = problems_of(data)
    assert (
        "dimensions[0].questions[0].options[1].points: every option and column must say its points (0 is allowed)"
        in problems
    )
    assert any(p.startswith("dimensions[0].questions[1]: unknown question type 'slider'") for p in problems)
    assert "dimensions[0].questions[2].id: duplicate id 'E1' (also at dimensions[0].questions[0].id)" in problems
    assert "dimensions[0].questions[0].text: missing in ro" in problems
    assert "dimensions[1].questions: a dimension needs questions" in problems


def test_bands_must_cover_0_to_100_without_gaps(small):
    data = small
    data["bands"][1]["min"] = 60
    assert problems_of(data) == [
        "bands[1].min: bands must follow each other without gap or overlap (the band before ends at 50)"
    ]


def test_a_question_no_answer_scores_is_refused(small):
    data = small
    for option in data["dimensions"][0]["questions"][0]["options"]:
        option["points"] = 0
    assert problems_of(data) == ["dimensions[0].questions[0]: no answer gives points, so it cannot be scored"]


def test_unknown_fields_and_bad_ids_are_named(small):
    data = small
    data["colour"] = "green"
    data["id"] = "Small Test"
    problems = problems_of(data)
    assert "colour: unknown field" in problems
    assert "id: an id of lower-case letters, digits and hyphens is required" in problems


def test_not_a_mapping_and_not_yaml():
    assert problems_of(["a", "list"]) == ["the file must hold one questionnaire (a mapping with format, id, title, …)"]
    with pytest.raises(QuestionnaireInvalid, match=r"is not YAML or JSON \(line 2"):
        read_text(b"id: x\n  - : [\n")
    with pytest.raises(QuestionnaireInvalid, match="not UTF-8"):
        read_text(b"\xff\xfe\x00id")


def test_yaml_aliases_are_refused():
    bomb = b'a: &a ["x","x","x"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n'
    with pytest.raises(QuestionnaireInvalid, match="line 2: YAML aliases"):
        read_text(bomb)


def test_python_objects_in_yaml_are_refused():
    with pytest.raises(QuestionnaireInvalid, match="not YAML or JSON"):
        read_text(b"!!python/object/apply:os.system ['true']\n")
