"""greenbridge match preview WATCH.json [--limit N] | greenbridge match evaluate --judgements FILE"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenbridge.core.jsonfile import JsonFileError, read_json
from greenbridge.matching import semantic
from greenbridge.matching.engine import WatchInvalid, WatchSpec
from greenbridge.matching.evaluation import JudgementsError, evaluate, load_judgements
from greenbridge.matching.explain import described
from greenbridge.matching.selectors import match_breadth, match_preview


class Command(BaseCommand):
    help = "Preview what a watch matches, or measure matching quality on a judged set."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        preview = sub.add_parser("preview", help="Print the notices a watch matches (JSON Lines, best first).")
        preview.add_argument("watch", help="a JSON file with the watch's fields")
        preview.add_argument("--limit", type=int, default=20)
        ev = sub.add_parser("evaluate", help="precision@10, recall@50 and nDCG@10 on a judged set")
        ev.add_argument("--judgements", required=True, help="e.g. data/judgements/watches_v1.json")
        ev.add_argument("--json", action="store_true", help="print JSON instead of a table")
        ev.add_argument(
            "--embeddings",
            metavar="MODEL",
            help="also measure 'combined + embeddings' with this sentence-transformers model (name or folder)",
        )

    def handle(self, *args, action, **options):
        if action == "preview":
            self.preview(options["watch"], options["limit"])
        else:
            self.evaluate(options["judgements"], options["json"], options["embeddings"])

    def preview(self, path: str, limit: int) -> None:
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        try:
            spec = WatchSpec.from_data(read_json(path))
        except JsonFileError as exc:
            raise CommandError(str(exc)) from exc
        except WatchInvalid as exc:
            lines = [f"  {name}: {msg}" for name, msgs in exc.errors.items() for msg in msgs]
            raise CommandError("the watch cannot be used:\n" + "\n".join(lines)) from exc
        for warning in spec.warnings():
            self.stderr.write(f"note: {warning}")
        results = match_preview(spec, limit=None, reranker=semantic.configured())
        if broad := match_breadth(results):
            self.stderr.write(f"note: this watch matches {broad[0]:,} of the {broad[1]:,} notices in GreenBridge now")
        for r in results[:limit]:
            row = {
                "source": r.notice.source,
                "source_id": r.notice.source_id,
                "title": r.notice.title,
                "score": r.score,
                "explanation": described(r.explanation, "en"),
            }
            self.stdout.write(json.dumps(row, ensure_ascii=False))

    def evaluate(self, path: str, as_json: bool, model: str | None) -> None:
        try:
            judgements = load_judgements(Path(path))
            reranker = semantic.load(model) if model else None
        except (JudgementsError, semantic.ModelUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        results = evaluate(judgements, reranker=reranker)
        if as_json:
            self.stdout.write(json.dumps([r.as_dict() for r in results], indent=1))
            return
        n = len(judgements["specs"])
        self.stdout.write(f"{n} watches, {judgements['pairs']} judged pairs\n")
        self.stdout.write(f"{'mode':<22} {'P@10':>6} {'R@50':>6} {'nDCG@10':>8} {'empty':>6}")
        for r in results:
            self.stdout.write(
                f"{r.mode:<22} {r.precision_at_10:>6.3f} {r.recall_at_50:>6.3f} {r.ndcg_at_10:>8.3f} {r.empty:>6}"
            )
