"""End to end in a real chromium: AquaPure asks the cluster's help desk on the web (an article is suggested as it
types the subject; it asks all the same); the advisor adds an internal
note and answers with a ready answer (placeholders filled in the reply box); AquaPure replies by e-mail (through
the intake, as the mailbox poll gives it); the advisor resolves it; AquaPure rates the answer."""

from email.message import EmailMessage

import pytest

from greenbridge.helpdesk.intake import receive
from greenbridge.helpdesk.models import CannedReply, Queue, Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_question_asked_on_the_web_answered_replied_to_by_email_resolved_and_rated(
    page, live_server, screenshot, sign_in, demo, mailoutbox
):
    users, orgs = demo.users, demo.orgs
    queue = Queue.objects.get(slug="danube-procurement")

    sign_in(users["sme"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Help desk").first.click()
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_label("Ask").select_option(str(queue.pk))
    page.get_by_label("Subject").press_sequentially("ESPD and bank guarantee for the Cahul tender", delay=10)
    # An article of the cluster that may answer it appears under the subject (htmx); the company asks all the same.
    page.locator("#kb-suggestions").get_by_role("link", name="What is the ESPD and how to fill it in").wait_for()
    page.get_by_label("Your question").fill("The buyer asks for a 2% bid guarantee. May a Romanian bank issue it?")
    screenshot("ask")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your question is with Public procurement abroad.").wait_for()
    ticket = Ticket.objects.get(subject="ESPD and bank guarantee for the Cahul tender")
    assert (ticket.organisation, ticket.requester) == (orgs["sme"], users["sme"])

    # The advisor: an internal note, then a ready answer with the company's person's name filled in.
    sign_in(users["advisor"])
    page.goto(live_server.url + "/help/")
    page.get_by_role("link", name=ticket.subject).click()
    page.get_by_label("Reply").fill("Moldovan buyers usually accept an EU bank via a correspondent bank.")
    page.get_by_label("Internal note (never sent, never shown to the company)").check()
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Note added.").wait_for()
    canned = CannedReply.objects.get(organisation=orgs["cluster"], title="Waiting for your documents", language="en")
    page.get_by_label("Insert a ready answer").select_option(str(canned.pk))
    reply_box = page.get_by_label("Reply")
    page.wait_for_function("document.querySelector('#id_text').value.includes('To go on with')")
    assert f"To go on with {ticket.reference}" in reply_box.input_value()
    assert "{requester}" not in reply_box.input_value()
    reply_box.fill(reply_box.input_value().replace("\n\nTo go on", "\n\nYes, a Romanian bank may issue it. To go on"))
    page.get_by_label("Then").select_option("waiting_requester")
    screenshot("answer")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Reply sent.").wait_for()
    sent = [m for m in mailoutbox if ticket.reference in m.subject and "Yes, a Romanian bank" in m.body]
    assert len(sent) == 1
    assert "Moldovan buyers" not in sent[0].body  # the internal note is never sent

    # AquaPure answers from its mail client: the reply comes in through the intake and reopens the ticket.
    answer = EmailMessage()
    answer["From"] = f"Ana Popescu <{users['sme'].email}>"
    answer["To"] = queue.email
    answer["Subject"] = f"Re: {sent[0].subject}"
    answer["Message-ID"] = "<cahul-reply@aquapure.example>"
    answer["In-Reply-To"] = sent[0].extra_headers["Message-ID"]
    answer.set_content(f"Thank you, we attach the offer.\n\nOn Tuesday, {users['advisor']} wrote:\n> Yes, a Romanian")
    assert receive(queue, bytes(answer)).ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == "open"

    page.reload()
    page.get_by_text("Thank you, we attach the offer.").wait_for()
    assert page.get_by_text("> Yes, a Romanian").count() == 0  # the quoted history is trimmed from the thread
    page.get_by_label("Status").select_option("resolved")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Ticket updated.").wait_for()

    # AquaPure sees the whole thread without the internal note, and rates the answer.
    sign_in(users["sme"])
    page.goto(live_server.url + ticket.get_absolute_url())
    assert page.get_by_text("Moldovan buyers usually accept").count() == 0
    screenshot("resolved")
    page.locator("label.stars-input__star").filter(has_text="5 of 5").click()
    page.get_by_label("Comment").fill("Fast and clear.")
    screenshot("rate")
    page.get_by_role("button", name="Send").last.click()
    page.get_by_text("Thank you for your rating.").wait_for()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction, ticket.satisfaction_comment) == ("resolved", 5, "Fast and clear.")
