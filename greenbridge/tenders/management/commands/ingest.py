import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from greenbridge.tenders.models import IngestRun
from greenbridge.tenders.services import CONNECTORS, notices_ingest


class Command(BaseCommand):
    # The system checks import every URL configuration (and with the events pages, OR-Tools and
    # pandas): a second or more of CPU on each run of a command that cron starts every few minutes,
    # and half the time of a small feed. `greenbridge check` (and runserver, migrate) still run them.
    requires_system_checks = []
    help = (
        "Ingest procurement notices. `ingest ocds PATH_OR_URL` reads OCDS release/record packages, "
        "releases, JSON Lines, .gz files, directories and http(s) URLs; `ingest eforms PATH` reads "
        "eForms XML notices and TED's notices from before eForms (R2.0.9), directories, .zip/.tar.gz archives "
        "and TED's monthly packages (archives of daily archives)."
    )

    def add_arguments(self, parser):
        parser.add_argument("connector", choices=sorted(CONNECTORS))
        parser.add_argument("location", help="a file, a directory, an archive or an http(s) URL")
        parser.add_argument("--source", help="source name (default: 'ocds' for OCDS, 'ted' for eForms)")
        parser.add_argument(
            "--pages",
            type=int,
            default=1,
            help="for an OCDS API URL: read this many pages, following each page's links.next (default 1)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="processes that share the work of a local OCDS input (default: GREENBRIDGE_BATCH_PROCESSES, "
            "2 on a machine with two cores or more, for an input of 8 MB or more; 1 otherwise)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, connector, location, source, pages, processes, no_progress, **options):
        show = not no_progress and sys.stderr.isatty()
        # No tqdm monitor thread (it only tunes how often the bar redraws): a process with one thread may fork
        # the processes that share a large file (core.processes).
        tqdm.monitor_interval = 0
        with tqdm(desc="notices", unit=" items", disable=not show, file=sys.stderr) as bar:
            ingest_run = notices_ingest(
                connector=connector,
                location=location,
                source=source,
                pages=pages,
                progress=bar.update,
                processes=processes,
            )
        self.report(ingest_run)
        if ingest_run.status == IngestRun.Status.FAILED:
            raise CommandError(ingest_run.error)

    def report(self, r: IngestRun) -> None:
        processes = getattr(r, "processes", 1)
        shared = f", {processes} processes" if processes > 1 else ""
        self.stdout.write(
            f"{r.connector} {r.location} (source {r.source}{shared}): read {r.read}, created {r.created}, "
            f"updated {r.updated}, unchanged {r.unchanged}, rejected {r.rejected}"
        )
        for rejection in r.rejections:
            self.stdout.write(f"  rejected {rejection['position']}: {rejection['reason']}")
        if r.rejected > len(r.rejections):
            self.stdout.write(f"  … and {r.rejected - len(r.rejections)} more rejections")
