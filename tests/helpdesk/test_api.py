"""The help desk's API: the same people see the same tickets as on the pages; internal notes never reach the
company; bad input refused in words."""

import pytest

from greenbridge.helpdesk import services
from greenbridge.helpdesk.models import Queue, Ticket


@pytest.fixture
def queue(orgs):
    return Queue.objects.get(slug="danube-procurement")


def test_a_company_asks_and_replies_the_staff_answer_with_a_note_it_never_sees(client_for, queue, users, orgs):
    sme, advisor = client_for("sme"), client_for("advisor")
    created = sme.post(
        "/api/v1/tickets",
        {"queue": "danube-procurement", "subject": "CE marking for Ukraine", "text": "Is CE accepted?"},
        content_type="application/json",
    )
    assert created.status_code == 201
    ticket = Ticket.objects.get(pk=created.json()["id"])
    assert (ticket.requester, ticket.organisation) == (users["sme"], orgs["sme"])
    assert created.json()["reference"] == ticket.reference

    note = advisor.post(
        f"/api/v1/tickets/{ticket.pk}/replies",
        {"text": "Ask the Kyiv office.", "internal": True},
        content_type="application/json",
    )
    assert (note.status_code, note.json()["kind"]) == (201, "internal")
    answer = advisor.post(
        f"/api/v1/tickets/{ticket.pk}/replies",
        {"text": "UA.TR marking is needed; CE helps.", "status": "waiting_requester"},
        content_type="application/json",
    )
    assert answer.status_code == 201

    seen = sme.get(f"/api/v1/tickets/{ticket.pk}").json()
    assert [m["kind"] for m in seen["messages"]] == ["incoming", "public"]
    assert seen["status"] == "waiting_requester"
    staff_view = advisor.get(f"/api/v1/tickets/{ticket.pk}").json()
    assert [m["kind"] for m in staff_view["messages"]] == ["incoming", "internal", "public"]
    assert staff_view["sla_state"] in {"ok", "warning", "breached"}

    # The company may not write notes or set the status; it replies.
    refused = sme.post(
        f"/api/v1/tickets/{ticket.pk}/replies", {"text": "x", "internal": True}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert (
        sme.post(
            f"/api/v1/tickets/{ticket.pk}/replies", {"text": "Thanks!"}, content_type="application/json"
        ).status_code
        == 201
    )
    ticket.refresh_from_db()
    assert ticket.status == "open"  # the company answered: the clock runs again

    assert [t["id"] for t in sme.get("/api/v1/tickets", {"status": "unresolved"}).json()].count(ticket.pk) == 1
    assert ticket.pk in [t["id"] for t in advisor.get("/api/v1/tickets", {"queue": "danube-procurement"}).json()]
    assert client_for("other_sme").get(f"/api/v1/tickets/{ticket.pk}").status_code == 404
    assert ticket.pk not in [t["id"] for t in client_for("other_sme").get("/api/v1/tickets").json()]


def test_bad_input_is_refused_in_words(client_for, queue, users, orgs):
    sme = client_for("sme")
    ticket = services.ticket_open(queue=queue, subject="S", text="T", requester=users["sme"], organisation=orgs["sme"])
    assert sme.get("/api/v1/tickets", {"status": "lost"}).status_code == 422
    assert sme.get("/api/v1/tickets", {"q": "x" * 5000}).status_code == 422
    blank = sme.post(f"/api/v1/tickets/{ticket.pk}/replies", {"text": "   "}, content_type="application/json")
    assert (blank.status_code, blank.json()["detail"]) == (422, "Write your reply.")
    nowhere = sme.post(
        "/api/v1/tickets", {"queue": "nowhere", "subject": "s", "text": "t"}, content_type="application/json"
    )
    assert nowhere.status_code == 404
    long = sme.post(
        "/api/v1/tickets",
        {"queue": "danube-procurement", "subject": "s" * 251, "text": "t"},
        content_type="application/json",
    )
    assert long.status_code == 422
    assert client_for("anonymous").get("/api/v1/tickets").status_code == 401
