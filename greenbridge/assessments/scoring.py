"""Scoring an assessment's answers (docs/questionnaires.md, "Scores"): question 0–10, dimension 0–100, overall
0–100 and its band, at full precision. A `Scorer` is built once per questionnaire version; answers are checked
against it with every problem named (`AnswersInvalid`), never half-scored."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .format import MAX_TEXT_ANSWER, MODES, YES_PARTLY_NO, Questionnaire, maximum


class AnswersInvalid(ValueError):
    """Answers that do not fit their questionnaire; `problems` names each, with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Scores:
    questionnaire: str
    version: int | None
    mode: str
    questions: dict[str, float]  # question id -> 0–10 (scored questions only)
    dimensions: dict[str, float]  # dimension id -> 0–100
    overall: float
    band: str

    def as_json(self) -> dict[str, Any]:
        return {
            "questionnaire": self.questionnaire,
            "version": self.version,
            "mode": self.mode,
            "questions": self.questions,
            "dimensions": self.dimensions,
            "overall": self.overall,
            "band": self.band,
        }


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class Scorer:
    """One questionnaire version, compiled for scoring: per question its kind, points and maximum."""

    def __init__(self, questionnaire: Questionnaire, version: int | None = None):
        self.questionnaire = questionnaire
        self.version = version if version is not None else questionnaire.version
        self.questions: dict[str, Any] = {}
        self.dimension_of: dict[str, str] = {}
        self._maximum: dict[str, float] = {}
        self._points: dict[str, dict[str, float]] = {}  # question -> option or column id -> points
        self._exclusive: dict[str, str] = {}  # multiple choice question -> its exclusive option
        self._rows: dict[str, frozenset[str]] = {}
        # Per dimension: its weight and its scored questions with their weights.
        self._dimensions: list[tuple[str, float, list[tuple[str, float]]]] = []
        for dim in questionnaire.dimensions:
            scored = []
            for q in dim.questions:
                self.questions[q.id] = q
                self.dimension_of[q.id] = dim.id
                if q.type in ("multiple_choice", "single_choice"):
                    self._points[q.id] = {o.id: o.points for o in q.options}
                    for o in q.options:
                        if o.exclusive:
                            self._exclusive[q.id] = o.id
                elif q.type == "grid":
                    self._points[q.id] = {c.id: c.points for c in q.columns}
                if q.type in ("grid", "scale", "yes_partly_no"):
                    self._rows[q.id] = frozenset(r.id for r in q.rows)
                if q.scored:
                    self._maximum[q.id] = maximum(q)
                    scored.append((q.id, q.weight))
            self._dimensions.append((dim.id, dim.weight, scored))
        self._bands = [(b.min, b.id) for b in questionnaire.bands]

    # -- checking ------------------------------------------------------------------------------------------------

    def problems(self, answers: Any) -> list[str]:
        """Every answer that does not fit the questionnaire (unknown ids, values off the scale, wrong shapes)."""
        if not isinstance(answers, dict):
            return ["answers: must be a mapping of question id to answer"]
        problems = []
        for qid, answer in answers.items():
            q = self.questions.get(qid)
            place = f"answers.{qid}"
            if q is None:
                problems.append(f"{place}: no question {qid!r} in {self.questionnaire.id}")
                continue
            if answer is None:
                continue  # unanswered
            problems += self._answer_problems(q, answer, place)
        return problems

    def _answer_problems(self, q: Any, answer: Any, place: str) -> list[str]:
        kind = q.type
        if kind == "multiple_choice":
            if not isinstance(answer, list):
                return [f"{place}: a list of option ids is expected"]
            if not all(isinstance(o, str) for o in answer):
                return [f"{place}: option ids (texts) are expected"]
            points = self._points[q.id]
            out = [f"{place}: no option {o!r} in {q.id}" for o in answer if o not in points]
            if len(set(answer)) != len(answer):
                out.append(f"{place}: an option is ticked twice")
            return out
        if kind == "single_choice":
            if not isinstance(answer, str) or answer not in self._points[q.id]:
                return [f"{place}: no option {answer!r} in {q.id}"]
            return []
        if kind == "number":
            if not _is_number(answer):
                return [f"{place}: a number is expected"]
            if (q.min is not None and answer < q.min) or (q.max is not None and answer > q.max):
                low = "" if q.min is None else f"{q.min:g}"
                high = "" if q.max is None else f"{q.max:g}"
                return [f"{place}: {answer:g} is outside {low}–{high}"]
            return []
        if kind == "text":
            if not isinstance(answer, str):
                return [f"{place}: a text is expected"]
            if len(answer) > MAX_TEXT_ANSWER:
                return [f"{place}: at most {MAX_TEXT_ANSWER} characters"]
            return []
        # Questions of rows: a mapping of row id to the row's answer.
        if not isinstance(answer, dict):
            return [f"{place}: a mapping of row id to answer is expected"]
        out = []
        rows = self._rows[q.id]
        for row, value in answer.items():
            where = f"{place}.{row}"
            if row not in rows:
                out.append(f"{where}: no row {row!r} in {q.id}")
            elif value is None:
                continue
            elif kind == "grid":
                columns = self._points[q.id]
                if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
                    out.append(f"{where}: a list of column ids is expected")
                else:
                    out += [f"{where}: no column {c!r} in {q.id}" for c in value if c not in columns]
            elif kind == "scale":
                low, high = q.scale.min, q.scale.max
                if not (isinstance(value, int) and not isinstance(value, bool)) or not low <= value <= high:
                    out.append(f"{where}: {value!r} is off the scale (a whole number from {low} to {high})")
            elif kind == "yes_partly_no" and value not in YES_PARTLY_NO:
                out.append(f"{where}: {value!r} is not one of yes, partly, no")
        return out

    def unanswered(self, answers: dict[str, Any]) -> list[str]:
        """The required questions without an answer. Checkboxes left empty are an answer ("none of these") once
        the page was saved, unless the question has its own "none" option to tick; a question of rows needs
        every row answered."""
        missing = []
        for qid, q in self.questions.items():
            if not q.is_required:
                continue
            answer = answers.get(qid)
            if (
                answer is None
                or answer == ""
                or (answer == [] and qid in self._exclusive)
                or (q.type in ("scale", "yes_partly_no") and any(answer.get(r) is None for r in self._rows[qid]))
            ):
                missing.append(qid)
        return missing

    # -- scoring -------------------------------------------------------------------------------------------------

    def raw(self, qid: str, answer: Any) -> float:
        """A question's raw points (the missing-answers rule: nothing ticked 0, a scale row 0, a yes/partly/no
        row "no", a number 0 points)."""
        if answer is None:
            return 0.0
        q = self.questions[qid]
        kind = q.type
        if kind == "multiple_choice":
            points = self._points[qid]
            exclusive = self._exclusive.get(qid)
            if exclusive is not None and exclusive in answer:
                return points[exclusive]
            return sum(points[o] for o in set(answer))
        if kind == "single_choice":
            return self._points[qid][answer]
        if kind == "grid":
            points = self._points[qid]
            return sum(points[c] for columns in answer.values() if columns for c in set(columns))
        if kind == "scale":
            return float(sum(v for v in answer.values() if v is not None))
        if kind == "yes_partly_no":
            return sum(YES_PARTLY_NO[v] for v in answer.values() if v is not None)
        if kind == "number":
            got = 0.0
            for band in q.points:
                if answer >= band.start:
                    got = band.points
            return got
        return 0.0

    def question_score(self, qid: str, answer: Any, mode: str) -> float:
        most = self._maximum[qid]
        raw = max(0.0, self.raw(qid, answer))
        score = 10 * raw / most if mode == "proportional" else min(10.0, raw * 10 / min(10.0, most))
        return min(10.0, score)

    def score(self, answers: dict[str, Any], mode: str | None = None) -> Scores:
        """The scores of these answers; `AnswersInvalid` when they do not fit the questionnaire."""
        mode = mode or self.questionnaire.scoring.mode
        if mode not in MODES:
            raise AnswersInvalid([f"mode: {mode!r} is not one of {', '.join(MODES)}"])
        if problems := self.problems(answers):
            raise AnswersInvalid(problems)
        questions: dict[str, float] = {}
        dimensions: dict[str, float] = {}
        total = weights = 0.0
        for dim_id, dim_weight, scored in self._dimensions:
            sum_ = sum_w = 0.0
            for qid, weight in scored:
                s = questions[qid] = self.question_score(qid, answers.get(qid), mode)
                sum_ += weight * s
                sum_w += weight
            value = dimensions[dim_id] = 10 * sum_ / sum_w
            total += dim_weight * value
            weights += dim_weight
        overall = total / weights
        band = self._bands[0][1]
        for start, band_id in self._bands:
            if overall >= start:
                band = band_id
        return Scores(self.questionnaire.id, self.version, mode, questions, dimensions, overall, band)
