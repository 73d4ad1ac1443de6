"""Help-desk intake figure (issue 13): 1,000 real-shaped messages read from an IMAP server.

A throwaway Dovecot (tests/helpdesk/dovecot.py, Debian's dovecot-imapd) holds 1,000 messages in one queue's
mailbox, delivered before the clock starts. They are shaped like a cluster's help-desk mail: questions in English,
Romanian, Ukrainian, French and Italian; plain text in UTF-8, ISO-8859-2, Windows-1251, KOI8-U and Latin-1; HTML
only and multipart/alternative; a third with attachments (PDF, JPEG, a spreadsheet; 20–400 KB), some with a
program that is refused; a third are replies to earlier ones (In-Reply-To, quoted history and a signature to trim);
a few automatic replies, unknown senders and messages with no sender (quarantined). Timed: `mailboxes.fetch` of
the queue, which reads them in batches, takes each in (ticket, reply or quarantine, attachments stored privately)
and flags them seen. Target: under 60 s. Also timed, as a baseline for what IMAP adds: the same messages given to
`intake.receive` directly (as `helpdesk receive` does with files), into a second, empty queue.
"""

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fresh_database  # noqa: E402

TEXTS = [
    ("en", "utf-8", "Do we need a bank guarantee for lot 2 of the Ungheni water tender? The deadline is close."),
    ("ro", "iso-8859-2", "Avem nevoie de garanţie bancară pentru lotul 2? Termenul limită este vineri, vă rugăm."),
    ("uk", "windows-1251", "Чи потрібна банківська гарантія для лоту 2 тендеру на водопостачання в Ужгороді?"),
    ("uk", "koi8-u", "Які документи потрібні для участі в Prozorro? Ми виробляємо лічильники води."),
    ("fr", "latin-1", "Faut-il une garantie bancaire pour le lot 2 ? Nous fabriquons des compteurs d'eau."),
    ("it", "utf-8", "Serve una garanzia bancaria per il lotto 2? Produciamo contatori d'acqua intelligenti."),
]
SUBJECTS = ["Bank guarantee for lot 2", "ESPD for MTender", "Prozorro registration", "CE marking in Ukraine"]


