import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenbridge.tenders.selectors import EXPORT_FIELDS, notice_export_row, notices_for_export

_LIST_COLUMNS = {"cpv_codes", "green_sectors"}
_OBJECT_COLUMNS = {"lots", "awards"}


class Command(BaseCommand):
    help = (
        "Work with stored notices. `notices export --format jsonl|csv [--source NAME]` writes every notice; "
        "`--format parquet --output DIR` writes notices.parquet, lots.parquet and awards.parquet into DIR."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write every notice with its normalised fields")
        export.add_argument("--format", choices=["jsonl", "csv", "parquet"], default="jsonl")
        export.add_argument("--source", help="only notices from this source")
        export.add_argument("--output", "-o", help="file to write (default: standard output); parquet: a folder")

    def handle(self, *args, action, format, source, output, **options):
        if format == "parquet":
            if not output:
                raise CommandError("--format parquet writes three files: give a folder with --output")
            from greenbridge.tenders.parquet import export

            counts = export(Path(output), source=source)
            self.stdout.write(
                f"{counts['notices']} notices, {counts['lots']} lots and {counts['awards']} awards written to {output}"
            )
            return
        out = open(output, "w", encoding="utf-8", newline="") if output else self.stdout  # noqa: SIM115
        try:
            if format == "jsonl":
                for notice in notices_for_export(source=source):
                    out.write(json.dumps(notice_export_row(notice), ensure_ascii=False) + "\n")
            else:
                # CSV: lists of codes joined with ";", lots and awards as JSON text in their cell.
                writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
                writer.writeheader()
                for notice in notices_for_export(source=source):
                    row = notice_export_row(notice)
                    for k in _LIST_COLUMNS:
                        row[k] = ";".join(row[k])
                    for k in _OBJECT_COLUMNS:
                        row[k] = json.dumps(row[k], ensure_ascii=False)
                    writer.writerow({k: "" if v is None else v for k, v in row.items()})
        finally:
            if output:
                out.close()
