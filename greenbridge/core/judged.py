"""How good a ranking is against judged relevance, for the evaluations of matching (matching.evaluation) and of
search (tenders.evaluation): each returned item's gain (relevant 2, partly 1, not 0), then
- precision@10: the share of relevant items among the first 10 returned (undefined when nothing is returned);
- recall@50: the share of the relevant items found in the first 50 (undefined when none is relevant);
- nDCG@10: graded, against the best order of the judged gains (undefined when none is relevant or partly).
"Relevant" is strict: a "partly" counts in nDCG only."""

import math
from collections.abc import Iterable

GAIN = {"relevant": 2, "partly": 1, "not": 0}


def dcg(gains: Iterable[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def figures(gains: list[int], judged: Iterable[int]) -> dict[str, float | None]:
    """{"p10", "r50", "ndcg10"} of a ranking whose first items have these `gains` (at least the first 50), against
    every judged gain (`judged`, those of the items not returned included)."""
    judged = list(judged)
    out: dict[str, float | None] = {"p10": None, "r50": None, "ndcg10": None}
    if gains:
        top = gains[:10]
        out["p10"] = sum(1 for g in top if g == 2) / len(top)
    if relevant := sum(1 for g in judged if g == 2):
        out["r50"] = sum(1 for g in gains[:50] if g == 2) / relevant
    ideal = sorted(judged, reverse=True)[:10]
    if any(ideal):
        out["ndcg10"] = dcg(gains[:10]) / dcg(ideal)
    return out
