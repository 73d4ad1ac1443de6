"""Measure matching quality on a judged set: precision@10, recall@50 and nDCG@10 per mode.

The judged set (data/judgements/watches_v1.json) holds SME profiles with their watches and, for each
(profile, notice) pair, "relevant", "partly" or "not" with a reason. Each watch is run against the
notices in the database as alerts would run it (its minimum score applies); notices not judged count as
not relevant.
- precision@10: the share of relevant notices among the first 10 returned (a watch that returns
  nothing has no precision and is left out of the mean; how many did is reported);
- recall@50: the share of a profile's relevant notices found in the first 50 (profiles with any);
- nDCG@10: graded (relevant 2, partly 1), over profiles with any relevant or partly notice.
"Relevant" is strict: a "partly" counts in nDCG only.
"""

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greenbridge.core.jsonfile import JsonFileError, read_json

from .engine import SIGNALS, WatchInvalid, WatchSpec
from .selectors import match_preview
from .semantic import Reranker

GAIN = {"relevant": 2, "partly": 1, "not": 0}
MODES: dict[str, frozenset[str]] = {
    "cpv-only": frozenset({"cpv"}),
    "keyword-only": frozenset({"keywords"}),
    "combined-no-labels": frozenset({"cpv", "keywords", "sectors"}),
    "combined": SIGNALS,
}


class JudgementsError(ValueError):
    pass


@dataclass
class ModeResult:
    mode: str
    precision_at_10: float
    recall_at_50: float
    ndcg_at_10: float
    empty: int  # watches that returned nothing
    profiles: int
    per_profile: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "precision_at_10": round(self.precision_at_10, 3),
            "recall_at_50": round(self.recall_at_50, 3),
            "ndcg_at_10": round(self.ndcg_at_10, 3),
            "watches_returning_nothing": self.empty,
            "profiles": self.profiles,
        }


def load_judgements(path: Path) -> dict[str, Any]:
    try:
        data = read_json(path)
    except JsonFileError as exc:
        raise JudgementsError(str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        raise JudgementsError(f"{path}: expected an object with 'profiles' and 'judgements'")
    specs = {}
    for profile in data["profiles"]:
        try:
            specs[profile["id"]] = WatchSpec.from_data(profile["watch"])
        except (KeyError, TypeError) as exc:
            raise JudgementsError(f"{path}: a profile lacks 'id' or 'watch'") from exc
        except WatchInvalid as exc:
            raise JudgementsError(f"{path}: profile {profile['id']}: {exc}") from exc
    judged: dict[str, dict[tuple[str, str], int]] = {pid: {} for pid in specs}
    for j in data.get("judgements", []):
        if j.get("profile") not in judged or j.get("relevance") not in GAIN:
            raise JudgementsError(f"{path}: bad judgement {j!r}")
        judged[j["profile"]][(j["source"], j["source_id"])] = GAIN[j["relevance"]]
    return {"specs": specs, "judged": judged, "pairs": sum(len(v) for v in judged.values())}


def _dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def evaluate(
    judgements: dict[str, Any],
    modes: dict[str, frozenset[str]] = MODES,
    now=None,
    reranker: Reranker | None = None,
) -> list[ModeResult]:
    """Each mode's figures; with a re-ranker, also "combined + embeddings" (all signals, re-ranked)."""
    runs = [(mode, signals, None) for mode, signals in modes.items()]
    if reranker is not None:
        runs.append(("combined + embeddings", SIGNALS, reranker))
    out = []
    for mode, signals, rerank in runs:
        precisions, recalls, ndcgs, empty = [], [], [], 0
        per_profile = {}
        for pid, spec in judgements["specs"].items():
            judged = judgements["judged"][pid]
            ranked = [
                (r.notice.source, r.notice.source_id)
                for r in match_preview(spec, limit=50, signals=signals, now=now, candidates=100_000, reranker=rerank)
            ]
            gains = [judged.get(key, 0) for key in ranked]
            relevant_total = sum(1 for g in judged.values() if g == 2)
            if not ranked:
                empty += 1
            else:
                top = gains[:10]
                precisions.append(sum(1 for g in top if g == 2) / len(top))
            if relevant_total:
                recalls.append(sum(1 for g in gains[:50] if g == 2) / relevant_total)
            ideal = sorted(judged.values(), reverse=True)[:10]
            if any(ideal):
                ndcgs.append(_dcg(gains[:10]) / _dcg(ideal))
            per_profile[pid] = {"returned": len(ranked), "gains": gains[:10]}
        out.append(
            ModeResult(
                mode=mode,
                precision_at_10=sum(precisions) / len(precisions) if precisions else 0.0,
                recall_at_50=sum(recalls) / len(recalls) if recalls else 0.0,
                ndcg_at_10=sum(ndcgs) / len(ndcgs) if ndcgs else 0.0,
                empty=empty,
                profiles=len(judgements["specs"]),
                per_profile=per_profile,
            )
        )
    return out
