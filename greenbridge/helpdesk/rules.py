"""Who may see and answer tickets.

A ticket is the requester's organisation's private data and the queue's: it is seen by the requester, by
everyone in the requester's organisation (a company follows its own questions), and by the queue's staff (the
queue's agents, or all managers and advisors of the queue's cluster when it names none). Other clusters never see
it, not even those the company shares its data with. Internal notes are the staff's only. The staff answer,
change and merge tickets; the requester's people reply, close and rate.
"""

import rules

from greenbridge.orgs.rules import is_member


@rules.predicate
def staffs_queue(user, queue) -> bool:
    return user.is_authenticated and queue is not None and queue.staff().filter(pk=user.pk).exists()


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
