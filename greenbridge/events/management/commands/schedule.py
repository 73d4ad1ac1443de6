"""greenbridge schedule solve INPUT.json [--time-limit SECONDS] [--out OUTPUT.json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenbridge.core.jsonfile import JsonFileError, read_json
from greenbridge.events.scheduling import Problem, ScheduleInvalid, solve


class Command(BaseCommand):
    help = "Place a brokerage event's accepted meetings into slots and tables (format: docs/scheduling.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        solve_ = sub.add_parser("solve", help="schedule the meetings of a JSON file")
        solve_.add_argument("input", help="the event's slots, tables, participants and meetings (JSON)")
        solve_.add_argument("--time-limit", type=float, default=30.0, help="seconds the solver may use (30)")
        solve_.add_argument("--out", help="write the schedule here instead of printing it")

    def handle(self, *args, action, input, time_limit, out, **options):
        if time_limit <= 0:
            raise CommandError("--time-limit must be more than 0 seconds")
        try:
            problem = Problem.from_data(read_json(input))
        except JsonFileError as exc:
            raise CommandError(str(exc)) from exc
        except ScheduleInvalid as exc:
            raise CommandError("the input cannot be scheduled:\n" + "\n".join(f"  {e}" for e in exc.errors)) from exc
        schedule = solve(problem, time_limit)
        text = json.dumps(schedule.as_data(problem), ensure_ascii=False, indent=1)
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(
                f"{schedule.status}: {len(schedule.placement)} of {len(problem.meetings)} meetings, "
                f"{schedule.gaps} gaps (at most {schedule.max_gaps_per_participant} for one participant), "
                f"{schedule.seconds:.1f} s -> {out}"
            )
        else:
            self.stdout.write(text)
