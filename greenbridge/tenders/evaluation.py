"""Measure the notice search on a judged set (data/judgements/search_v1.json): precision@10, recall@50 and nDCG@10
(core.judged) per mode.

A judged search set holds queries as people type them, each with its intent, and for (query, notice) pairs
"relevant", "partly" or "not" with a reason; every pair not listed is not relevant. Its "corpus" names the files
that hold its notices (matching.evaluation's format: the same corpus can serve both). Each query is run as the
search page runs it, best match first, with no filter; a query none of whose notices is relevant or partly says
nothing about a ranking and is left out of the means.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greenbridge.core.jsonfile import JsonFileError, read_json
from greenbridge.core.judged import GAIN
from greenbridge.core.judged import figures as judged_figures

from . import search
from .models import Notice

# What the search looks for besides the words as typed (TextSearch's switches), from none to all.
MODES: dict[str, dict[str, bool]] = {
    "these words only": {"across_languages": False, "phrases": False},
    "across languages, word by word": {"across_languages": True, "phrases": False},
    "across languages": {"across_languages": True, "phrases": True},
}


class SearchJudgementsError(ValueError):
    pass


@dataclass
class SearchResult:
    mode: str
    precision_at_10: float
    recall_at_50: float
    ndcg_at_10: float
    queries: int  # measured: with a relevant or partly relevant notice
    empty: int  # of those, how many found nothing
    per_query: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "precision_at_10": round(self.precision_at_10, 3),
            "recall_at_50": round(self.recall_at_50, 3),
            "ndcg_at_10": round(self.ndcg_at_10, 3),
            "queries": self.queries,
            "queries_finding_nothing": self.empty,
            "per_query": self.per_query,
        }


def load_search_judgements(path: Path) -> dict[str, Any]:
    """{"queries": [{"id", "query", "lang", "intent"}], "judged": query id -> {(source, source_id): gain},
    "pairs": how many pairs were listed, "corpus": [(connector, path, source)]}."""
    try:
        data = read_json(path)
    except JsonFileError as exc:
        raise SearchJudgementsError(str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("queries"), list):
        raise SearchJudgementsError(f"{path}: expected an object with 'queries' and 'judgements'")
    queries = data["queries"]
    judged: dict[str, dict[tuple[str, str], int]] = {q["id"]: {} for q in queries}
    for j in data.get("judgements", []):
        if j.get("query") not in judged or j.get("relevance") not in GAIN:
            raise SearchJudgementsError(f"{path}: bad judgement {j!r}")
        judged[j["query"]][(j["source"], j["source_id"])] = GAIN[j["relevance"]]
    return {
        "queries": queries,
        "judged": judged,
        "pairs": len(data.get("judgements", [])),
        "corpus": [tuple(item) for item in data.get("corpus", [])],
    }


def _mean(values: list[float | None]) -> float:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else 0.0


def evaluate_search(judgements: dict[str, Any], modes: dict[str, dict[str, bool]] = MODES) -> list[SearchResult]:
    """Each mode's figures over the notices in the database (the judged set's corpus, ingested)."""
    keys = {
        pk: (source, source_id) for pk, source, source_id in Notice.objects.values_list("id", "source", "source_id")
    }
    out = []
    for mode, switches in modes.items():
        per_query = {}
        empty = 0
        for q in judgements["queries"]:
            judged = judgements["judged"][q["id"]]
            if not any(judged.values()):
                continue
            found = search.TextSearch(Notice.objects.all(), q["query"], **switches).or_some_words()  # as the page does
            ranked = [keys[pk] for pk in found.ids(0, 50)]
            gains = [judged.get(key, 0) for key in ranked]
            empty += not ranked
            per_query[q["id"]] = {
                "query": q["query"],
                "lang": q.get("lang", ""),
                "found": found.count(),
                "gains": gains[:10],
                **judged_figures(gains, judged.values()),
            }
        figures = list(per_query.values())
        out.append(
            SearchResult(
                mode,
                _mean([f["p10"] for f in figures]),
                _mean([f["r50"] for f in figures]),
                _mean([f["ndcg10"] for f in figures]),
                len(figures),
                empty,
                per_query,
            )
        )
    return out
