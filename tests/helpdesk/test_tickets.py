"""Tickets on the web: a company asks, the queue's staff answer (replies by e-mail, threaded; internal notes to
nobody), the company replies and rates; who sees what; bad input refused in words with nothing changed."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from greenbridge.helpdesk.models import Message, Queue, ServiceLevel, Ticket
from greenbridge.orgs.models import Membership, Organisation


@pytest.fixture
def queue(orgs):
    queue = Queue.objects.create(
        organisation=orgs["cluster"], slug="procurement", name="Procurement abroad", email="help@dwc.example"
    )
    ServiceLevel.objects.create(queue=queue, priority="normal", first_response_minutes=240, resolution_minutes=2400)
    return queue


def ask(client, queue, subject="ESPD for MTender", text="Which parts of the ESPD does MTender ask for?") -> Ticket:
    response = client.post(reverse("helpdesk:new"), {"queue": queue.pk, "subject": subject, "text": text})
    ticket = Ticket.objects.get(subject=subject)
    assert response.url == reverse("helpdesk:ticket", kwargs={"pk": ticket.pk})
    return ticket


def test_a_company_asks_the_staff_answer_by_email_and_the_company_rates(
    client_for, users, orgs, queue, django_capture_on_commit_callbacks
):
    sme, advisor = client_for("sme"), client_for("advisor")
    # Only the queues of the company's clusters (and public ones) are offered.
    assert "Procurement abroad (Danube" in sme.get(reverse("helpdesk:new")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ask(sme, queue)
    assert (ticket.organisation, ticket.requester, ticket.status) == (orgs["sme"], users["sme"], "new")
    assert ticket.first_response_due is not None
    assert ticket.resolution_due is not None
    (ack,) = mail.outbox
    assert ack.subject == f"[{ticket.reference}] ESPD for MTender"
    assert (ack.to, ack.from_email) == ([users["sme"].email], "help@dwc.example")
    assert ack.extra_headers["Auto-Submitted"] == "auto-generated"
    # Not answered yet: the company may withdraw it, not close it as answered.
    page = sme.get(ticket.get_absolute_url()).content.decode()
    assert "Withdraw the question" in page
    assert "my question is answered" not in page

    # The advisor sees it among its queue's open tickets; an internal note first, sent to nobody.
    assert "ESPD for MTender" in advisor.get(reverse("helpdesk:tickets")).content.decode()
    reply = reverse("helpdesk:reply", kwargs={"pk": ticket.pk})
    with django_capture_on_commit_callbacks(execute=True):
        advisor.post(reply, {"text": "They asked the same in Chisinau last year.", "internal": "on"})
    assert len(mail.outbox) == 1
    ticket.refresh_from_db()
    assert (ticket.status, ticket.first_response_at) == ("new", None)
    with django_capture_on_commit_callbacks(execute=True):
        advisor.post(reply, {"text": "Parts II and IV; here is the form.", "status": "waiting_requester"})
    ticket.refresh_from_db()
    assert ticket.status == "waiting_requester"
    assert ticket.first_response_at is not None
    assert ticket.assignee == users["advisor"]
    assert (ticket.clock_since, ticket.resolution_due) == (None, None)  # the clock waits with the ticket
    answer = mail.outbox[-1]
    assert answer.subject == f"[{ticket.reference}] ESPD for MTender"
    assert "Parts II and IV" in answer.body
    assert "Chisinau" not in answer.body
    sent = ticket.messages.get(kind=Message.Kind.PUBLIC)
    assert answer.extra_headers["Message-ID"] == sent.message_id

    # The company reads the answer, never the note; it replies and the ticket opens again.
    page = sme.get(ticket.get_absolute_url()).content.decode()
    assert "Parts II and IV" in page
    assert "Close: my question is answered" in page
    assert "Chisinau" not in page
    assert "Internal note" not in page
    sme.post(reply, {"text": "Thank you, and part III?"})
    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert ticket.clock_since is not None
    assert ticket.resolution_due is not None

    advisor.post(
        reverse("helpdesk:change", kwargs={"pk": ticket.pk}),
        {"status": "resolved", "priority": "high", "assignee": users["advisor"].pk, "tags": "espd\nmoldova"},
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.tags) == ("resolved", "high", ["espd", "moldova"])
    # Tags are the staff's words to sort tickets: the company that asked does not see them, on the pages or the API.
    assert "moldova" in advisor.get(ticket.get_absolute_url()).content.decode()
    for url in (ticket.get_absolute_url(), reverse("helpdesk:tickets"), reverse("helpdesk:tickets") + "?tag=espd"):
        page = sme.get(url).content.decode()
        assert "moldova" not in page, url
        assert 'class="tag" href="?tag=' not in page, url
    assert ticket.subject in sme.get(reverse("helpdesk:tickets") + "?tag=nothing").content.decode()  # no tag filter
    assert sme.get(f"/api/v1/tickets/{ticket.pk}").json()["tags"] == []
    assert advisor.get(f"/api/v1/tickets/{ticket.pk}").json()["tags"] == ["espd", "moldova"]
    assert all(t["tags"] == [] for t in sme.get("/api/v1/tickets").json())
    assert ticket.resolved_at is not None
    assert list(ticket.changes.values_list("field", "new")).count(("status", "resolved")) == 1
    sme.post(reverse("helpdesk:rate", kwargs={"pk": ticket.pk}), {"score": "4", "comment": "Quick and clear."})
    ticket.refresh_from_db()
    assert (ticket.satisfaction, ticket.satisfaction_comment) == (4, "Quick and clear.")


def test_everyone_in_the_company_follows_its_tickets_and_nobody_else(client_for, orgs, queue):
    ticket = ask(client_for("sme"), queue)
    colleague = get_user_model().objects.create_user(username="mihai", email="mihai@aquapure.example")
    Membership.objects.create(user=colleague, organisation=orgs["sme"], role=Membership.Role.MEMBER)
    other_cluster = Organisation.objects.create(name="Prut Cleantech", slug="prut", kind="cluster", country="MD")
    stranger = get_user_model().objects.create_user(username="vera", email="vera@prut.example")
    Membership.objects.create(user=stranger, organisation=other_cluster, role=Membership.Role.ADVISOR)
    from django.test import Client

    for user, status in ((colleague, 200), (stranger, 403)):
        client = Client()
        client.force_login(user)
        assert client.get(ticket.get_absolute_url()).status_code == status
        listed = "ESPD for MTender" in client.get(reverse("helpdesk:tickets") + "?status=all").content.decode()
        assert listed == (status == 200)
    assert client_for("other_sme").get(ticket.get_absolute_url()).status_code == 403
    # The company's people reply and close; they do not change the ticket as the staff do.
    sme = client_for("sme")
    assert sme.post(reverse("helpdesk:change", kwargs={"pk": ticket.pk}), {"status": "closed"}).status_code == 403
    assert (
        client_for("advisor").post(reverse("helpdesk:rate", kwargs={"pk": ticket.pk}), {"score": 5}).status_code == 403
    )


def test_bad_input_is_refused_in_words_and_changes_nothing(client_for, queue, django_capture_on_commit_callbacks):
    sme, advisor = client_for("sme"), client_for("advisor")
    tickets = Ticket.objects.count()
    response = sme.post(reverse("helpdesk:new"), {"queue": queue.pk, "subject": "x" * 300, "text": ""})
    assert response.status_code == 200
    assert Ticket.objects.count() == tickets
    html = response.content.decode()
    assert "at most 250 characters" in html
    assert "This field is required" in html
    ticket = ask(sme, queue)
    before = Ticket.objects.values().get(pk=ticket.pk)
    response = advisor.post(
        reverse("helpdesk:change", kwargs={"pk": ticket.pk}),
        {"status": "vanished", "priority": "absurd", "assignee": "999999", "tags": "x" * 41},
        follow=True,
    )
    text = response.content.decode()
    assert "Not changed" in text
    assert "Select a valid choice" in text
    assert Ticket.objects.values().get(pk=ticket.pk) == before
    assert sme.post(reverse("helpdesk:rate", kwargs={"pk": ticket.pk}), {"score": "9"}, follow=True).status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).satisfaction is None
    with django_capture_on_commit_callbacks(execute=True):
        advisor.post(reverse("helpdesk:reply", kwargs={"pk": ticket.pk}), {"text": "   "})
    assert ticket.messages.count() == 1


def test_the_export_writes_every_ticket_with_its_thread_and_service_level(
    client_for, users, orgs, queue, tmp_path, django_capture_on_commit_callbacks
):
    import json

    from django.core.management import call_command

    from greenbridge.helpdesk.export import FIELDS

    ticket = ask(client_for("sme"), queue)
    advisor = client_for("advisor")
    reply = reverse("helpdesk:reply", kwargs={"pk": ticket.pk})
    advisor.post(reply, {"text": "Checking with the buyer.", "internal": "on"})
    advisor.post(reply, {"text": "Parts II and IV.", "status": "resolved"})
    Ticket.objects.filter(pk=ticket.pk).update(satisfaction=5)
    out = tmp_path / "tickets.jsonl"

    call_command("helpdesk", "export", "--format", "jsonl", "--queue", "procurement", "-o", str(out))

    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert list(row) == FIELDS
    ticket.refresh_from_db()
    assert row["reference"] == ticket.reference
    assert (row["queue"], row["status"], row["priority"], row["organisation"]) == (
        "procurement",
        "resolved",
        "normal",
        orgs["sme"].name,
    )
    assert (row["requester_email"], row["assignee_email"]) == (users["sme"].email, users["advisor"].email)
    assert row["created"] == ticket.created.isoformat()
    assert row["first_response_at"] == ticket.first_response_at.isoformat()
    assert row["resolved_at"] == ticket.resolved_at.isoformat()
    assert row["sla_first_response_due"] == ticket.first_response_due.isoformat()
    assert (row["sla_breached"], row["satisfaction"]) == (False, 5)
    assert [(m["kind"], m["from"], m["text"]) for m in row["messages"]] == [
        ("incoming", users["sme"].email, "Which parts of the ESPD does MTender ask for?"),
        ("internal", users["advisor"].email, "Checking with the buyer."),
        ("public", users["advisor"].email, "Parts II and IV."),
    ]
    assert row["messages"][0]["attachments"] == []
    assert row["messages"][0]["date"].endswith("+00:00")


def test_a_company_asks_about_a_notice_from_its_page_and_the_ticket_links_to_it(client_for, queue, orgs):
    from greenbridge.tenders.models import Notice

    notice = Notice.objects.create(
        source="test", source_id="n1", notice_type="competition", title="Water meters for Ungheni", content_hash="x"
    )
    page = client_for("sme").get(notice.get_absolute_url()).content.decode()
    assert f'href="/help/new/?notice={notice.pk}"' in page
    # Visitors and people with no company to ask for see no such link.
    assert "/help/new/?notice=" not in client_for("anonymous").get(notice.get_absolute_url()).content.decode()
    assert "/help/new/?notice=" not in client_for("operator").get(notice.get_absolute_url()).content.decode()

    sme = client_for("sme")
    form = sme.get(f"/help/new/?notice={notice.pk}")
    assert form.context["form"].initial["subject"] == "Water meters for Ungheni"
    # A question about a notice goes to a procurement queue first (it went to whichever came first: EU funding).
    Queue.objects.create(organisation=orgs["cluster"], slug="funding", name="A: EU funding", topic="funding")
    chosen = Queue.objects.get(pk=sme.get(f"/help/new/?notice={notice.pk}").context["form"].initial["queue"])
    assert chosen.topic == "procurement"
    Queue.objects.filter(topic="procurement").update(topic="general")
    assert sme.get(f"/help/new/?notice={notice.pk}").context["form"].initial["queue"] is None  # none: one chooses
    assert "Regarding:" in form.content.decode()
    sme.post(
        f"/help/new/?notice={notice.pk}",
        {"queue": queue.pk, "subject": "Water meters for Ungheni", "text": "Is lot 2 open to EU firms?"},
    )
    ticket = Ticket.objects.get(subject="Water meters for Ungheni")
    assert ticket.notice == notice
    assert notice.get_absolute_url() in sme.get(ticket.get_absolute_url()).content.decode()
    # An absurd notice id is ignored, not an error.
    assert sme.get("/help/new/?notice=" + "9" * 40).status_code == 200


def test_the_requester_hears_of_a_status_the_staff_set_without_a_reply_and_not_of_its_own(
    client_for, users, queue, django_capture_on_commit_callbacks
):
    ticket = ask(client_for("sme"), queue, subject="Guarantee for lot 3")
    mail.outbox.clear()
    change = reverse("helpdesk:change", kwargs={"pk": ticket.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client_for("advisor").post(change, {"status": "waiting_third_party", "priority": "normal"})
    (sent,) = mail.outbox
    assert (sent.to, sent.subject) == ([users["sme"].email], f"[{ticket.reference}] Guarantee for lot 3")
    assert sent.body.startswith("Your question waits for an answer from someone else")
    with django_capture_on_commit_callbacks(execute=True):
        client_for("sme").post(reverse("helpdesk:close", kwargs={"pk": ticket.pk}))
    assert len(mail.outbox) == 1  # the company closed it itself: no e-mail to tell it


def test_events_opportunities_and_assessments_offer_the_same_and_only_what_the_person_sees_is_linked(
    client_for, queue, demo, orgs
):
    sme = client_for("sme")
    event = demo.event
    assert f'href="/help/new/?event={event.pk}"' in sme.get(event.get_absolute_url()).content.decode()
    opportunity = next(o for o in demo.opportunities.values() if o.organisation != orgs["sme"])
    assert f'href="/help/new/?opportunity={opportunity.pk}"' in sme.get(opportunity.get_absolute_url()).content.decode()
    assessment = demo.assessments["aquapure_dma_t1"]
    assert f'href="/help/new/?assessment={assessment.pk}"' in sme.get(assessment.get_absolute_url()).content.decode()

    sme.post(f"/help/new/?assessment={assessment.pk}", {"queue": queue.pk, "subject": "Our T1", "text": "Why 2.1?"})
    assert Ticket.objects.get(subject="Our T1").assessment == assessment
    # Another company's private assessment is not linked: the question is asked, about nothing.
    other = client_for("other_sme")
    other.post(f"/help/new/?assessment={assessment.pk}", {"queue": queue.pk, "subject": "Theirs", "text": "?"})
    assert Ticket.objects.get(subject="Theirs").assessment is None


def test_files_go_with_a_question_and_a_reply_from_the_web_and_programs_do_not(
    client_for, queue, settings, django_capture_on_commit_callbacks
):
    """The web forms had no file field: a company asked for a register extract could not send it but by e-mail."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_UPLOAD_MB = 1
    sme, advisor = client_for("sme"), client_for("advisor")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = sme.post(
        reverse("helpdesk:new"),
        {
            "queue": queue.pk,
            "subject": "Register extract",
            "text": "Here is our extract.",
            "attachments": [SimpleUploadedFile("extract.pdf", pdf, "application/pdf")],
        },
    )
    ticket = Ticket.objects.get(subject="Register extract")
    assert response.url == ticket.get_absolute_url()
    (kept,) = ticket.messages.get().attachments.all()
    assert (kept.filename, kept.size, kept.content_type) == ("extract.pdf", len(pdf), "application/pdf")
    assert "extract.pdf" in advisor.get(ticket.get_absolute_url()).content.decode()
    # A program, whatever it is called, and a file too large are refused by name; the reply typed comes back.
    reply = reverse("helpdesk:reply", kwargs={"pk": ticket.pk})
    refused = sme.post(
        reply,
        {
            "text": "And the statute.",
            "attachments": [
                SimpleUploadedFile("statute.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf"),
                SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 1), "image/png"),
            ],
        },
        follow=True,
    )
    page = refused.content.decode()
    assert "statute.pdf: a program or script, not stored" in page
    assert "scan.png: larger than 1 MB" in page
    assert "And the statute.</textarea>" in page
    assert ticket.messages.count() == 1
    # The staff's answer goes with its file, on the page and in the e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        advisor.post(
            reply,
            {"text": "The form to sign.", "attachments": [SimpleUploadedFile("form.pdf", pdf, "application/pdf")]},
        )
    assert mail.outbox[-1].attachments == [("form.pdf", pdf, "application/pdf")]
    assert "form.pdf" in sme.get(ticket.get_absolute_url()).content.decode()


