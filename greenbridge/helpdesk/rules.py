"""Who may see and answer tickets.

A ticket is the requester's organisation's private data and the queue's: it is seen by the requester, by
everyone in the requester's organisation (a company follows its own questions), and by the queue's staff (the
queue's agents, or all managers and advisors of the queue's cluster when it names none). Other clusters never see
it, not even those the company shares its data with. Internal notes are the staff's only. The staff answer,
change and merge tickets; the requester's people reply, close and rate. A queue's reports (figures per queue,
advisor and month) are read by its staff and its cluster's managers, never by another cluster.
"""

import rules

from greenbridge.orgs.rules import is_cluster_manager, is_member


@rules.predicate
def staffs_queue(user, queue) -> bool:
    return user.is_authenticated and queue is not None and queue.staff().filter(pk=user.pk).exists()


@rules.predicate
def manages_queue(user, queue) -> bool:
    """A manager of the queue's cluster (who may not answer it, when it names its agents)."""
    return queue is not None and is_cluster_manager(user, queue.organisation)


@rules.predicate
def answers(user, ticket) -> bool:
    return ticket is not None and staffs_queue(user, ticket.queue)


@rules.predicate
def asks(user, ticket) -> bool:
    """The requester, or a person of the requester's organisation."""
    if ticket is None or not user.is_authenticated:
        return False
    return ticket.requester_id == user.pk or (
        ticket.organisation_id is not None and is_member(user, ticket.organisation)
    )


rules.add_perm("helpdesk.view_ticket", asks | answers)
rules.add_perm("helpdesk.answer_ticket", answers)
rules.add_perm("helpdesk.reply_ticket", asks)
rules.add_perm("helpdesk.staff_queue", staffs_queue)
# A queue's reports (selectors.queues_reported_to lists them): who answers it, and its cluster's managers.
rules.add_perm("helpdesk.view_reports", staffs_queue | manages_queue)
