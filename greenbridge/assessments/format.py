"""The questionnaire file format (docs/questionnaires.md): its structure as pydantic models, and the checks a
whole file must pass before anything of it is stored. `parse` returns the questionnaire or raises
`QuestionnaireInvalid` with every problem found, each with its place in the file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

FORMAT = "greenbridge-questionnaire/1"
QUESTION_TYPES = ("multiple_choice", "single_choice", "grid", "scale", "yes_partly_no", "number", "text")
SCORED_TYPES = frozenset(QUESTION_TYPES) - {"text"}
MODES = ("proportional", "capped_raw")
YES_PARTLY_NO = {"yes": 1.0, "partly": 0.5, "no": 0.0}
MAX_TEXT_ANSWER = 2000
MAX_FILE_BYTES = 2_000_000
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The fields that hold a text in every language of the questionnaire.
TEXT_FIELDS = frozenset({"title", "description", "name", "text", "help", "label", "unit", "rule"})

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]{0,63}$")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
Text = dict[Language, Annotated[str, Field(min_length=1, max_length=4000)]]
Points = Annotated[float, Field(ge=-1000, le=1000, allow_inf_nan=False)]
Weight = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]
Amount = Annotated[float, Field(ge=-1e15, le=1e15, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    id: Id
    label: Text
    points: Points
    exclusive: bool = False  # "Data is not collected digitally": clears the other options


class Column(_Strict):
    id: Id
    label: Text
    points: Points


class Row(_Strict):
    id: Id
    label: Text


class Scale(_Strict):
    min: Annotated[int, Field(ge=0, le=100)] = 0
    max: Annotated[int, Field(ge=1, le=100)]
    labels: dict[int, Text] = {}


class NumberBand(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    start: Amount = Field(alias="from")
    points: Points


class _Question(_Strict):
    id: Id
    text: Text
    help: Text | None = None
    required: bool | None = None  # default: true, false for free text
    weight: Weight = 1.0

    @property
    def is_required(self) -> bool:
        return self.required if self.required is not None else self.type != "text"  # type: ignore[attr-defined]

    @property
    def scored(self) -> bool:
        return True


class MultipleChoice(_Question):
    type: Literal["multiple_choice"]
    options: Annotated[list[Option], Field(min_length=1, max_length=100)]


class SingleChoice(_Question):
    type: Literal["single_choice"]
    options: Annotated[list[Option], Field(min_length=2, max_length=100)]


class Grid(_Question):
    type: Literal["grid"]
    columns: Annotated[list[Column], Field(min_length=1, max_length=20)]
    rows: Annotated[list[Row], Field(min_length=1, max_length=100)]


class ScaleRows(_Question):
    type: Literal["scale"]
    scale: Scale
    rows: Annotated[list[Row], Field(min_length=1, max_length=100)]


class YesPartlyNo(_Question):
    type: Literal["yes_partly_no"]
    rows: Annotated[list[Row], Field(min_length=1, max_length=100)]


class Number(_Question):
    type: Literal["number"]
    unit: Text | None = None
    min: Amount | None = None
    max: Amount | None = None
    points: Annotated[list[NumberBand], Field(max_length=50)] = []

    @property
    def scored(self) -> bool:
        return bool(self.points)


class FreeText(_Question):
    type: Literal["text"]

    @property
    def scored(self) -> bool:
        return False


Question = Annotated[
    MultipleChoice | SingleChoice | Grid | ScaleRows | YesPartlyNo | Number | FreeText, Field(discriminator="type")
]


class Dimension(_Strict):
    id: Id
    name: Text
    description: Text | None = None
    weight: Weight = 1.0
    questions: Annotated[list[Question], Field(min_length=1, max_length=200)]


class Band(_Strict):
    id: Id
    min: Annotated[float, Field(ge=0, le=100)]
    max: Annotated[float, Field(ge=0, le=100)]
    label: Text
    description: Text | None = None


class Scoring(_Strict):
    mode: Literal["proportional", "capped_raw"] = "proportional"
    rule: Text | None = None


class Questionnaire(_Strict):
    format: Literal["greenbridge-questionnaire/1"]
    id: Slug
    version: Annotated[int, Field(ge=1, le=10_000)] | None = None
    title: Text
    description: Text | None = None
    languages: Annotated[list[Language], Field(min_length=1, max_length=30)]
    source: Annotated[str, Field(max_length=10_000)] = ""
    scoring: Scoring = Scoring()
    bands: Annotated[list[Band], Field(min_length=1, max_length=20)]
    dimensions: Annotated[list[Dimension], Field(min_length=1, max_length=50)]

    def questions(self) -> list[tuple[Dimension, Any]]:
        return [(d, q) for d in self.dimensions for q in d.questions]

    def text(self, value: dict[str, str] | None, language: str) -> str:
        """A text in this language, else in the questionnaire's first language."""
        if not value:
            return ""
        return value.get(language) or value.get(self.languages[0]) or next(iter(value.values()))


