"""Who may do what with a strategy: the people of its member organisations, by their organisation's role in it
(owner: everything, members and versions too; editor: the sections and comments; reader: read and comment).
Strategies and their drafts are private: operators do not read them."""

import rules

from greenbridge.orgs.models import Membership

from .models import Member

RANK = {Member.Role.READER: 1, Member.Role.EDITOR: 2, Member.Role.OWNER: 3}


def role_of(user, strategy) -> str | None:
    """The strongest role the user holds in the strategy through their organisations."""
    if not user.is_authenticated or strategy is None:
        return None
    mine = Membership.objects.filter(user=user).values("organisation")
    roles = strategy.members.filter(organisation__in=mine).values_list("role", flat=True)
    return max(roles, key=RANK.get, default=None)


@rules.predicate
def is_reader(user, strategy) -> bool:
    return role_of(user, strategy) is not None


@rules.predicate
def is_editor(user, strategy) -> bool:
    return RANK.get(role_of(user, strategy), 0) >= RANK[Member.Role.EDITOR]


@rules.predicate
def is_owner(user, strategy) -> bool:
    return role_of(user, strategy) == Member.Role.OWNER


# Asked with rules.has_perm (operators are superusers, and do not read organisations' private records).
rules.add_perm("strategy.view_strategy", is_reader)
rules.add_perm("strategy.change_strategy", is_editor)
rules.add_perm("strategy.manage_strategy", is_owner)
