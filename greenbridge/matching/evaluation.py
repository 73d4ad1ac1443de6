"""Measure matching quality on a judged set: precision@10, recall@50 and nDCG@10 per mode.

A judged set (data/judgements/watches_v2.json) holds SME profiles with their watches and, for (profile,
notice) pairs, "relevant", "partly" or "not" with a reason. A set with a "pool" judged every pair of a
profile and a pool notice (those not listed are not relevant); its "corpus" names the files that hold the
pool (`ingest_corpus`). A watch may be "judged_as" another profile: the same company writing its watch in
another style (keywords only, codes only). Each watch is run against the notices in the database as alerts
would run it (its minimum score applies); notices not judged count as not relevant. A watch is measured
within its own scope: a notice outside the countries or notice types the watch asks for cannot be returned,
so it counts neither in the ideal ranking nor in recall (a France-only watch is not blamed for missing an
Armenian notice its company would find "partly" relevant).
- precision@10: the share of relevant notices among the first 10 returned (a watch that returns
  nothing has no precision and is left out of the mean; how many did is reported);
- recall@50: the share of a profile's relevant notices found in the first 50 (profiles with any);
- nDCG@10: graded (relevant 2, partly 1), over profiles with any relevant or partly notice.
"Relevant" is strict: a "partly" counts in nDCG only.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greenbridge.core.jsonfile import JsonFileError, read_json
from greenbridge.core.judged import GAIN
from greenbridge.core.judged import figures as judged_figures

from .engine import SIGNALS, Matcher, NoticeFacts, Result, WatchInvalid, WatchSpec
from .semantic import Reranker

MODES: dict[str, frozenset[str]] = {
    "cpv-only": frozenset({"cpv"}),
    "keyword-only": frozenset({"keywords"}),
    "combined-no-labels": frozenset({"cpv", "keywords", "sectors"}),
    "combined-no-translations": SIGNALS - {"translations", "keyword_codes"},
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
    by_style: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "precision_at_10": round(self.precision_at_10, 3),
            "recall_at_50": round(self.recall_at_50, 3),
            "ndcg_at_10": round(self.ndcg_at_10, 3),
            "watches_returning_nothing": self.empty,
            "profiles": self.profiles,
            "by_style": {k: {m: round(v, 3) for m, v in d.items()} for k, d in self.by_style.items()},
        }


def load_judgements(path: Path) -> dict[str, Any]:
    """{"specs": watch id -> WatchSpec, "judged": watch id -> {(source, source_id): gain}, "styles": watch id ->
    style, "pairs": how many (profile, notice) pairs were judged, "corpus": [(connector, path, source)]}."""
    try:
        data = read_json(path)
    except JsonFileError as exc:
        raise JudgementsError(str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        raise JudgementsError(f"{path}: expected an object with 'profiles' and 'judgements'")
    specs, judged_as, styles = {}, {}, {}
    for profile in data["profiles"]:
        try:
            specs[profile["id"]] = WatchSpec.from_data(profile["watch"])
        except (KeyError, TypeError) as exc:
            raise JudgementsError(f"{path}: a profile lacks 'id' or 'watch'") from exc
        except WatchInvalid as exc:
            raise JudgementsError(f"{path}: profile {profile['id']}: {exc}") from exc
        judged_as[profile["id"]] = profile.get("judged_as") or profile["id"]
        styles[profile["id"]] = profile.get("style") or "codes+keywords"
    missing = sorted(set(judged_as.values()) - set(specs))
    if missing:
        raise JudgementsError(f"{path}: judged_as names unknown profiles: {', '.join(missing)}")
    by_profile: dict[str, dict[tuple[str, str], int]] = {pid: {} for pid in specs if judged_as[pid] == pid}
    pool = [tuple(key.split("|", 1)) for key in data.get("pool", [])]
    for pid in by_profile:
        by_profile[pid] = dict.fromkeys(pool, 0)
    for j in data.get("judgements", []):
        if j.get("profile") not in by_profile or j.get("relevance") not in GAIN:
            raise JudgementsError(f"{path}: bad judgement {j!r}")
        by_profile[j["profile"]][(j["source"], j["source_id"])] = GAIN[j["relevance"]]
    return {
        "specs": specs,
        "judged": {wid: by_profile[judged_as[wid]] for wid in specs},
        "styles": styles,
        "pairs": sum(len(v) for v in by_profile.values()),
        "corpus": [tuple(item) for item in data.get("corpus", [])],
    }


def ingest_corpus(judgements: dict[str, Any], data_dir: Path) -> None:
    """Ingest the judged set's corpus (paths under `data_dir`) into the database, as an operator would."""
    from greenbridge.tenders.services import notices_ingest

    for connector, location, source in judgements["corpus"]:
        notices_ingest(connector=connector, location=str(data_dir / location), source=source)