class QuestionnaireInvalid(ValueError):
    """A questionnaire file that cannot be loaded; `problems` lists every problem, each with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def read_file(path: str | Path) -> Any:
    """A questionnaire file's data: YAML (.yaml, .yml) or JSON (JSON is YAML too)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise QuestionnaireInvalid([f"cannot read {path}: {exc.strerror}"]) from exc
    return read_text(raw, str(path))


def read_text(raw: bytes, name: str = "the file") -> Any:
    if len(raw) > MAX_FILE_BYTES:
        raise QuestionnaireInvalid([f"{name} is larger than {MAX_FILE_BYTES // 1_000_000} MB"])
    try:
        # The safe loader builds plain data only (no Python objects); aliases are refused below.
        text = raw.decode("utf-8")
        _refuse_aliases(text, name)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (the safe loader, in C where libyaml is there)
    except UnicodeDecodeError as exc:
        raise QuestionnaireInvalid([f"{name} is not UTF-8 text"]) from exc
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        place = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise QuestionnaireInvalid([f"{name} is not YAML or JSON{place}: {problem}"]) from exc


def _refuse_aliases(text: str, name: str) -> None:
    """YAML anchors and aliases can make a small file expand into a huge one ("billion laughs"): a
    questionnaire has no use for them."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise QuestionnaireInvalid([f"{name}, line {mark.line + 1}: YAML aliases (*name) are not allowed"])


def parse(data: Any) -> Questionnaire:
    """The questionnaire in this data, or `QuestionnaireInvalid` with every problem."""
    if not isinstance(data, dict):
        raise QuestionnaireInvalid(["the file must hold one questionnaire (a mapping with format, id, title, …)"])
    problems = _text_problems(data) + _id_problems(data)
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as exc:
        problems += [_plain(error) for error in exc.errors()]
        questionnaire = None
    if questionnaire is not None:
        problems += _scoring_problems(questionnaire)
    if problems:
        raise QuestionnaireInvalid(list(dict.fromkeys(problems)))
    return questionnaire


def _place(loc: tuple | list) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _plain(error: dict) -> str:
    """A pydantic error in plain words, with its place."""
    # pydantic puts the tag of the question type it tried into the place: left out.
    loc = [p for p in error["loc"] if p not in QUESTION_TYPES]
    place = _place(loc)
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        what = loc[-1] if loc else "a field"
        if what == "points":
            return f"{place}: every option and column must say its points (0 is allowed)"
        if what == "questions":
            return f"{place}: a dimension needs questions"
        return f"{place}: {what} is required"
    if kind == "union_tag_invalid":
        return f"{place}: unknown question type {ctx.get('tag')!r} (one of {', '.join(QUESTION_TYPES)})"
    if kind == "union_tag_not_found":
        return f"{place}: a question needs a type (one of {', '.join(QUESTION_TYPES)})"
    if kind == "extra_forbidden":
        return f"{place}: unknown field"
    if kind == "too_short" and loc and loc[-1] == "questions":
        return f"{place}: a dimension needs questions"
    if kind == "too_short":
        return f"{place}: needs at least {ctx.get('min_length')}"
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "id" and len(loc) == 1:
        return f"{place}: an id of lower-case letters, digits and hyphens is required"
    if kind == "string_pattern_mismatch":
        return f"{place}: not a valid id or language code ({error['input']!r})"
    if kind == "literal_error" and loc == ["format"]:
        return f"format: must be {FORMAT!r}"
    return f"{place}: {error['msg'][0].lower()}{error['msg'][1:]}"


def _walk(node: Any, loc: tuple = ()):
    yield loc, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*loc, i))


def _text_problems(data: dict) -> list[str]:
    """Every text in each of the questionnaire's languages (checked on the raw data, so that a file with other
    problems still gets them all listed)."""
    languages = data.get("languages")
    if not isinstance(languages, list) or not all(isinstance(lang, str) for lang in languages):
        return []
    problems = []
    for loc, node in _walk(data):
        is_text = (bool(loc) and loc[-1] in TEXT_FIELDS) or (len(loc) >= 2 and loc[-2] == "labels")
        if is_text and isinstance(node, dict):
            missing = [lang for lang in languages if not (isinstance(node.get(lang), str) and node[lang].strip())]
            if missing:
                problems.append(f"{_place(loc)}: missing in {', '.join(missing)}")
    return problems


def _id_problems(data: dict) -> list[str]:
    """Dimension and question ids unique in the file; option, row and column ids unique in their question and
    apart from the file's other ids (answers name them on their own)."""
    problems: list[str] = []
    seen: dict[str, str] = {}

    def see(value: Any, place: str, scope: dict[str, str]) -> None:
        if not isinstance(value, str):
            return
        if value in scope:
            problems.append(f"{place}: duplicate id {value!r} (also at {scope[value]})")
        else:
            scope[value] = place

    dimensions = data.get("dimensions")
    for d, dim in enumerate(dimensions if isinstance(dimensions, list) else []):
        if not isinstance(dim, dict):
            continue
        see(dim.get("id"), f"dimensions[{d}].id", seen)
        questions = dim.get("questions")
        for q, question in enumerate(questions if isinstance(questions, list) else []):
            if not isinstance(question, dict):
                continue
            base = f"dimensions[{d}].questions[{q}]"
            see(question.get("id"), f"{base}.id", seen)
            for part in ("options", "rows"):
                items = question.get(part)
                for n, item in enumerate(items if isinstance(items, list) else []):
                    if isinstance(item, dict):
                        see(item.get("id"), f"{base}.{part}[{n}].id", seen)
            columns = question.get("columns")
            local: dict[str, str] = {}
            for n, item in enumerate(columns if isinstance(columns, list) else []):
                if isinstance(item, dict):
                    see(item.get("id"), f"{base}.columns[{n}].id", local)
    bands = data.get("bands")
    local = {}
    for n, band in enumerate(bands if isinstance(bands, list) else []):
        if isinstance(band, dict):
            see(band.get("id"), f"bands[{n}].id", local)
    return problems


