"""The advisors' tools: filters by service level, company and tag; bulk assign, status and merge; ready answers with
placeholders inserted into the reply box; a ticket turned into a service engagement."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from greenbridge.helpdesk import services
from greenbridge.helpdesk.intake import receive
from greenbridge.helpdesk.models import CannedReply, Queue, ServiceLevel, Ticket
from greenbridge.portfolio.models import Engagement, Service

from .test_intake import mail


@pytest.fixture
def queue(orgs):
    queue = Queue.objects.get(slug="danube-procurement")
    ServiceLevel.objects.update_or_create(
        queue=queue, priority="low", defaults={"first_response_minutes": 60, "resolution_minutes": 600}
    )
    return queue


def ask(queue, users, orgs, subject, **fields) -> Ticket:
    ticket = services.ticket_open(
        queue=queue, subject=subject, text="A question.", requester=users["sme"], organisation=orgs["sme"]
    )
    if fields:
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
        ticket.refresh_from_db()
    return ticket


def subjects(response) -> set[str]:
    return {t.subject for t in response.context["page"]}


def test_filters_by_service_level_company_and_tag(queue, users, orgs, client_for):
    now = timezone.now()
    late = ask(queue, users, orgs, "Late", first_response_due=now - timedelta(hours=1), tags=["espd"])
    ask(queue, users, orgs, "Fine", first_response_due=now + timedelta(days=30), resolution_due=None)
    advisor = client_for("advisor")

    assert "Late" in subjects(advisor.get(reverse("helpdesk:tickets"), {"sla": "overdue"}))
    assert "Fine" not in subjects(advisor.get(reverse("helpdesk:tickets"), {"sla": "overdue"}))
    assert "Fine" not in subjects(advisor.get(reverse("helpdesk:tickets"), {"sla": "at_risk"}))
    assert subjects(advisor.get(reverse("helpdesk:tickets"), {"tag": "espd"})) == {"Late"}
    by_company = advisor.get(reverse("helpdesk:tickets"), {"organisation": orgs["sme"].pk, "status": "all"})
    assert {"Late", "Fine"} <= subjects(by_company)
    assert late.organisation == orgs["sme"]
    # An absurd value is ignored, not an error.
    assert advisor.get(reverse("helpdesk:tickets"), {"sla": "x" * 500, "organisation": "9" * 40}).status_code == 200


def test_bulk_assign_and_status_each_logged(queue, users, orgs, client_for):
    a, b = ask(queue, users, orgs, "A"), ask(queue, users, orgs, "B")
    advisor = client_for("advisor")
    response = advisor.post(
        reverse("helpdesk:bulk"),
        {"tickets": [a.pk, b.pk], "action": "assign", "assignee": users["advisor"].pk, "back": "status=all"},
    )
    assert response.url == reverse("helpdesk:tickets") + "?status=all"
    assert set(Ticket.objects.filter(pk__in=[a.pk, b.pk]).values_list("assignee", flat=True)) == {users["advisor"].pk}
    advisor.post(reverse("helpdesk:bulk"), {"tickets": [a.pk, b.pk], "action": "status", "status": "resolved"})
    assert set(Ticket.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"resolved"}
    assert a.changes.filter(field="assignee", actor=users["advisor"]).count() == 1

    # Refused in words, nothing changed: no status chosen; one ticket to merge; a company's person.
    page = advisor.post(reverse("helpdesk:bulk"), {"tickets": [a.pk], "action": "merge"}, follow=True)
    assert "Tick at least two tickets to merge." in page.content.decode()
    assert client_for("sme").post(reverse("helpdesk:bulk"), {"tickets": [a.pk], "action": "merge"}).status_code == 403


def test_merging_moves_the_messages_closes_the_duplicates_and_replies_follow(queue, users, orgs, client_for):
    first = receive(queue, bytes(mail(subject="Guarantee for lot 2", message_id="<m1@aquapure.example>"))).ticket
    dup = receive(queue, bytes(mail(subject="Guarantee lot 2 (again)", message_id="<m2@aquapure.example>"))).ticket
    Ticket.objects.filter(pk=dup.pk).update(requester_email="colleague@aquapure.example")

    response = client_for("advisor").post(reverse("helpdesk:bulk"), {"tickets": [dup.pk, first.pk], "action": "merge"})

    assert response.url == first.get_absolute_url()  # into the oldest
    dup.refresh_from_db()
    first.refresh_from_db()
    assert (dup.merged_into, dup.status) == (first, "closed")
    assert first.messages.count() == 2
    assert first.cc == ["colleague@aquapure.example"]
    # A reply to the duplicate's e-mail, or with its reference, lands in the surviving ticket.
    late = mail(subject=f"Re: [{dup.reference}] Guarantee", text="Any news?", In_Reply_To="<m2@aquapure.example>")
    assert receive(queue, bytes(late)).ticket == first
    page = client_for("sme").get(dup.get_absolute_url()).content.decode()
    assert f"Merged into {first.reference}" in page


def test_a_ready_answer_is_inserted_with_its_placeholders_filled_and_the_typed_text_kept(
    queue, users, orgs, client_for
):
    ticket = ask(queue, users, orgs, "ESPD for MTender")
    advisor = client_for("advisor")
    advisor.post(
        reverse("helpdesk:canned"),
        {
            "title": "ESPD",
            "language": "en",
            "body": "Dear {requester}, for {reference} ({company}): see the ESPD guide. {unknown} — {advisor}",
        },
    )
    canned = CannedReply.objects.get(title="ESPD")
    assert canned.organisation == orgs["cluster"]

    page = advisor.get(ticket.get_absolute_url(), {"canned": canned.pk, "text": "Hello,"})

    text = page.context["reply_form"].initial["text"]
    assert text == (
        f"Hello,\n\nDear {users['sme'].get_full_name() or users['sme']}, for {ticket.reference} ({orgs['sme'].name}): "
        f"see the ESPD guide. {{unknown}} — {users['advisor']}"
    )
    # Another cluster's staff cannot read or edit it; a company's person has no ready answers.
    assert client_for("sme").get(reverse("helpdesk:canned")).status_code == 403
    assert client_for("sme").get(reverse("helpdesk:canned-edit", args=[canned.pk])).status_code == 403
    # Bounds of the model: a title too long is refused in words.
    refused = advisor.post(reverse("helpdesk:canned"), {"title": "x" * 121, "language": "en", "body": "b"})
    assert "at most 120 characters" in refused.content.decode()


def test_an_advisor_turns_a_ticket_into_a_planned_service_for_the_company(queue, users, orgs, client_for):
    ticket = ask(queue, users, orgs, "Help with a bid in Moldova", assignee=users["advisor"])
    under_way = Engagement.objects.filter(organisation=orgs["sme"], status__in=Engagement.OPEN).values("service")
    service = Service.objects.active().filter(provider=orgs["cluster"]).exclude(pk__in=under_way).order_by("name")[0]

    response = client_for("advisor").post(reverse("helpdesk:engagement", args=[ticket.pk]), {"service": service.pk})

    engagement = Engagement.objects.get(organisation=orgs["sme"], service=service, status="planned")
    assert response.url == engagement.get_absolute_url()
    assert engagement.advisor == users["advisor"]
    assert engagement.message.startswith(f"[{ticket.reference}] Help with a bid in Moldova")
    ticket.refresh_from_db()
    assert ticket.engagement == engagement
    again = client_for("advisor").post(
        reverse("helpdesk:engagement", args=[ticket.pk]), {"service": service.pk}, follow=True
    )
    assert "This ticket is already linked to a service." in again.content.decode()


def test_a_link_to_an_article_the_company_may_read_goes_into_an_answer(queue, users, orgs, client_for):
    """The advisor copied an article's address by hand: the answer offers the cluster's articles to link."""
    from greenbridge.knowledge.models import Article

    ticket = ask(queue, users, orgs, "ESPD for MTender")
    advisor = client_for("advisor")
    page = advisor.get(ticket.get_absolute_url())
    offered = page.context["articles"]
    assert offered
    assert all(a.organisation == orgs["cluster"] and a.status == Article.Status.PUBLISHED for a in offered)
    article = offered[0]
    page = advisor.get(ticket.get_absolute_url(), {"article": article.pk, "text": "Hello,"})
    assert page.context["reply_form"].initial["text"] == (
        f"Hello,\n\n{article.title}: http://testserver{article.get_absolute_url()}"
    )
    # An article the company may not read is not offered, nor inserted by its id.
    hidden = Article.objects.exclude(pk__in=[a.pk for a in offered]).exclude(organisation=orgs["cluster"]).first()
    if hidden is not None:
        page = advisor.get(ticket.get_absolute_url(), {"article": hidden.pk, "text": "Hello,"})
        assert page.context["reply_form"].initial["text"] == "Hello,"
