"""Generated answers to a questionnaire at a given maturity per dimension: for the demo (its SMEs' assessments and
a cohort, labelled as generated) and the scoring benchmark. Deterministic for a given random generator."""

from __future__ import annotations

import functools
import random
from typing import Any

from .scoring import Scorer


def _level(levels: dict[str, float] | float, dimension: str, default: float) -> float:
    value = levels if isinstance(levels, float | int) else levels.get(dimension, default)
    return max(0.0, min(1.0, float(value)))


def _jitter(level: float, rng: random.Random) -> float:
    return max(0.0, min(1.0, level + rng.uniform(-0.2, 0.2)))


def answers_at(
    scorer: Scorer, levels: dict[str, float] | float, rng: random.Random, *, default: float = 0.5
) -> dict[str, Any]:
    """Answers to every required question (and none of the optional ones) that score about `levels` (0–1, per
    dimension id, `default` for the others; or one for all), with some spread."""
    answers: dict[str, Any] = {}
    for qid, q in scorer.questions.items():
        if not q.is_required:
            continue
        level = _level(levels, scorer.dimension_of[qid], default)
        jitter = functools.partial(_jitter, level, rng)
        kind = q.type
        if kind == "multiple_choice":
            plain = [o.id for o in q.options if not o.exclusive]
            k = round(jitter() * len(plain))
            exclusive = [o.id for o in q.options if o.exclusive]
            answers[qid] = sorted(rng.sample(plain, k)) if k else exclusive[:1]
        elif kind == "single_choice":
            most = max(o.points for o in q.options) or 1
            target = jitter()
            answers[qid] = min(q.options, key=lambda o: abs(o.points / most - target)).id
        elif kind == "grid":
            answers[qid] = {
                r.id: [c.id for c in q.columns if rng.random() < level] for r in q.rows if rng.random() < 0.95
            }
            answers[qid] = {row: cols for row, cols in answers[qid].items() if cols}
        elif kind == "scale":
            span = q.scale.max - q.scale.min
            answers[qid] = {r.id: q.scale.min + round(jitter() * span) for r in q.rows}
        elif kind == "yes_partly_no":
            answers[qid] = {r.id: ("yes" if (v := jitter()) > 0.66 else "partly" if v > 0.33 else "no") for r in q.rows}
        elif kind == "number":
            if q.points:
                most = max(b.points for b in q.points) or 1
                target = jitter()
                band = min(q.points, key=lambda b: abs(b.points / most - target))
                answers[qid] = band.start if q.min is None else max(q.min, band.start)
            else:
                answers[qid] = q.min if q.min is not None else 0
        elif kind == "text":
            answers[qid] = "—"
    return {qid: a for qid, a in answers.items() if a is not None}
