"""greenbridge schedule solve INPUT.json [--time-limit SECONDS] [--out OUTPUT.json]
greenbridge schedule export EVENT [--out INPUT.json]   (an event's meetings in that input format)"""

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
        export = sub.add_parser("export", help="write an event's accepted meetings as the solver's input")
        export.add_argument("event", help="the event's short name (as in its address)")
        export.add_argument("--out", help="write here instead of printing")

    def handle(self, *args, action, out, **options):
        if action == "export":
            return self.export(options["event"], out)
        return self.solve(options["input"], options["time_limit"], out)

    def export(self, slug: str, out: str | None) -> None:
        from greenbridge.events.models import Event
        from greenbridge.events.services import schedule_input

        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f"there is no event “{slug}”")
        data, meetings, names = schedule_input(event)
        data["names"] = names  # ignored by the solver; says who each participant id is
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"{len(meetings)} meetings, {len(names)} participants -> {out}")
        else:
            self.stdout.write(text)

    def solve(self, input: str, time_limit: float, out: str | None) -> None:
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
