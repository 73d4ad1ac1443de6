"""Who may do what in the marketplace and with partnerships.

Open opportunities are public; their owner's people edit and close them and answer interests. An interest
is seen by both organisations' people. A partnership is seen by the partners' people and by the staff of
the clusters a partner shares its private data with; the partners' people change it.
"""

import rules

from greenbridge.orgs.models import Membership
from greenbridge.orgs.rules import can_view_private, is_member


@rules.predicate
def is_opportunity_owner(user, opportunity) -> bool:
    return opportunity is not None and is_member(user, opportunity.organisation)


@rules.predicate
def is_visible_opportunity(user, opportunity) -> bool:
    return opportunity is not None and opportunity.is_listed


@rules.predicate
def is_interest_side(user, interest) -> bool:
    return interest is not None and (
        is_member(user, interest.organisation) or is_opportunity_owner(user, interest.opportunity)
    )


@rules.predicate
def is_partner(user, partnership) -> bool:
    if not user.is_authenticated or partnership is None:
        return False
    return Membership.objects.filter(user=user, organisation__in=partnership.organisations.all()).exists()


@rules.predicate
def sees_a_partner(user, partnership) -> bool:
    return partnership is not None and any(can_view_private(user, org) for org in partnership.organisations.all())


# Asked with rules.has_perm (operators are superusers, and do not read organisations' private records).
rules.add_perm("partnering.view_opportunity", is_visible_opportunity | is_opportunity_owner)
rules.add_perm("partnering.change_opportunity", is_opportunity_owner)
rules.add_perm("partnering.view_interest", is_interest_side)
rules.add_perm("partnering.view_partnership", is_partner | sees_a_partner)
rules.add_perm("partnering.change_partnership", is_partner)
