"""An organisation's page shows advisors its questions, support services and assessments in one timeline, newest
first (orgs.signals.timeline, answered by the help desk, the portfolio and assessments): each entry only to those
who may see it by its app's rules, never to another cluster."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from greenbridge.assessments.models import Assessment
from greenbridge.helpdesk.models import Queue, Ticket
from greenbridge.helpdesk.services import ticket_open
from greenbridge.orgs.models import Membership, Organisation
from greenbridge.portfolio.models import Engagement


def timeline(client, org) -> list[tuple[str, str]]:
    """(kind, title) of each entry of the organisation's page's timeline, in order; [] when it has none."""
    html = client.get(reverse("orgs:detail", args=[org.slug])).content.decode()
    found = re.search(r'<ol class="timeline" role="list">(.*?)</ol>', html, re.S)
    if not found:
        return []
    return re.findall(r'<span class="tag">([^<]+)</span>\s*<a href="[^"]+">([^<]+)</a>', found.group(1))


def kinds(entries) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind, _title in entries:
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def test_an_advisor_sees_a_sharing_members_tickets_services_and_assessments_newest_first(client_for, orgs):
    sme = orgs["sme"]
    entries = timeline(client_for("advisor"), sme)
    tickets = [f"{t.reference} {t.subject}" for t in Ticket.objects.filter(organisation=sme).order_by("-created")]
    assert [title for kind, title in entries if kind == "Question"] == tickets
    assert len(tickets) == 2
    assert kinds(entries) == {
        "Question": 2,
        "Support service": Engagement.objects.filter(organisation=sme).count(),
        "Self-assessment": Assessment.objects.filter(organisation=sme).count(),
    }
    response = client_for("advisor").get(reverse("orgs:detail", args=[sme.slug]))
    whens = re.findall(r'<time class="timeline__when" datetime="([^"]+)"', response.content.decode())
    assert whens == sorted(whens, reverse=True)
    assert len(whens) == len(entries)


def test_a_member_that_does_not_share_shows_the_advisor_only_its_questions_to_the_clusters_queues(client_for, orgs):
    other = orgs["other_sme"]
    entries = timeline(client_for("advisor"), other)
    assert entries == [("Question", f"{t.reference} {t.subject}") for t in Ticket.objects.filter(organisation=other)]
    assert len(entries) == 2  # the demo's two questions of Helios (one by e-mail)


def questions(client, org) -> list[str]:
    """The subjects of the timeline's questions, without their references."""
    return [title.split(" ", 1)[1] for kind, title in timeline(client, org) if kind == "Question"]


def test_a_ticket_of_a_queue_with_other_agents_is_not_the_advisors(client_for, orgs, users):
    queue = Queue.objects.create(organisation=orgs["cluster"], slug="legal", name="Legal")
    queue.agents.add(users["manager"])
    ticket_open(queue=queue, subject="Export licence", text="?", requester=users["sme"], organisation=orgs["sme"])
    assert "Export licence" not in questions(client_for("advisor"), orgs["sme"])
    assert questions(client_for("manager"), orgs["sme"])[0] == "Export licence"
    # The company's own people follow all its questions.
    assert questions(client_for("sme"), orgs["sme"])[0] == "Export licence"


@pytest.fixture
def other_cluster_manager(orgs):
    cluster = Organisation.objects.create(name="Other Cluster", slug="other-cluster", kind="cluster", country="FR")
    person = get_user_model().objects.create_user(username="o@other.example", email="o@other.example")
    Membership.objects.create(user=person, organisation=cluster, role=Membership.Role.MANAGER)
    client = Client()
    client.force_login(person)
    return client


def test_another_cluster_and_visitors_see_no_timeline(client_for, orgs, other_cluster_manager):
    for client in (other_cluster_manager, client_for("anonymous"), client_for("other_sme"), client_for("operator")):
        assert timeline(client, orgs["sme"]) == []
        assert "org-timeline-title" not in client.get(reverse("orgs:detail", args=[orgs["sme"].slug])).content.decode()


def test_the_page_reads_the_same_number_of_queries_for_a_longer_timeline(client_for, orgs, users):
    client = client_for("advisor")
    url = reverse("orgs:detail", args=[orgs["sme"].slug])
    queue = Queue.objects.get(slug="danube-procurement")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)
    few = queries()
    for n in range(10):
        ticket_open(queue=queue, subject=f"Question {n}", text="?", requester=users["sme"], organisation=orgs["sme"])
    assert queries() == few
