"""Warnings before a service-level target is missed and escalation when it is (`greenbridge helpdesk escalate`, the
Celery beat task `helpdesk_escalate_task`, every few minutes).

- Warning: a due time (first response while unanswered, resolution while the clock runs) is within the level's
  warning time in business hours: the assignee is told, or the queue's staff when nobody is assigned.
- Breach: a due time has passed: the ticket is marked breached (`breached_at`, kept for the reports), its
  priority goes up one step (its targets shorten accordingly), the queue's escalation manager (else the cluster's
  managers) is told, and the change is logged.

Idempotent: a ticket remembers the latest due time it was warned about (`warned_due`) and escalated for
(`escalated_due`), so running the task twice, or every minute, sends each warning and escalation once; a new target
(after the first answer, a reopening, a longer clock) can be warned about and escalated again. One ticket that
fails is logged and skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from greenbridge.core.mail import send_to_user
from greenbridge.orgs.models import Membership

from . import services, sla
from .models import PRIORITY_ORDER, Ticket

log = logging.getLogger(__name__)


@dataclass
class Escalated:
    warned: int = 0
    breached: int = 0
    failed: int = 0


def escalate(*, now: datetime | None = None) -> Escalated:
    """Warn and escalate every open ticket that is due: per service level, only the tickets due before its warning
    horizon are read (the index on the due times), so a quiet run over 100,000 tickets reads few."""
    now = now or timezone.now()
    clocks = sla.Clocks()
    done = Escalated()
    due = sla.due_q(now, clocks, warning=True)
    for pk in Ticket.objects.open().filter(due, merged_into=None).order_by("pk").values_list("pk", flat=True):
        try:
            _one(pk, now, clocks, done)
        except Exception:  # one ticket must not stop the others
            log.exception("help desk escalation: ticket %s skipped", pk)
            done.failed += 1
    return done


@transaction.atomic
def _one(pk: int, now: datetime, clocks: sla.Clocks, done: Escalated) -> None:
    # of=self: PostgreSQL locks no row of a nullable outer join (the calendar, the manager).
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("queue__calendar", "queue__manager").get(pk=pk)
    )
    if ticket.status in Ticket.DONE:
        return
    past = [d for d in sla.active_dues(ticket) if d <= now]
    if past and (ticket.escalated_due is None or max(past) > ticket.escalated_due):
        missed = max(past)
        ticket.breached_at = ticket.breached_at or now
        old = ticket.priority
        position = PRIORITY_ORDER.index(ticket.priority)
        if position + 1 < len(PRIORITY_ORDER):
            ticket.priority = PRIORITY_ORDER[position + 1]
            sla.refresh(ticket, clocks)
        # Shorter targets may put new due times in the past too: they are part of this escalation.
        ticket.escalated_due = max([missed, *(d for d in sla.active_dues(ticket) if d <= now)])
        ticket.save()
        services.log_change(ticket=ticket, user=None, field="sla", old="", new="breached")
        if ticket.priority != old:
            services.log_change(ticket=ticket, user=None, field="priority", old=old, new=ticket.priority)
        people = _escalation_people(ticket)
        transaction.on_commit(lambda: _tell(people, "helpdesk/email/breach", ticket, missed))
        done.breached += 1
        return
    level = clocks.level(ticket.queue, ticket.priority)
    if level is None:
        return
    hours = clocks.hours(ticket.queue)
    soon = [d for d in sla.active_dues(ticket) if d > now and hours.between(now, d) <= level.warn_minutes * 60]
    if soon and (ticket.warned_due is None or max(soon) > ticket.warned_due):
        ticket.warned_at, ticket.warned_due = now, max(soon)
        ticket.save(update_fields=["warned_at", "warned_due", "updated"])
        people = [ticket.assignee] if ticket.assignee_id else list(ticket.queue.staff())
        transaction.on_commit(lambda: _tell(people, "helpdesk/email/warning", ticket, min(soon)))
        done.warned += 1


def _escalation_people(ticket: Ticket) -> list:
    if ticket.queue.manager_id:
        return [ticket.queue.manager]
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=ticket.queue.organisation_id, role=Membership.Role.MANAGER
        ).select_related("user")
    ]


def _tell(people, template: str, ticket: Ticket, due: datetime) -> None:
    zone = sla.Clocks().hours(ticket.queue).zone
    for person in people:
        send_to_user(person, template, {"ticket": ticket, "due": due, "zone": str(zone)})
