"""greenbridge helpdesk queues [--format jsonl] | receive QUEUE [FILE ...] | fetch [QUEUE ...] | escalate

- queues: the help desks, one JSON object a line: {"slug", "email", "organisation", "languages"}.
- receive: RFC 822 messages for a queue (its short name or e-mail address), from files, mbox files (detected by
  their first line, "From "), or standard input when no file is given (for mail servers that pipe each message to
  a command). Each message becomes a ticket or a message of one, or is quarantined with the reason; one line is
  printed per message, and a message that cannot be taken in never stops the others.
- fetch: read the IMAP mailboxes of the queues that have one (all, or those named), from where the last poll
  stopped; a mailbox that cannot be read is reported and the others are read (exit status 1 if any failed).
- escalate: warn before service-level targets are missed, escalate those missed (run every few minutes).
- export --format jsonl [--queue SLUG] [-o FILE]: every ticket with its thread (helpdesk.export)."""

import json
import mailbox
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from greenbridge.helpdesk import export
from greenbridge.helpdesk.escalation import escalate
from greenbridge.helpdesk.intake import receive
from greenbridge.helpdesk.mailboxes import fetch, polled_queues
from greenbridge.helpdesk.models import Queue, Ticket


class Command(BaseCommand):
    help = "List the help desks; take in e-mail for one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        queues = sub.add_parser("queues", help="list the help desks")
        queues.add_argument("--format", choices=["jsonl", "text"], default="text")
        take = sub.add_parser("receive", help="take in RFC 822 messages (files, mbox files, or standard input)")
        take.add_argument("queue", help="the queue's short name or e-mail address")
        take.add_argument("files", nargs="*")
        poll = sub.add_parser("fetch", help="read the queues' IMAP mailboxes (from cron, every few minutes)")
        poll.add_argument("queues", nargs="*", help="short names or e-mail addresses (default: every queue)")
        poll.add_argument("--limit", type=int, default=None, help="at most this many messages per mailbox")
        sub.add_parser("escalate", help="warn before service-level targets are missed, escalate those missed")
        out = sub.add_parser("export", help="every ticket with its thread, one JSON object a line")
        out.add_argument("--format", choices=["jsonl"], default="jsonl")
        out.add_argument("--queue", action="append", default=[], help="only this queue (short name); repeatable")
        out.add_argument("-o", "--output", help="a file (default: standard output)")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _queues(self, format="text", **options):
        for q in Queue.objects.select_related("organisation").order_by("slug"):
            row = {"slug": q.slug, "email": q.email, "organisation": q.organisation.name, "languages": q.languages}
            if format == "jsonl":
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write(f"{q.slug}\t{q.email or '-'}\t{q.organisation.name}\t{','.join(q.languages)}")

    def _queue(self, name: str) -> Queue:
        found = Queue.objects.filter(Q(slug=name) | Q(email__iexact=name)).first()
        if found is None:
            raise CommandError(f"no help desk {name!r}: `greenbridge helpdesk queues` lists them")
        return found

    def _fetch(self, queues, limit=None, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1")
        chosen = [self._queue(name) for name in queues] or list(polled_queues())
        failed = 0
        for queue in chosen:
            if not queue.imap_host:
                self.stderr.write(f"{queue.slug}: no IMAP server set for this queue")
                failed += 1
                continue
            done = fetch(queue, limit=limit)
            if done.error:
                failed += 1
                self.stderr.write(f"{queue.slug}: not read: {done.error}")
                continue
            self.stdout.write(
                f"{queue.slug}: {done.opened} new tickets, {done.added} messages added, "
                f"{done.quarantined} quarantined, {done.duplicates} already taken in"
            )
        if not chosen:
            self.stdout.write("no queue has an IMAP server")
        if failed:
            raise CommandError(f"{failed} mailbox(es) not read")

    def _escalate(self, **options):
        done = escalate()
        self.stdout.write(f"{done.warned} warnings, {done.breached} escalations, {done.failed} tickets skipped")

    def _export(self, queue, output=None, **options):
        tickets = Ticket.objects.all()
        if queue:
            tickets = tickets.filter(queue__in=[self._queue(name) for name in queue])
        out = open(output, "w", encoding="utf-8") if output else self.stdout  # noqa: SIM115 (closed below)
        try:
            for row in export.rows(tickets):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        finally:
            if output:
                out.close()

    def _receive(self, queue, files, **options):
        found = self._queue(queue)
        counts = {"opened": 0, "added": 0, "quarantined": 0, "duplicates": 0}
        for name, raw in self._messages(files):
            result = receive(found, raw)
            if result.duplicate:
                counts["duplicates"] += 1
                what = "already taken in"
            elif result.quarantined is not None:
                counts["quarantined"] += 1
                kept = result.quarantined
                what = f"quarantined: {kept.reason}" + (f" ({kept.detail})" if kept.detail else "")
            elif result.opened:
                counts["opened"] += 1
                what = f"new ticket {result.ticket.reference}"
            else:
                counts["added"] += 1
                what = f"added to {result.ticket.reference}"
            self.stdout.write(f"{name}: {what}")
        self.stdout.write(
            f"{counts['opened']} new tickets, {counts['added']} messages added, "
            f"{counts['quarantined']} quarantined, {counts['duplicates']} already taken in"
        )

    def _messages(self, files):
        if not files:
            yield "standard input", sys.stdin.buffer.read()
            return
        for name in files:
            path = Path(name)
            try:
                with path.open("rb") as f:
                    head = f.read(5)
            except OSError as exc:
                self.stderr.write(f"{name}: cannot be read ({exc.strerror})")
                continue
            if head == b"From ":
                box = mailbox.mbox(path, create=False)
                try:
                    for n, key in enumerate(box.iterkeys(), start=1):
                        yield f"{name} #{n}", box.get_bytes(key)
                finally:
                    box.close()
            else:
                yield name, path.read_bytes()
