"""End to end in a real chromium: an SME types a question's subject and the cluster's article appears under it
(htmx); it opens the article in a new tab, votes it helpful and says it answered the question: counted, no ticket.
Then an advisor makes an article of a good reply on the help desk, publishes it, and a visitor finds it."""

import pytest

from greenbridge.helpdesk.models import Message, Ticket
from greenbridge.knowledge.models import Article, Deflection

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_suggested_article_answers_a_question_and_a_reply_becomes_an_article(
    page, live_server, screenshot, sign_in, demo
):
    users, cluster = demo.users, demo.orgs["cluster"]
    sign_in(users["sme"])
    page.goto(live_server.url + "/help/new/")
    page.get_by_label("Ask").select_option(label="Public procurement abroad (Danube Green Tech Cluster)")
    page.get_by_label("Subject").press_sequentially("How do I fill in the ESPD", delay=20)
    suggestion = page.locator("#kb-suggestions").get_by_role("link", name="What is the ESPD and how to fill it in")
    suggestion.wait_for()
    screenshot("suggestion")
    with page.context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    article.wait_for_load_state()
    article.get_by_role("button", name="Yes", exact=True).click()
    article.get_by_text("Thank you for telling us.").wait_for()  # swapped in by htmx
    article.get_by_role("button", name="Yes, this answered my question: I need not ask").click()
    article.get_by_text("We are glad the article answered your question.").wait_for()
    deflection = Deflection.objects.get()
    assert (deflection.via, deflection.query, deflection.article.title) == (
        "answered",
        "How do I fill in the ESPD",
        "What is the ESPD and how to fill it in",
    )
    assert not Ticket.objects.filter(subject__startswith="How do I fill").exists()

    # The advisor makes an article of the reply on the ESPD question, and publishes it.
    ticket = Ticket.objects.get(subject="ESPD for the Ungheni water-meter tender on MTender")
    sign_in(users["advisor"])
    page.goto(f"{live_server.url}/help/{ticket.pk}/")
    page.get_by_role("button", name="Make an article of this reply").click()
    page.get_by_text("A draft article was made from the reply").wait_for()
    assert page.get_by_label("Title").input_value() == ticket.subject
    reply = ticket.messages.get(kind=Message.Kind.PUBLIC)
    assert page.get_by_label("Text").input_value() == reply.text
    page.get_by_label("Title").fill("ESPD parts for MTender tenders")
    page.get_by_label("Status").select_option("published")
    screenshot("article-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Article saved.").wait_for()
    made = Article.objects.get(title="ESPD parts for MTender tenders")
    assert (made.organisation, made.status, made.language) == (cluster, "published", "ro")

    # A visitor finds it in the cluster's knowledge base.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/help/articles/{cluster.slug}/")
    page.get_by_label("Search the articles").fill("mtender parts")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="ESPD parts for MTender tenders").click()
    page.wait_for_url(f"{live_server.url}{made.get_absolute_url()}")  # its address made from the reply's subject
    screenshot("article")
