"""greenbridge alerts run: match new and changed notices against every watch, then send what is due.
Run it from cron (e.g. every 15 minutes); daily and weekly digests go out when due."""

from django.core.management.base import BaseCommand

from greenbridge.matching.services import alerts_run


class Command(BaseCommand):
    help = "Match new and changed notices against every watch and deliver the alerts that are due."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("run", help="match, then send e-mail digests and webhooks that are due")

    def handle(self, *args, action, **options):
        counts = alerts_run()
        self.stdout.write(
            "{notices} notices read, {matches} new matches, {events} alerts; "
            "{emails} e-mails sent ({email_failures} failed), "
            "{webhooks} webhooks delivered ({webhook_failures} failed, retried later)".format(**counts)
        )
