"""greenbridge alerts run: match new and changed notices against every watch, then send what is due.
Run it from cron (e.g. every 15 minutes); daily and weekly digests go out when due. A watch or notice that
cannot be matched, and an e-mail, webhook or forward that cannot be sent, is skipped and counted; the others
go on (the exit status is 0: the run did its job)."""

from django.core.management.base import BaseCommand

from greenbridge.matching.models import MatchRun
from greenbridge.matching.services import alerts_run


class Command(BaseCommand):
    help = "Match new and changed notices against every watch and deliver the alerts that are due."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("run", help="match, then send e-mail digests and webhooks that are due")

    def handle(self, *args, action, **options):
        counts = alerts_run()
        self.stdout.write(
            "{notices} notices read, matched against {watches} watches: {matches} new matches, {events} alerts; "
            "{emails} e-mails sent ({email_failures} failed), "
            "{webhooks} webhooks delivered ({webhook_failures} failed, retried later), "
            "{forward_emails} forward e-mails sent ({forward_failures} failed)".format(**counts)
        )
        if counts["skipped_watches"] or counts["skipped_notices"]:
            run = MatchRun.objects.filter(finished__isnull=False).first()
            self.stdout.write(
                f"Skipped {counts['skipped_watches']} watches and {counts['skipped_notices']} notices "
                "that could not be matched (the others were):"
            )
            for problem in run.problems if run else []:
                self.stdout.write(f"  {problem}")
