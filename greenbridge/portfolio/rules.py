"""Who may do what with services and engagements.

- A service in the public portfolio (active) is public; drafts and retired ones are seen by their provider's staff.
- A provider's managers and advisors keep its catalogue; making a service public needs what publishing needs
  (a confirmed e-mail address and a verified cluster: orgs.publish_as).
- An engagement is the SME's private data: seen by its people, the advisors of the clusters it shares its data
  with (orgs.can_view_private) and the provider's staff (the SME asked them); never by other clusters or SMEs.
  The provider's staff answer and deliver it; the SME's people request, cancel a request and rate it.
"""

import rules

from greenbridge.orgs.rules import can_view_private, is_cluster_staff, is_member


@rules.predicate
def is_active_service(user, service) -> bool:
    return service is not None and service.status == service.Status.ACTIVE


@rules.predicate
def provides(user, service) -> bool:
    """Staff of the cluster or BSO whose catalogue the service is in."""
    return service is not None and is_cluster_staff(user, service.provider)


@rules.predicate
def of_private_access(user, engagement) -> bool:
    return engagement is not None and can_view_private(user, engagement.organisation)


@rules.predicate
def delivers(user, engagement) -> bool:
    return engagement is not None and is_cluster_staff(user, engagement.service.provider)


@rules.predicate
def of_its_people(user, engagement) -> bool:
    return engagement is not None and is_member(user, engagement.organisation)


@rules.predicate
def is_requested(user, engagement) -> bool:
    return engagement is not None and engagement.status == engagement.Status.REQUESTED


@rules.predicate
def is_under_way(user, engagement) -> bool:
    return engagement is not None and engagement.status in (engagement.Status.PLANNED, engagement.Status.IN_PROGRESS)


@rules.predicate
def is_delivered(user, engagement) -> bool:
    return engagement is not None and engagement.status == engagement.Status.DELIVERED


rules.add_perm("portfolio.view_service", is_active_service | provides)
# A catalogue (the object is the provider): its managers and advisors.
rules.add_perm("portfolio.manage_catalogue", is_cluster_staff)
rules.add_perm("portfolio.change_service", provides)
# Requesting a service for an organisation (the object is the organisation; eligibility is checked by the service).
rules.add_perm("portfolio.request_for", is_member)

rules.add_perm("portfolio.view_engagement", of_private_access | delivers)
rules.add_perm("portfolio.answer", delivers & is_requested)
rules.add_perm("portfolio.deliver", delivers & is_under_way)
rules.add_perm("portfolio.withdraw", of_its_people & (is_requested | is_under_way))
rules.add_perm("portfolio.rate", of_its_people & is_delivered)
# Portfolio analysis (the object is the cluster).
rules.add_perm("portfolio.analyse", is_cluster_staff)
