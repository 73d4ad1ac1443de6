"""greenbridge assessment load [FILE ...] | check FILE ... | score ANSWERS.json [--mode MODE]

- load: store questionnaire files (YAML or JSON, docs/questionnaires.md); without a file, the ones GreenBridge
  ships. A file with problems is refused whole, every problem listed.
- check: list a file's problems without loading it.
- score: the scores of answers, as JSON, with the questionnaire's latest version loaded here (or, when none is
  loaded, the one shipped with that id): {"questionnaire": ID, "mode": MODE (optional), "answers": {...}}."""

import json

from django.core.management.base import BaseCommand, CommandError

from greenbridge.assessments.format import QuestionnaireInvalid, parse, read_file
from greenbridge.assessments.models import Questionnaire
from greenbridge.assessments.scoring import AnswersInvalid, Scorer
from greenbridge.assessments.services import SHIPPED, load_file, load_shipped
from greenbridge.core.jsonfile import JsonFileError, read_json


class Command(BaseCommand):
    help = "Load and check questionnaires; score answers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load questionnaire files (none: the ones GreenBridge ships)")
        load.add_argument("files", nargs="*")
        check = sub.add_parser("check", help="list a questionnaire file's problems without loading it")
        check.add_argument("files", nargs="+")
        score = sub.add_parser("score", help="print the scores of an ANSWERS.json file as JSON")
        score.add_argument("answers")
        score.add_argument("--mode", choices=["proportional", "capped_raw"])

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _load(self, files, **options):
        try:
            loaded = [load_file(f) for f in files] if files else load_shipped()
        except QuestionnaireInvalid as exc:
            raise CommandError(self._problems(exc)) from exc
        for item in loaded:
            self.stdout.write(item.describe())

    def _check(self, files, **options):
        failed = False
        for path in files:
            try:
                spec = parse(read_file(path))
            except QuestionnaireInvalid as exc:
                failed = True
                self.stderr.write(f"{path}:\n{self._problems(exc)}")
                continue
            n = sum(len(d.questions) for d in spec.dimensions)
            self.stdout.write(f"{path}: {spec.id}, {len(spec.dimensions)} dimensions, {n} questions: no problems")
        if failed:
            raise CommandError("some files have problems (listed above)")

    def _score(self, answers, mode=None, **options):
        try:
            data = read_json(answers)
        except JsonFileError as exc:
            raise CommandError(str(exc)) from exc
        if not isinstance(data, dict) or not isinstance(data.get("questionnaire"), str):
            raise CommandError(f'{answers}: expected {{"questionnaire": ID, "answers": {{...}}}}')
        unknown = set(data) - {"questionnaire", "mode", "answers"}
        if unknown:
            raise CommandError(f"{answers}: unknown field(s) {', '.join(sorted(unknown))}")
        mode = mode or data.get("mode")
        scorer = self._scorer(data["questionnaire"])
        try:
            scores = scorer.score(data.get("answers") or {}, mode)
        except AnswersInvalid as exc:
            raise CommandError(f"{answers}:\n" + "\n".join(f"  {p}" for p in exc.problems)) from exc
        json.dump(scores.as_json(), self.stdout, ensure_ascii=False, indent=2)
        self.stdout.write("")

    @staticmethod
    def _scorer(slug: str) -> Scorer:
        stored = Questionnaire.objects.filter(slug=slug).order_by("-version").first()
        if stored is not None:
            return stored.scorer
        for path in sorted(SHIPPED.glob("*.yaml")):
            spec = parse(read_file(path))
            if spec.id == slug:
                return Scorer(spec)
        known = sorted(
            {*Questionnaire.objects.values_list("slug", flat=True), *(p.stem for p in SHIPPED.glob("*.yaml"))}
        )
        raise CommandError(f"no questionnaire {slug!r} (known: {', '.join(known) or 'none'})")

    @staticmethod
    def _problems(exc: QuestionnaireInvalid) -> str:
        return "\n".join(f"  {p}" for p in exc.problems)
