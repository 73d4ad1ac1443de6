"""Warnings and escalations (helpdesk.escalation, `greenbridge helpdesk escalate`): once each, in business hours, to
the right people, with the priority raised on a breach; one bad ticket never stops the run."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from greenbridge.helpdesk import escalation, sla
from greenbridge.helpdesk.escalation import escalate
from greenbridge.helpdesk.models import BusinessCalendar, Queue, ServiceLevel, Ticket, TicketChange
from greenbridge.orgs.models import Membership, Organisation

from .test_sla import at


@pytest.fixture
def people(db):
    cluster = Organisation.objects.create(name="Danube Water Cluster", slug="dwc", kind="cluster", country="RO")
    make = get_user_model().objects.create_user
    manager = make(username="maria", email="maria@dwc.test", password="x", first_name="Maria")
    advisor = make(username="andrei", email="andrei@dwc.test", password="x", first_name="Andrei")
    boss = make(username="elena", email="elena@dwc.test", password="x", first_name="Elena")
    Membership.objects.create(user=manager, organisation=cluster, role=Membership.Role.MANAGER)
    Membership.objects.create(user=advisor, organisation=cluster, role=Membership.Role.ADVISOR)
    return {"cluster": cluster, "manager": manager, "advisor": advisor, "boss": boss}


@pytest.fixture
def queue(people):
    calendar = BusinessCalendar.objects.create(
        organisation=people["cluster"], name="Office", time_zone="Europe/Bucharest", week="mon-fri 09:00-17:00"
    )
    queue = Queue.objects.create(
        organisation=people["cluster"], slug="procurement", name="Procurement abroad", calendar=calendar
    )
    for priority, first, resolution in (("normal", 120, 960), ("high", 60, 480), ("urgent", 30, 240)):
        ServiceLevel.objects.create(
            queue=queue, priority=priority, first_response_minutes=first, resolution_minutes=resolution, warn_minutes=60
        )
    return queue


def opened(queue, when, subject="ESPD for MTender", **fields) -> Ticket:
    ticket = Ticket(queue=queue, subject=subject, priority="normal", status="open", requester_email="ana@sme.test")
    for name, value in fields.items():
        setattr(ticket, name, value)
    sla.start(ticket, when)
    ticket.save()
    Ticket.objects.filter(pk=ticket.pk).update(created=when)
    return ticket


def run(now, capture):
    with capture(execute=True):
        return escalate(now=now)


def test_a_warning_before_the_first_response_is_due_goes_to_the_staff_once(
    queue, people, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = opened(queue, at(2026, 12, 7, 9, 0))  # Monday; first response due 11:00, warning from 10:00
    assert vars(run(at(2026, 12, 7, 9, 55), django_capture_on_commit_callbacks)) == {
        "warned": 0,
        "breached": 0,
        "failed": 0,
    }

    done = run(at(2026, 12, 7, 10, 5), django_capture_on_commit_callbacks)

    assert (done.warned, done.breached) == (1, 0)
    assert sorted(m.to[0] for m in mailoutbox) == ["andrei@dwc.test", "maria@dwc.test"]  # nobody assigned: the staff
    assert mailoutbox[0].subject == f"Due soon: [{ticket.reference}] ESPD for MTender"
    assert "is due at 7 December 2026, 11:00 (Europe/Bucharest)" in mailoutbox[0].body
    ticket.refresh_from_db()
    assert (ticket.warned_at, ticket.warned_due) == (at(2026, 12, 7, 10, 5), at(2026, 12, 7, 11, 0))

    assert run(at(2026, 12, 7, 10, 30), django_capture_on_commit_callbacks).warned == 0  # said once
    assert len(mailoutbox) == 2


def test_a_breach_raises_the_priority_tells_the_escalation_manager_and_is_logged_once(
    queue, people, mailoutbox, django_capture_on_commit_callbacks
):
    queue.manager = people["boss"]
    queue.save()
    ticket = opened(queue, at(2026, 12, 7, 9, 0), assignee=people["advisor"])

    done = run(at(2026, 12, 7, 11, 1), django_capture_on_commit_callbacks)

    assert (done.warned, done.breached) == (0, 1)
    ticket.refresh_from_db()
    assert ticket.priority == "high"
    assert ticket.breached_at == at(2026, 12, 7, 11, 1)
    # High: answer within an hour (10:00, already past: part of this escalation), resolve within 8 h.
    assert (ticket.first_response_due, ticket.resolution_due) == (at(2026, 12, 7, 10, 0), at(2026, 12, 7, 17, 0))
    assert ticket.escalated_due == at(2026, 12, 7, 11, 0)
    assert [m.to for m in mailoutbox] == [["elena@dwc.test"]]
    assert mailoutbox[0].subject == f"Overdue: [{ticket.reference}] ESPD for MTender"
    assert "Its priority is now High." in mailoutbox[0].body
    assert list(TicketChange.objects.filter(ticket=ticket).values_list("field", "old", "new")) == [
        ("sla", "", "breached"),
        ("priority", "normal", "high"),
    ]
    # The history says the clock did it (it said "the requester": no person made these changes).
    from greenbridge.helpdesk.views.tickets import _history

    assert [str(row["who"]) for row in _history(ticket)][-2:] == ["GreenBridge, automatically"] * 2

    again = run(at(2026, 12, 7, 11, 30), django_capture_on_commit_callbacks)
    assert (again.warned, again.breached) == (0, 0)
    ticket.refresh_from_db()
    assert ticket.priority == "high"
    assert len(mailoutbox) == 1


def test_after_the_first_answer_the_resolution_target_is_warned_about_and_escalated_to_the_managers(
    queue, people, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = opened(queue, at(2026, 12, 7, 9, 0), assignee=people["advisor"])
    Ticket.objects.filter(pk=ticket.pk).update(first_response_at=at(2026, 12, 7, 10, 0))  # resolution due Tue 17:00

    assert run(at(2026, 12, 8, 16, 10), django_capture_on_commit_callbacks).warned == 1
    assert [m.to for m in mailoutbox] == [["andrei@dwc.test"]]  # the assignee
    done = run(at(2026, 12, 9, 9, 0), django_capture_on_commit_callbacks)
    assert done.breached == 1
    assert [m.to for m in mailoutbox][1:] == [["maria@dwc.test"]]  # no escalation manager: the cluster's managers
    ticket.refresh_from_db()
    assert ticket.priority == "high"


def test_resolved_waiting_and_merged_tickets_are_left_alone(queue, django_capture_on_commit_callbacks):
    resolved = opened(queue, at(2026, 12, 7, 9, 0), subject="Resolved", status="resolved")
    waiting = opened(queue, at(2026, 12, 7, 9, 0), subject="Waiting", first_response_at=at(2026, 12, 7, 9, 30))
    sla.stop(waiting, at(2026, 12, 7, 9, 30))
    waiting.status = "waiting_requester"
    waiting.save()
    target = opened(queue, at(2026, 12, 7, 9, 0), subject="Target")
    opened(queue, at(2026, 12, 7, 9, 0), subject="Merged", merged_into=target)

    done = run(at(2026, 12, 20, 9, 0), django_capture_on_commit_callbacks)

    assert done.breached == 1  # the target only
    assert Ticket.objects.get(pk=resolved.pk).breached_at is None
    assert Ticket.objects.get(pk=waiting.pk).breached_at is None


def test_one_ticket_that_fails_is_skipped_and_the_others_escalated(
    queue, monkeypatch, django_capture_on_commit_callbacks
):
    bad = opened(queue, at(2026, 12, 7, 9, 0), subject="Bad")
    good = opened(queue, at(2026, 12, 7, 9, 0), subject="Good")
    refresh = sla.refresh

    def failing(ticket, clocks, **kwargs):
        if ticket.pk == bad.pk:
            raise RuntimeError("a fault of ours")
        return refresh(ticket, clocks, **kwargs)

    monkeypatch.setattr(escalation.sla, "refresh", failing)
    done = run(at(2026, 12, 8, 9, 0), django_capture_on_commit_callbacks)

    assert (done.breached, done.failed) == (1, 1)
    assert Ticket.objects.get(pk=good.pk).breached_at == at(2026, 12, 8, 9, 0)
    assert Ticket.objects.get(pk=bad.pk).breached_at is None  # its transaction rolled back whole


def test_the_command_says_what_it_did(queue):
    out = StringIO()
    call_command("helpdesk", "escalate", stdout=out)
    assert out.getvalue() == "0 warnings, 0 escalations, 0 tickets skipped\n"
