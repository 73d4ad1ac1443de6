"""Mail in (helpdesk.intake and `greenbridge helpdesk receive`): threading, trimming, sanitising, charsets,
attachments, automatic mail, duplicates and the quarantine — every message either taken in or kept with why."""

import json
from email.message import EmailMessage
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from greenbridge.helpdesk.intake import receive, trim
from greenbridge.helpdesk.models import Message, QuarantinedMail, Queue, Ticket

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def content(stored) -> bytes:
    with stored.open("rb") as f:
        return f.read()


@pytest.fixture
def queue(orgs):
    return Queue.objects.get(slug="danube-procurement")


def mail(
    sender="ana@demo.greenbridge.example",
    subject="Lot 2 of the Ungheni tender",
    text="Do we need a bank guarantee?",
    **headers,
) -> EmailMessage:
    m = EmailMessage()
    if sender:
        m["From"] = f"Ana Popescu <{sender}>"
    m["To"] = "danube-procurement@demo.greenbridge.example"
    m["Subject"] = subject
    m["Message-ID"] = headers.pop("message_id", f"<{abs(hash((subject, text)))}@mail.aquapure.example>")
    for name, value in headers.items():
        m[name.replace("_", "-")] = value
    m.set_content(text)
    return m


def test_a_known_sender_opens_a_ticket_for_its_company_and_replies_join_it(queue, orgs, users):
    first = receive(queue, bytes(mail()))
    ticket = first.ticket
    assert first.opened
    assert (ticket.requester, ticket.organisation, ticket.subject) == (
        users["sme"],
        orgs["sme"],
        "Lot 2 of the Ungheni tender",
    )
    assert first.message.text == "Do we need a bank guarantee?"
    assert content(first.message.raw).startswith(b"From: Ana Popescu")

    # A reply to the first message (In-Reply-To), with the quoted history and a signature: trimmed for display.
    text = "Yes, for lot 2 only.\n\n-- \nAna Popescu\nAquaPure\n\nOn 1 Dec 2026, Andrei wrote:\n> Which lot?"
    second = receive(
        queue,
        bytes(
            mail(
                subject="Re: Lot 2", text=text, message_id="<r1@aquapure.example>", In_Reply_To=first.message.message_id
            )
        ),
    )
    assert (second.ticket, second.opened) == (ticket, False)
    assert second.message.text == "Yes, for lot 2 only."
    assert "Andrei wrote" in second.message.full_text

    # Only the reference in the subject (a mail client that drops the headers).
    third = receive(queue, bytes(mail(subject=f"Re: [{ticket.reference}] Lot 2", text="And the deadline?")))
    assert third.ticket == ticket
    # The same message fetched twice is stored once.
    again = receive(queue, bytes(mail(subject=f"Re: [{ticket.reference}] Lot 2", text="And the deadline?")))
    assert again.duplicate
    assert ticket.messages.count() == 3


def test_html_only_mail_is_sanitised_and_read_as_text(queue):
    m = EmailMessage()
    m["From"] = "ana@demo.greenbridge.example"
    m["Subject"] = "Spec sheet"
    m["Message-ID"] = "<html1@aquapure.example>"
    m.set_content(
        '<p>Our <b>UV unit</b> spec:</p><script>alert(1)</script><img src="https://tracker.example/pixel.gif">'
        '<a href="https://aquapure.example" onclick="steal()">site</a>',
        subtype="html",
    )
    message = receive(queue, bytes(m)).message
    assert "<script" not in message.html
    assert "alert" not in message.html
    assert "tracker.example" not in message.html
    assert "onclick" not in message.html
    assert "<b>UV unit</b>" in message.html
    assert message.text.startswith("Our UV unit spec:")


def test_wrong_and_unknown_charsets_are_read_with_replacement_characters(queue):
    for n, (declared, body) in enumerate(
        [("utf-8", "Preţ în lei: 100".encode("latin-1", "replace")), ("x-unknown-9", b"caf\xe9")]
    ):
        raw = (
            f"From: ana@demo.greenbridge.example\r\nSubject: Charset {n}\r\nMessage-ID: <cs{n}@x>\r\n"
            f"Content-Type: text/plain; charset={declared}\r\n\r\n"
        ).encode() + body
        result = receive(queue, raw)
        assert result.opened, result
        assert "\ufffd" in result.message.text or "?" in result.message.text


