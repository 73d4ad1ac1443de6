import csv
import json

from django.core.management.base import BaseCommand, CommandError

from greenbridge.market.selectors import GROUP_KEYS, STATS_COLUMNS, make_slice, market_rows
from greenbridge.market.services import refresh_facts


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


class Command(BaseCommand):
    help = (
        "Market figures from the notices and awards. `market stats --by country,year[,sector|cpv_division]` "
        "writes a row per group (JSON lines or CSV); `market refresh [--all]` brings the figures up to date."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        stats = sub.add_parser("stats", help="the figures per group")
        stats.add_argument("--by", required=True, help="comma-separated: country, year, sector, cpv_division")
        stats.add_argument("--country", nargs="+", default=[], help="buyer countries (ISO codes: MD UA RO)")
        stats.add_argument("--sector", nargs="+", default=[], help="green sectors (water, energy_efficiency, …)")
        stats.add_argument("--cpv", nargs="+", default=[], help="CPV code prefixes, 2 to 8 digits")
        stats.add_argument("--year-from", type=int)
        stats.add_argument("--year-to", type=int)
        stats.add_argument("--kind", nargs="+", default=[], choices=["planning", "competition", "award", "other"])
        stats.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        refresh = sub.add_parser("refresh", help="read the notices changed since the last refresh")
        refresh.add_argument("--all", action="store_true", help="read every notice again")

    def handle(self, *args, action, **options):
        if action == "refresh":
            done = refresh_facts(complete=options["all"])
            self.stdout.write(f"{done.notices} notices and {done.awards} awards read in {done.seconds:.1f} s")
            return
        by = _list(options["by"])
        unknown = [k for k in by if k not in GROUP_KEYS]
        if not by or unknown or len(set(by)) != len(by):
            raise CommandError(f"--by takes one or more of {', '.join(GROUP_KEYS)}, each once; got {options['by']!r}")
        try:
            market = make_slice(
                countries=options["country"],
                sectors=options["sector"],
                cpv=options["cpv"],
                year_from=options["year_from"],
                year_to=options["year_to"],
                kinds=options["kind"],
            )
        except ValueError as e:
            raise CommandError(str(e)) from None
        rows = market_rows(market, by)
        if options["format"] == "jsonl":
            for row in rows:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=STATS_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
