"""Polling queues' IMAP mailboxes (helpdesk.mailboxes, `greenbridge helpdesk fetch`) against a real Dovecot server
started for these tests: new messages only, stored once, raw bytes kept, one bad mailbox never stops the others."""

from email.message import EmailMessage
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from greenbridge.helpdesk.mailboxes import fetch, fetch_all
from greenbridge.helpdesk.models import QuarantinedMail, Queue, Ticket

from .dovecot import Dovecot, available

BOX = "help@danube.test"
OTHER = "funding@danube.test"
PASSWORD = "imap-secret-1"


@pytest.fixture(scope="module")
def server():
    if not available():
        pytest.fail("Dovecot is not installed: `make system-deps` installs Debian's dovecot-imapd")
    with Dovecot(users={BOX: PASSWORD, OTHER: PASSWORD}) as running:
        yield running


@pytest.fixture
def queue(orgs, server, monkeypatch):
    server.empty(BOX)
    server.empty(OTHER)
    monkeypatch.setenv("GB_TEST_IMAP_PASSWORD", PASSWORD)
    queue = Queue.objects.get(slug="danube-procurement")
    queue.imap_host, queue.imap_port, queue.imap_ssl = server.host, server.port, False
    queue.imap_user, queue.imap_password_env = BOX, "GB_TEST_IMAP_PASSWORD"
    queue.save()
    return queue


def mail(subject="Bank guarantee for lot 2", text="Do we need one?", sender="ana@demo.greenbridge.example", **headers):
    m = EmailMessage()
    if sender:
        m["From"] = f"Ana Popescu <{sender}>"
    m["To"] = BOX
    m["Subject"] = subject
    m["Message-ID"] = headers.pop("message_id", f"<{abs(hash((subject, text)))}@aquapure.example>")
    for name, value in headers.items():
        m[name.replace("_", "-")] = value
    m.set_content(text)
    return m


def test_new_messages_become_tickets_replies_and_quarantine_and_are_flagged_seen(queue, server, users, orgs):
    first = mail()
    with_file = mail(subject="Our ISO 14001 certificate", text="Attached, as asked.")
    with_file.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf", filename="iso14001.pdf")
    server.append(BOX, bytes(first), bytes(with_file), bytes(mail(subject="No sender", sender="")))

    done = fetch(queue)

    assert (done.opened, done.added, done.quarantined, done.duplicates, done.error) == (2, 0, 1, 0, "")
    tickets = Ticket.objects.filter(queue=queue, subject__in=["Bank guarantee for lot 2", "Our ISO 14001 certificate"])
    assert {t.requester for t in tickets} == {users["sme"]}
    assert {t.organisation for t in tickets} == {orgs["sme"]}
    message = Ticket.objects.get(subject="Our ISO 14001 certificate").messages.get()
    with message.raw.open("rb") as f:
        assert f.read() == bytes(with_file).replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")
    assert [(a.filename, a.content_type) for a in message.attachments.all()] == [("iso14001.pdf", "application/pdf")]
    assert QuarantinedMail.objects.get(queue=queue, subject="No sender").reason == "no sender"
    assert all("\\Seen" in flags for flags in server.flags(BOX))
    queue.refresh_from_db()
    assert (queue.imap_last_uid, queue.imap_error) == (3, "")
    assert queue.imap_checked_at is not None


def test_only_messages_after_the_last_poll_are_read_even_those_a_person_already_opened(queue, server):
    server.append(BOX, bytes(mail(subject="First question")))
    assert fetch(queue).opened == 1
    assert fetch(queue).taken == 0  # nothing new

    ticket = Ticket.objects.get(subject="First question")
    reply = mail(subject="Re: First question", text="One more thing.", In_Reply_To=ticket.messages.get().message_id)
    server.append(BOX, bytes(reply))
    imap = server.client(BOX)  # the mailbox is shared: someone opens the reply in a mail client
    imap.select("INBOX")
    imap.store("2", "+FLAGS", "\\Seen")
    imap.logout()

    done = fetch(queue)
    assert (done.opened, done.added) == (0, 1)
    assert ticket.messages.count() == 2


def test_a_rebuilt_mailbox_is_read_again_and_nothing_is_stored_twice(queue, server):
    server.append(BOX, bytes(mail(subject="One")), bytes(mail(subject="Two")))
    assert fetch(queue).opened == 2
    Queue.objects.filter(pk=queue.pk).update(imap_uidvalidity=1)  # as if the server's UIDVALIDITY had changed
    queue.refresh_from_db()

    again = fetch(queue)

    assert (again.opened, again.duplicates) == (0, 2)
    assert Ticket.objects.filter(subject__in=["One", "Two"]).count() == 2


def test_a_limit_reads_the_oldest_first_and_the_rest_next_time(queue, server):
    server.append(BOX, *(bytes(mail(subject=f"Question {n}")) for n in range(1, 6)))
    assert fetch(queue, limit=2).opened == 2
    assert set(Ticket.objects.filter(subject__startswith="Question ").values_list("subject", flat=True)) == {
        "Question 1",
        "Question 2",
    }
    assert fetch(queue).opened == 3


def test_a_mailbox_that_cannot_be_read_is_reported_and_the_others_are_read(queue, server, monkeypatch):
    funding = Queue.objects.get(slug="danube-funding")
    funding.imap_host, funding.imap_port, funding.imap_ssl = server.host, server.port, False
    funding.imap_user, funding.imap_password_env = OTHER, "GB_TEST_IMAP_PASSWORD"
    funding.save()
    monkeypatch.setenv("GB_TEST_WRONG_PASSWORD", "not-it")
    queue.imap_password_env = "GB_TEST_WRONG_PASSWORD"
    queue.save()
    server.append(OTHER, bytes(mail(subject="Interreg NEXT Black Sea call")))

    results = {done.queue: done for done in fetch_all()}

    assert results["danube-procurement"].error == "the server refused the user name or password"
    assert results["danube-funding"].opened == 1
    queue.refresh_from_db()
    assert queue.imap_error == "the server refused the user name or password"

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"1 mailbox\(es\) not read"):
        call_command("helpdesk", "fetch", stdout=out, stderr=err)
    assert "danube-procurement: not read: the server refused the user name or password" in err.getvalue()
    assert "danube-funding: 0 new tickets, 0 messages added, 0 quarantined, 0 already taken in" in out.getvalue()


def test_a_missing_password_variable_a_closed_port_and_a_missing_folder_are_said_in_words(queue, server, monkeypatch):
    monkeypatch.delenv("GB_TEST_IMAP_PASSWORD")
    assert fetch(queue).error == (
        "the environment variable GB_TEST_IMAP_PASSWORD that should hold the password is not set"
    )
    monkeypatch.setenv("GB_TEST_IMAP_PASSWORD", PASSWORD)
    queue.imap_folder = "Questions"
    assert fetch(queue).error == "the folder Questions could not be opened"
    queue.imap_folder, queue.imap_port = "INBOX", 1
    assert fetch(queue).error == "the server refused the connection (wrong host or port?)"


def test_the_command_reads_the_named_queue(queue, server):
    server.append(BOX, bytes(mail(subject="Called by cron")))
    out = StringIO()
    call_command("helpdesk", "fetch", "danube-procurement", stdout=out)
    assert out.getvalue() == "danube-procurement: 1 new tickets, 0 messages added, 0 quarantined, 0 already taken in\n"
    with pytest.raises(CommandError, match="no help desk 'nowhere'"):
        call_command("helpdesk", "fetch", "nowhere")