def maximum(question: Any) -> float:
    """The most raw points a question can give (docs/questionnaires.md)."""
    kind = question.type
    if kind == "multiple_choice":
        return sum(o.points for o in question.options if not o.exclusive and o.points > 0)
    if kind == "single_choice":
        return max(o.points for o in question.options)
    if kind == "grid":
        return len(question.rows) * sum(c.points for c in question.columns if c.points > 0)
    if kind == "scale":
        return len(question.rows) * question.scale.max
    if kind == "yes_partly_no":
        return float(len(question.rows))
    if kind == "number":
        return max((b.points for b in question.points), default=0.0)
    return 0.0


def _scoring_problems(q: Questionnaire) -> list[str]:
    problems = []
    for d, dim in enumerate(q.dimensions):
        if not any(question.scored for question in dim.questions):
            problems.append(f"dimensions[{d}]: a dimension needs at least one scored question")
        for n, question in enumerate(dim.questions):
            place = f"dimensions[{d}].questions[{n}]"
            if question.scored and maximum(question) <= 0:
                problems.append(f"{place}: no answer gives points, so it cannot be scored")
            if question.type == "scale":
                scale = question.scale
                if scale.min >= scale.max:
                    problems.append(f"{place}.scale: min must be below max")
                for value in scale.labels:
                    if not scale.min <= value <= scale.max:
                        problems.append(f"{place}.scale.labels[{value}]: outside the scale {scale.min}–{scale.max}")
            if question.type == "number":
                starts = [b.start for b in question.points]
                if starts != sorted(set(starts)):
                    problems.append(f"{place}.points: the bands' 'from' must rise")
                if question.min is not None and question.max is not None and question.min > question.max:
                    problems.append(f"{place}: min is above max")
            if question.type == "multiple_choice" and sum(o.exclusive for o in question.options) > 1:
                problems.append(f"{place}.options: at most one exclusive option")
    bands = q.bands
    if bands[0].min != 0:
        problems.append("bands[0].min: the first band must start at 0")
    if bands[-1].max != 100:
        problems.append(f"bands[{len(bands) - 1}].max: the last band must end at 100")
    for n, band in enumerate(bands):
        if band.min > band.max:
            problems.append(f"bands[{n}]: min is above max")
        if n and not (bands[n - 1].max < band.min <= bands[n - 1].max + 1):
            problems.append(
                f"bands[{n}].min: bands must follow each other without gap or overlap "
                f"(the band before ends at {bands[n - 1].max:g})"
            )
    return problems
