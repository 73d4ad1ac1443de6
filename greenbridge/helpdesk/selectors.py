"""Reads of the help desk, each for the user who asks (rules.py says who sees what)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbridge.orgs.models import ClusterMembership, Membership, Organisation
from greenbridge.orgs.rules import STAFF_ROLES
from greenbridge.orgs.signals import TimelineEntry

from . import sla
from .models import Message, QuarantinedMail, Queue, Ticket


def queues_staffed_by(user) -> QuerySet[Queue]:
    """The queues the user answers: named as an agent, or staff of the queue's cluster when it names none."""
    if not user.is_authenticated:
        return Queue.objects.none()
    staff_of = Membership.objects.filter(user=user, role__in=STAFF_ROLES).values("organisation")
    return Queue.objects.filter(Q(agents=user) | Q(agents__isnull=True, organisation__in=staff_of)).distinct()


def queues_reported_to(user) -> QuerySet[Queue]:
    """The queues whose reports the user reads (the `helpdesk.view_reports` rule's list twin): those it answers,
    and every queue of the clusters it manages. Another cluster's never."""
    if not user.is_authenticated:
        return Queue.objects.none()
    managed = Membership.objects.filter(user=user, role=Membership.Role.MANAGER).values("organisation")
    mine = Q(pk__in=queues_staffed_by(user).values("pk")) | Q(organisation__in=managed)
    return Queue.objects.filter(mine).select_related("organisation", "calendar").order_by("organisation__name", "name")


def advisors_of(queues) -> QuerySet:
    """The people who answer any of `queues` (their agents, or the staff of their clusters where they name none)."""
    queues = Queue.objects.filter(pk__in=[q.pk for q in queues])
    named = Q(helpdesk_queues__in=queues)
    unnamed = queues.filter(agents__isnull=True).values("organisation")
    staff = Q(memberships__organisation__in=unnamed, memberships__role__in=STAFF_ROLES)
    return get_user_model().objects.filter(named | staff).distinct().order_by("full_name", "email")


def company_of(user) -> Organisation | None:
    """The company a person asks for (its first SME by name), or None."""
    if user is None or not user.is_authenticated:
        return None
    return Organisation.objects.filter(memberships__user=user, kind=Organisation.Kind.SME).order_by("name").first()


def may_ask(user) -> bool:
    """In one query: the person acts for a company that has a help desk to ask (one of its clusters', or one open to
    anyone) — what the pages of notices, events, opportunities and assessments check before offering to ask."""
    if not user.is_authenticated:
        return False
    companies = Organisation.objects.filter(memberships__user=user, kind=Organisation.Kind.SME)
    clusters = ClusterMembership.objects.filter(member__in=companies).values("cluster")
    open_to = Q(public=True) | Q(organisation__in=clusters)
    return Queue.objects.filter(open_to, active=True).filter(Exists(companies)).exists()


def queues_open_to(user, organisation: Organisation | None) -> QuerySet[Queue]:
    """Where a company may ask: the active queues of the clusters it belongs to, and the queues open to anyone."""
    mine = Q(public=True)
    if organisation is not None:
        mine |= Q(organisation__in=ClusterMembership.objects.filter(member=organisation).values("cluster"))
    return Queue.objects.filter(mine, active=True).select_related("organisation").order_by("organisation__name", "name")


@dataclass(frozen=True)
class Filters:
    queue: int | None = None
    status: str = ""  # a status, "unresolved" (neither resolved nor closed) or "" (any)
    priority: str = ""
    assignee: str = ""  # "me", "none" or ""
    organisation: int | None = None
    sla: str = ""  # "overdue", "at_risk" (overdue or within the warning time) or ""
    tag: str = ""
    q: str = ""


def tickets_for(user, filters: Filters = Filters()) -> QuerySet[Ticket]:
    """The tickets the user sees: those it answers (its queues), those it asked and its organisations'."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    own_orgs = Membership.objects.filter(user=user).values("organisation")
    visible = Q(queue__in=queues_staffed_by(user)) | Q(requester=user) | Q(organisation__in=own_orgs)
    found = Ticket.objects.filter(visible)
    if filters.queue:
        found = found.filter(queue_id=filters.queue)
    if filters.status == "unresolved":
        found = found.open()
    elif filters.status:
        found = found.filter(status=filters.status)
    if filters.priority:
        found = found.filter(priority=filters.priority)
    if filters.assignee == "me":
        found = found.filter(assignee=user)
    elif filters.assignee == "none":
        found = found.filter(assignee__isnull=True)
    if filters.organisation:
        found = found.filter(organisation_id=filters.organisation)
    if filters.sla in {"overdue", "at_risk"}:
        due = sla.due_q(timezone.now(), sla.Clocks(), warning=filters.sla == "at_risk")
        found = found.open().filter(due)
    if filters.tag:  # tags are the staff's: only the tickets of the queues the user answers carry them for them
        found = found.filter(tags__icontains=f'"{filters.tag}"', queue__in=queues_staffed_by(user))
    for word in filters.q.split()[:8]:
        found = found.filter(Q(subject__icontains=word) | Q(requester_email__icontains=word))
    return found.select_related("queue__calendar", "organisation", "assignee").order_by("-created")


def thread_for(user, ticket: Ticket, *, staff: bool) -> list[Message]:
    """The ticket's messages for this reader: internal notes only for the queue's staff."""
    messages = ticket.messages.select_related("author").prefetch_related("attachments")
    if not staff:
        messages = messages.exclude(kind=Message.Kind.INTERNAL)
    return list(messages)


def open_for_company(*, user, organisation: Organisation) -> int:
    """A company's questions not yet resolved (its people see them all)."""
    return tickets_for(user).filter(organisation=organisation).open().count()


def to_answer_for_cluster(*, user, cluster: Organisation) -> int:
    """The questions waiting for an answer (new or open) in the queues of a cluster that the user answers."""
    queues = queues_staffed_by(user).filter(organisation=cluster)
    return Ticket.objects.filter(queue__in=queues, status__in=[Ticket.Status.NEW, Ticket.Status.OPEN]).count()


def quarantine_for(user, *, queue: int | None = None) -> QuerySet[QuarantinedMail]:
    """The mail kept out of the queues the user answers, newest first (what was taken in after all excluded)."""
    found = QuarantinedMail.objects.filter(queue__in=queues_staffed_by(user), released=False)
    if queue is not None:
        found = found.filter(queue_id=queue)
    return found.select_related("queue").order_by("-received")


def timeline_of(sender, *, organisation: Organisation, user, limit: int, **kwargs) -> list[TimelineEntry]:
    """orgs.signals.timeline: the organisation's tickets the user sees (tickets_for: the staff of each ticket's queue,
    and the organisation's own people), newest first."""
    found = tickets_for(user).filter(organisation=organisation)[:limit]
    return [
        TimelineEntry(
            when=t.created,
            kind=_("Question"),
            title=f"{t.reference} {t.subject}",
            url=t.get_absolute_url(),
            status=t.get_status_display(),
            detail=t.queue.name,
        )
        for t in found
    ]
