"""greenbridge events tick: expire unanswered meeting requests and send event reminders (run hourly). An
e-mail that cannot be sent is counted and the others go out."""

from django.core.management.base import BaseCommand

from greenbridge.events.services import events_tick


class Command(BaseCommand):
    help = "Event housekeeping: expire unanswered meeting requests, send reminders two days before events."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("tick", help="run once (from cron, every hour)")

    def handle(self, *args, action, **options):
        counts = events_tick()
        self.stdout.write(
            "{expired} requests expired, {reminders} reminders sent ({reminder_failures} failed, retried later), "
            "{outcome_requests} outcome requests sent ({outcome_request_failures} failed)".format(**counts)
        )