def test_attachments_are_typed_by_content_capped_and_programs_refused(queue, settings, client_for):
    settings.MAX_UPLOAD_MB = 1
    m = mail(subject="Documents", text="Attached.")
    m.add_attachment(PDF, maintype="application", subtype="octet-stream", filename="declaration.pdf")
    m.add_attachment(b"MZ\x90\x00" + b"\x00" * 100, maintype="application", subtype="pdf", filename="invoice.pdf")
    m.add_attachment(b"x" * (1024 * 1024 + 1), maintype="text", subtype="plain", filename="huge.txt")
    result = receive(queue, bytes(m))
    (kept,) = result.message.attachments.all()
    assert (kept.filename, kept.content_type, kept.size) == ("declaration.pdf", "application/pdf", len(PDF))
    assert content(kept.file) == PDF
    # Said in the queue's language (Romanian first), not in the English of a process outside any request.
    assert queue.languages[0] == "ro"
    assert result.message.text.endswith(
        "Omise: invoice.pdf: un program sau un script, nepăstrat; huge.txt: mai mare de 1 MB"
    )
    # Downloaded through the ticket's permission, always as a download with the type read from the content.
    url = reverse("helpdesk:attachment", kwargs={"pk": result.ticket.pk, "attachment_pk": kept.pk})
    response = client_for("sme").get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="declaration.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for("other_sme").get(url).status_code == 403


def test_what_cannot_become_a_ticket_is_quarantined_with_the_reason(queue):
    cases = [
        (b"", "an empty message"),
        (b"\x00\x01 not a mail at all", "no headers: not an e-mail message"),
        (bytes(mail(sender="")), "no sender"),
        (bytes(mail(sender="stranger@elsewhere.example", subject="Hello")), "a sender this help desk does not know"),
        (bytes(mail(subject="Out of office", Auto_Submitted="auto-replied")), "an automatic reply to no ticket"),
        (
            bytes(mail(sender="danube-procurement@demo.greenbridge.example", subject="Loop")),
            "sent by this help desk itself (a loop)",
        ),
    ]
    tickets, kept = Ticket.objects.count(), QuarantinedMail.objects.filter(queue=queue).count()  # the demo keeps one
    for raw, reason in cases:
        result = receive(queue, raw)
        assert result.quarantined is not None, reason
        assert result.quarantined.reason == reason
        assert content(result.quarantined.raw) == raw
    assert Ticket.objects.count() == tickets
    assert QuarantinedMail.objects.filter(queue=queue).count() == kept + len(cases)
    # A queue open to anyone takes the stranger's question.
    queue.public = True
    queue.save()
    result = receive(queue, bytes(mail(sender="stranger@elsewhere.example", subject="Hello again")))
    assert result.opened
    assert (result.ticket.requester, result.ticket.organisation, result.ticket.requester_email) == (
        None,
        None,
        "stranger@elsewhere.example",
    )


