"""Who may read and write a knowledge base.

An organisation's knowledge base is written by its staff (managers and advisors: the people who answer its
help-desk queues). A published public article is everyone's, visitors' too; an internal one and every draft stay
its staff's. Operators run the platform and get no more than visitors here.
"""

import rules

from greenbridge.orgs.models import Membership
from greenbridge.orgs.rules import STAFF_ROLES


def staff_organisations(user):
    """The ids of the organisations whose knowledge base `user` writes (a subquery)."""
    return Membership.objects.filter(user=user, role__in=STAFF_ROLES).values("organisation")


@rules.predicate
def writes_for(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role__in=STAFF_ROLES).exists()


@rules.predicate
def reads(user, article) -> bool:
    if article is None:
        return False
    return article.is_public or writes_for(user, article.organisation)


rules.add_perm("knowledge.write_articles", writes_for)
rules.add_perm("knowledge.view_article", reads)