def _mean(per_watch: dict[str, dict[str, float | None]], name: str, ids: Iterable[str]) -> float:
    """The mean of a figure over these watches, leaving out those it is undefined for."""
    values = [v for i in ids if (v := per_watch[i][name]) is not None]
    return sum(values) / len(values) if values else 0.0


def evaluate(
    judgements: dict[str, Any],
    modes: dict[str, frozenset[str]] = MODES,
    now=None,
    reranker: Reranker | None = None,
    *,
    scoped: bool = True,
    engine: Any = None,
) -> list[ModeResult]:
    """Each mode's figures; with a re-ranker, also "combined + embeddings" (all signals, re-ranked). `engine` is a
    module with `Matcher` and `NoticeFacts` (another version of the engine, to compare; the judgements' specs
    must be that engine's) and `scoped=False` measures against every judged notice, the watch's own filters
    notwithstanding."""
    matcher_class, facts_class = (engine.Matcher, engine.NoticeFacts) if engine else (Matcher, NoticeFacts)
    runs = [(mode, signals, None) for mode, signals in modes.items()]
    if reranker is not None:
        runs.append(("combined + embeddings", SIGNALS, reranker))
    # What a watch may return at all: the notices in its countries and of its notice types (its own filters).
    from greenbridge.tenders.models import Notice

    facts = {
        (source, source_id): (country, notice_type)
        for source, source_id, country, notice_type in Notice.objects.values_list(
            "source", "source_id", "buyer_country", "notice_type"
        )
    }
    scopes = {
        pid: {
            key
            for key in judgements["judged"][pid]
            if key in facts
            and (not spec.countries or facts[key][0] in spec.country_set)
            and (not spec.notice_types or facts[key][1] in spec.notice_types)
        }
        for pid, spec in judgements["specs"].items()
    }
    out = []
    ids = list(judgements["specs"])
    rows = [facts_class.from_row(row) for row in Notice.objects.values(*facts_class.FIELDS).iterator(chunk_size=1000)]
    for mode, signals, rerank in runs:
        # Every notice against every watch, as an alert run matches them (no candidate search in between).
        matcher = matcher_class([judgements["specs"][pid] for pid in ids], signals=signals, now=now)
        results: dict[str, list[Result]] = {pid: [] for pid in ids}
        for facts in rows:
            for r in matcher.match(facts):
                results[ids[r.watch]].append(r)
        per_watch: dict[str, dict[str, float | None]] = {}
        empty = 0
        per_profile = {}
        for pid, spec in judgements["specs"].items():
            # Judged notices the watch's own filters leave out cannot be found: the ideal is within its scope.
            judged = {key: gain for key, gain in judgements["judged"][pid].items() if key in scopes[pid] or not scoped}
            # Ties in the order of the notices' sources and ids: the same every run (database ids follow the order
            # of ingestion).
            found = sorted(results[pid], key=lambda r: (-r.score, r.notice.source, r.notice.source_id))
            if rerank is not None:
                found = rerank.rerank(spec, found)
            ranked = [(r.notice.source, r.notice.source_id) for r in found[:50]]
            gains = [judged.get(key, 0) for key in ranked]
            if not ranked:
                empty += 1
            figures = judged_figures(gains, judged.values())
            per_watch[pid] = figures
            per_profile[pid] = {"returned": len(ranked), "gains": gains[:10], **figures}

        styles = judgements.get("styles") or dict.fromkeys(per_watch, "codes+keywords")
        by_style = {
            style: {
                name: _mean(per_watch, name, [w for w in per_watch if styles[w] == style])
                for name in ("p10", "r50", "ndcg10")
            }
            for style in sorted(set(styles.values()))
        }
        out.append(
            ModeResult(
                mode=mode,
                precision_at_10=_mean(per_watch, "p10", per_watch),
                recall_at_50=_mean(per_watch, "r50", per_watch),
                ndcg_at_10=_mean(per_watch, "ndcg10", per_watch),
                empty=empty,
                profiles=len(judgements["specs"]),
                per_profile=per_profile,
                by_style=by_style,
            )
        )
    return out