def test_the_file_field_is_explained_in_the_readers_language(client_for):
    page = client_for("sme").get(reverse("helpdesk:new"), HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Додати файли" in page
    assert "До 10 файлів (скан, PDF, таблиця…), кожен не більше ніж 10 МБ." in page


def test_a_question_withdrawn_before_any_answer_asks_for_no_rating(client_for, queue):
    sme = client_for("sme")
    ticket = ask(sme, queue, subject="Never mind")
    sme.post(reverse("helpdesk:close", kwargs={"pk": ticket.pk}))
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert (ticket.closed_at is not None, ticket.resolved_at) == (True, None)  # closed, not resolved, in the reports
    assert "How well was your question answered?" not in sme.get(ticket.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evil.js.", b"alert(1)"),  # Windows saves it as evil.js
        ("run.sh ", b"#!/bin/sh\nrm -rf ~"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("page.HTML", b"<html><script>alert(1)</script></html>"),
        ("budget.xlsm", b"PK\x03\x04" + b"\x00" * 30),
    ],
)
def test_a_program_or_a_page_that_runs_scripts_is_never_kept_whatever_it_is_called(name, data):
    from greenbridge.core.errors import Refused
    from greenbridge.helpdesk.attachments import checked

    with pytest.raises(Refused, match="a program or script, not stored"):
        checked(name, data, "text/plain")


def test_a_file_name_that_is_no_name_is_kept_as_attachment():
    from greenbridge.helpdesk.attachments import checked

    assert checked("..", b"%PDF-1.4\n")[0] == "attachment"
    assert checked("a\x00b/c.pdf", b"%PDF-1.4\n")[0] == "ab_c.pdf"


def test_the_clear_box_of_a_file_input_is_not_a_file(client_for, queue):
    """A crafted "attachments-clear" answered 500: the multiple-file field took the clear marker for a file."""
    response = client_for("sme").post(
        reverse("helpdesk:new"),
        {"queue": queue.pk, "subject": "Cleared", "text": "x", "attachments-clear": "on"},
    )
    assert response.status_code == 302
    assert not Ticket.objects.get(subject="Cleared").messages.get().attachments.exists()