def test_a_fault_of_ours_quarantines_the_mail_with_a_reason_in_the_readers_language(queue, client_for, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("no-such-header")

    monkeypatch.setattr("greenbridge.helpdesk.intake._thread", broken)
    raw = bytes(mail(subject="Grant deadline"))
    kept = receive(queue, raw).quarantined
    assert (kept.reason, kept.detail) == (
        "could not be read (a fault of GreenBridge's, in its log)",
        "KeyError: 'no-such-header'",
    )
    assert content(kept.raw) == raw  # nothing lost
    assert (kept.from_header, kept.subject) == ("Ana Popescu <ana@demo.greenbridge.example>", "Grant deadline")
    page = client_for("advisor").get(reverse("helpdesk:mail"), HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "не вдалося прочитати (збій GreenBridge, записаний у його журнал)" in page
    assert "KeyError: &#x27;no-such-header&#x27;" in page
    assert "could not be read" not in page


def test_an_automatic_reply_is_recorded_on_its_ticket_and_does_not_reopen_it(queue):
    ticket = receive(queue, bytes(mail(subject="Bank guarantee"))).ticket
    Ticket.objects.filter(pk=ticket.pk).update(status="resolved")
    auto = receive(
        queue, bytes(mail(subject=f"Auto: [{ticket.reference}] Bank guarantee", text="I am away.", Precedence="bulk"))
    )
    assert auto.message.automatic
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    person = receive(queue, bytes(mail(subject=f"Re: [{ticket.reference}] Bank guarantee", text="One more thing.")))
    ticket.refresh_from_db()
    assert (person.message.automatic, ticket.status) == (False, "open")


def test_trim_keeps_the_new_text_and_everything_when_nothing_is_new():
    assert trim("Thanks!\n\nLe 2 déc. 2026, Andrei a écrit :\n> Bonjour") == "Thanks!"
    assert trim("Mulțumesc.\nÎn 2 dec. 2026, Andrei a scris:\n> Salut") == "Mulțumesc."
    assert trim("> only a quote") == "> only a quote"


def test_the_command_lists_queues_and_takes_files_and_mboxes(queue, tmp_path):
    out = StringIO()
    call_command("helpdesk", "queues", "--format", "jsonl", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {"slug": "danube-procurement", "email": "danube-procurement@demo.greenbridge.example",
            "organisation": "Danube Green Tech Cluster", "languages": ["ro", "en", "uk"]} in rows  # fmt: skip
    one = tmp_path / "one.eml"
    one.write_bytes(bytes(mail(subject="From a file")))
    box = tmp_path / "inbox.mbox"
    box.write_bytes(
        b"From ana@demo.greenbridge.example Thu Dec  3 10:00:00 2026\n"
        + bytes(mail(subject="First in the box")).replace(b"\r\n", b"\n")
        + b"\nFrom x@y Thu Dec  3 10:01:00 2026\n"
        + bytes(mail(sender="", subject="Second in the box")).replace(b"\r\n", b"\n")
    )
    out = StringIO()
    call_command("helpdesk", "receive", "danube-procurement@demo.greenbridge.example", str(one), str(box), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{one}: new ticket GB-")
    assert lines[1].startswith(f"{box} #1: new ticket GB-")
    assert lines[2] == f"{box} #2: quarantined: no sender"
    assert lines[3] == "2 new tickets, 0 messages added, 1 quarantined, 0 already taken in"
    assert Message.objects.filter(ticket__subject="First in the box").exists()


def test_the_staff_see_the_quarantine_download_a_message_take_one_in_and_discard_another(queue, client_for, users):
    unknown = receive(queue, bytes(mail(sender="newcomer@water.example", subject="Can we join?"))).quarantined
    nobody = receive(queue, bytes(mail(sender="", subject="Who am I"))).quarantined
    advisor = client_for("advisor")

    page = advisor.get(reverse("helpdesk:mail"))
    assert page.status_code == 200
    assert [k.subject for k in page.context["page"]][:2] == ["Who am I", "Can we join?"]
    # The reasons are kept as the code writes them and shown in the reader's language.
    assert (nobody.reason, unknown.reason) == ("no sender", "a sender this help desk does not know")
    romanian = advisor.get(reverse("helpdesk:mail"), HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert "fără expeditor" in romanian
    assert "un expeditor necunoscut acestui serviciu de asistență" in romanian
    assert "no sender" not in romanian
    assert "3 in quarantine" in advisor.get(reverse("helpdesk:tickets")).content.decode()  # with the demo's

    raw = advisor.get(reverse("helpdesk:quarantined-raw", args=[unknown.pk]))
    assert raw["Content-Type"] == "message/rfc822"
    assert raw["Content-Disposition"] == f'attachment; filename="quarantined-{unknown.pk}.eml"'
    assert b"".join(raw.streaming_content).startswith(b"From: Ana Popescu <newcomer@water.example>")

    # A message with no sender cannot be answered: refused in words, kept.
    refused = advisor.post(reverse("helpdesk:quarantined-release", args=[nobody.pk]), follow=True)
    assert "This message has no sender to answer." in refused.content.decode()
    assert QuarantinedMail.objects.filter(pk=nobody.pk, released=False).exists()

    taken = advisor.post(reverse("helpdesk:quarantined-release", args=[unknown.pk]))
    ticket = Ticket.objects.get(subject="Can we join?")
    assert taken.url == ticket.get_absolute_url()
    assert (ticket.requester_email, ticket.requester, ticket.organisation) == ("newcomer@water.example", None, None)
    assert ticket.changes.filter(field="quarantine", new="released", actor=users["advisor"]).exists()
    assert advisor.post(reverse("helpdesk:quarantined-release", args=[unknown.pk])).status_code == 404  # done

    advisor.post(reverse("helpdesk:quarantined-discard", args=[nobody.pk]))
    assert not QuarantinedMail.objects.filter(pk=nobody.pk).exists()
    # Companies never see a queue's quarantine.
    assert client_for("sme").get(reverse("helpdesk:mail")).status_code == 403


def test_a_members_only_queue_takes_new_questions_by_mail_only_from_its_members_people(queue, users):
    # Olga has an account, but her organisation (a public buyer) is no member company of the cluster.
    outsider = receive(queue, bytes(mail(sender=users["procurer"].email, subject="Market consultation")))
    assert outsider.quarantined is not None
    assert outsider.quarantined.reason == "a sender of no member company"
    member = receive(queue, bytes(mail(sender=users["other_sme"].email, subject="Inverters for Vinnytsia")))
    assert member.opened
    staff = receive(queue, bytes(mail(sender=users["advisor"].email, subject="Forwarded from a phone call")))
    assert staff.opened


def test_a_reply_that_says_only_close_closes_the_question_and_nothing_else_does(queue):
    first = receive(queue, bytes(mail(subject="Guarantee", message_id="<g1@aquapure.example>")))
    ticket = first.ticket

    def answer(text, n):
        return receive(
            queue,
            bytes(
                mail(
                    subject="Re: Guarantee",
                    text=text,
                    message_id=f"<g{n}@aquapure.example>",
                    In_Reply_To="<g1@aquapure.example>",
                )
            ),
        )

    answer("Closed? No! We still need the form.\n\nOn Monday, Andrei wrote:\n> close", 2)
    ticket.refresh_from_db()
    assert ticket.status == "new"
    answer("Închide.\n\n-- \nAna Popescu", 3)
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert ticket.messages.count() == 3  # the reply is kept in the thread
    assert ticket.changes.filter(field="status", new="closed").exists()
