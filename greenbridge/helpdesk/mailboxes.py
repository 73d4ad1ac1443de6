"""Polling the queues' IMAP mailboxes (`greenbridge helpdesk fetch`, the Celery beat task `helpdesk_fetch_task`).

Each queue with an IMAP server is read from where its last poll stopped: the messages whose UID is above the last
one taken in, whatever their "seen" flag (people reading the shared mailbox change it). Each message goes through
`intake.receive` exactly as a piped one does (ticket, reply, or quarantine with the reason), is then flagged seen
on the server, and the queue remembers the UID. A message fetched twice (a crash between storing and
remembering, a rebuilt mailbox with a new UIDVALIDITY) is stored once: intake knows its Message-ID.

One queue's failure (server down, wrong password, missing folder) is recorded on the queue (`imap_error`, shown to
its staff) and logged; the other queues are read all the same. Messages are fetched in batches with BODY.PEEK[]:
the raw bytes exactly as sent (imap-tools' own message objects re-parse them, and the raw message is what the
ticket and the quarantine keep).
"""

from __future__ import annotations

import imaplib
import logging
import os
import re
import socket
import ssl
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from imap_tools import AND, MailBox, MailBoxUnencrypted, MailMessageFlags
from imap_tools.errors import ImapToolsError, MailboxFolderSelectError, MailboxLoginError
from imap_tools.query import UidRange

from .intake import receive
from .models import Queue

log = logging.getLogger(__name__)

BATCH = 50  # messages fetched per IMAP command
TIMEOUT = 60  # seconds a silent server is waited for
_UID = re.compile(rb"UID (\d+)")


@dataclass
class Fetched:
    """What one poll of one queue's mailbox did."""

    queue: str
    opened: int = 0
    added: int = 0
    quarantined: int = 0
    duplicates: int = 0
    error: str = ""
    tickets: list[str] = field(default_factory=list)

    @property
    def taken(self) -> int:
        return self.opened + self.added + self.quarantined + self.duplicates


def polled_queues():
    return Queue.objects.filter(active=True).exclude(imap_host="").select_related("organisation").order_by("slug")


def fetch_all(*, limit: int | None = None) -> list[Fetched]:
    """Every active queue with a mailbox, each on its own: one that fails never stops the others."""
    return [fetch(queue, limit=limit) for queue in polled_queues()]


def fetch(queue: Queue, *, limit: int | None = None) -> Fetched:
    """The new messages of one queue's mailbox (at most `limit`). Never raises for the server's sake."""
    done = Fetched(queue=queue.slug)
    try:
        _fetch(queue, done, limit)
    except (TimeoutError, ImapToolsError, imaplib.IMAP4.error, OSError, ssl.SSLError, UnicodeError) as exc:
        done.error = _plain(exc, queue.imap_folder)
        log.warning("help desk %s: mailbox %s@%s not read: %s", queue.slug, queue.imap_user, queue.imap_host, exc)
    Queue.objects.filter(pk=queue.pk).update(imap_checked_at=timezone.now(), imap_error=done.error[:300])
    return done


def _fetch(queue: Queue, done: Fetched, limit: int | None) -> None:
    password = os.environ.get(queue.imap_password_env, "") if queue.imap_password_env else ""
    if queue.imap_password_env and not password:
        raise OSError(
            _("the environment variable %(name)s that should hold the password is not set")
            % {"name": queue.imap_password_env}
        )
    queue.refresh_from_db(fields=["imap_uidvalidity", "imap_last_uid"])  # another poll may have moved on
    box_class = MailBox if queue.imap_ssl else MailBoxUnencrypted
    box = box_class(queue.imap_host, queue.imap_port, timeout=TIMEOUT)
    try:
        box.login(queue.imap_user, password, initial_folder=queue.imap_folder or "INBOX")
    except BaseException:
        box.client.shutdown()  # a refused login leaves the connection open
        raise
    with box:
        validity = _uidvalidity(box)
        since = queue.imap_last_uid if validity == queue.imap_uidvalidity else 0
        if validity != queue.imap_uidvalidity:
            Queue.objects.filter(pk=queue.pk).update(imap_uidvalidity=validity, imap_last_uid=0)
        # "UID n:*" always answers the highest message even when it is below n: filter on our side too.
        uids = sorted(int(u) for u in box.uids(AND(uid=UidRange(str(since + 1), "*"))) if int(u) > since)
        if limit is not None:
            uids = uids[:limit]
        for start in range(0, len(uids), BATCH):
            batch = [str(u) for u in uids[start : start + BATCH]]
            for uid, raw in _raw_messages(box, batch):
                result = receive(queue, raw)
                if result.duplicate:
                    done.duplicates += 1
                elif result.quarantined is not None:
                    done.quarantined += 1
                elif result.opened:
                    done.opened += 1
                    done.tickets.append(result.ticket.reference)
                else:
                    done.added += 1
                # Remembered after each message: a crash later re-reads only what was not taken in.
                Queue.objects.filter(pk=queue.pk, imap_last_uid__lt=uid).update(imap_last_uid=uid)
            box.flag(batch, MailMessageFlags.SEEN, True)


def _uidvalidity(box) -> int | None:
    status = box.folder.status(box.folder.get(), ["UIDVALIDITY"])
    value = status.get("UIDVALIDITY")
    return int(value) if value is not None else None


def _raw_messages(box, uids: list[str]):
    """(uid, raw bytes) of each message, unchanged and without marking it seen yet."""
    status, data = box.client.uid("fetch", ",".join(uids), "(UID BODY.PEEK[])")
    if status != "OK":
        raise imaplib.IMAP4.error(f"FETCH answered {status}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and (match := _UID.search(item[0])):
            yield int(match.group(1)), item[1]


def _plain(exc: Exception, folder: str) -> str:
    """The server's complaint in a line a cluster's staff can act on."""
    text = str(exc) or exc.__class__.__name__
    if isinstance(exc, ConnectionRefusedError):
        return _("the server refused the connection (wrong host or port?)")
    if isinstance(exc, TimeoutError):
        return _("the server did not answer in time")
    if isinstance(exc, socket.gaierror):
        return _("the server's name is not known (wrong host?)")
    if isinstance(exc, MailboxLoginError):
        return _("the server refused the user name or password")
    if isinstance(exc, MailboxFolderSelectError):
        return _("the folder %(folder)s could not be opened") % {"folder": folder}
    return " ".join(text.split())[:300]