def _attachment(rng: random.Random) -> tuple[bytes, str, str, str]:
    kind = rng.choice(["pdf", "jpeg", "xlsx"])
    size = rng.randint(20_000, 400_000)
    body = bytes(rng.getrandbits(8) for _ in range(256)) * (size // 256)
    if kind == "pdf":
        return b"%PDF-1.4\n" + body + b"\n%%EOF\n", "application", "pdf", "offer.pdf"
    if kind == "jpeg":
        return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + body + b"\xff\xd9", "image", "jpeg", "site-photo.jpg"
    zipped = b"PK\x03\x04" + body
    return zipped, "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet", "prices.xlsx"


def messages(n: int, box: str, known: list[str], seed: int = 13) -> list[bytes]:
    rng = random.Random(seed)
    out, sent = [], []
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    for i in range(n):
        language, charset, text = rng.choice(TEXTS)
        m = EmailMessage()
        roll = rng.random()
        sender = rng.choice(known) if roll > 0.05 else f"newcomer{i}@water-{i}.example"
        if roll < 0.01:
            sender = ""
        if sender:
            m["From"] = f"Person {i} <{sender}>"
        m["To"] = box
        m["Date"] = format_datetime(start + timedelta(minutes=7 * i))
        m["Message-ID"] = make_msgid(idstring=str(i), domain="sme.example")
        m["Content-Language"] = language
        subject = rng.choice(SUBJECTS)
        if sent and rng.random() < 0.33:
            previous = rng.choice(sent)
            m["In-Reply-To"] = previous
            m["References"] = previous
            subject = f"Re: {subject}"
            text = f"{text}\n\n-- \nPerson {i}\n\nOn Monday, the advisor wrote:\n> Which lot?\n> Thank you"
        if rng.random() < 0.02:
            m["Auto-Submitted"] = "auto-replied"
            subject = f"Out of office: {subject}"
        m["Subject"] = subject
        shape = rng.random()
        if shape < 0.15:
            m.set_content(f"<p>{text}</p><img src='https://tracker.example/p.gif'>", subtype="html", charset=charset)
        else:
            m.set_content(text, charset=charset)
            if shape < 0.4:
                m.add_alternative(f"<html><body><p>{text}</p></body></html>", subtype="html", charset=charset)
        if rng.random() < 0.33:
            data, main, sub, name = _attachment(rng)
            m.add_attachment(data, maintype=main, subtype=sub, filename=name)
            if rng.random() < 0.1:
                m.add_attachment(
                    b"MZ\x90\x00" + b"\x00" * 2000, maintype="application", subtype="x-msdownload", filename="setup.exe"
                )
        sent.append(m["Message-ID"])
        out.append(bytes(m))
    return out


def run(n: int = 1000) -> dict:
    with fresh_database():
        from django.contrib.auth import get_user_model

        from greenbridge.helpdesk.intake import receive
        from greenbridge.helpdesk.mailboxes import fetch
        from greenbridge.helpdesk.models import Attachment, Message, QuarantinedMail, Queue, Ticket
        from greenbridge.orgs.models import ClusterMembership, Membership, Organisation
        from tests.helpdesk.dovecot import Dovecot

        cluster = Organisation.objects.create(
            name="Danube Water Cluster", slug="dwc", kind="cluster", country="RO", verification="verified"
        )
        known = []
        for c in range(40):
            company = Organisation.objects.create(name=f"Company {c}", slug=f"company-{c}", kind="sme", country="RO")
            ClusterMembership.objects.create(cluster=cluster, member=company)
            person = get_user_model().objects.create_user(
                username=f"p{c}", email=f"person{c}@company-{c}.example", password="x"
            )
            Membership.objects.create(user=person, organisation=company, role="owner")
            known.append(person.email)
        box, password = "help@dwc.example", "bench-secret"
        os.environ["GB_BENCH_IMAP_PASSWORD"] = password
        queue = Queue.objects.create(
            organisation=cluster,
            slug="procurement",
            name="Procurement abroad",
            email=box,
            public=True,
            imap_host="127.0.0.1",
            imap_ssl=False,
            imap_user=box,
            imap_password_env="GB_BENCH_IMAP_PASSWORD",
        )
        piped = Queue.objects.create(organisation=cluster, slug="piped", name="Piped", public=True)
        raw = messages(n, box, known)
        size = sum(map(len, raw))
        with Dovecot(users={box: password}) as server:
            queue.imap_port = server.port
            queue.save()
            server.append(box, *raw)

            started = time.perf_counter()
            done = fetch(queue)
            imap_seconds = time.perf_counter() - started

        started = time.perf_counter()
        for message in raw:
            receive(piped, message)
        direct_seconds = time.perf_counter() - started

        return {
            "messages": n,
            "megabytes": round(size / 1e6, 1),
            "imap_seconds": round(imap_seconds, 1),
            "per_message_ms": round(imap_seconds / n * 1000, 1),
            "direct_seconds": round(direct_seconds, 1),
            "opened": done.opened,
            "added": done.added,
            "quarantined": done.quarantined,
            "duplicates": done.duplicates,
            "error": done.error,
            "tickets": Ticket.objects.filter(queue=queue).count(),
            "messages_stored": Message.objects.filter(ticket__queue=queue).count(),
            "attachments_stored": Attachment.objects.filter(message__ticket__queue=queue).count(),
            "quarantine": QuarantinedMail.objects.filter(queue=queue).count(),
        }


def main() -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("messages", nargs="?", type=int, default=1000, help="how many messages (default 1,000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.messages)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key}: {value}")
    print(f"target: under 60 s -> {'met' if result['imap_seconds'] < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
