"""Who may see and take an organisation's assessments: its own people, and the managers and advisors of the
clusters it shares its private data with (orgs.rules.can_view_private). Never other clusters or other SMEs."""

import rules

from greenbridge.orgs.rules import can_view_private, is_cluster_staff, is_member, is_sharing_cluster_staff


@rules.predicate
def of_private_access(user, assessment) -> bool:
    return assessment is not None and can_view_private(user, assessment.organisation)


@rules.predicate
def is_draft(user, assessment) -> bool:
    return assessment is not None and assessment.status == assessment.Status.DRAFT


rules.add_perm("assessments.view_assessment", of_private_access)
rules.add_perm("assessments.change_assessment", of_private_access & is_draft)
# Starting one for an organisation (the object is the organisation).
rules.add_perm("assessments.take_for", can_view_private)

# A cluster's view of its members' assessments (the object is the cluster): its managers and advisors; what they
# see is only the members that share their private data with it.
rules.add_perm("assessments.view_cluster", is_cluster_staff)

# The review after a submitted assessment: advisors of the clusters the SME shares with comment per dimension; the
# SME's people and those advisors keep the action plan together; the SME's people agree it.


@rules.predicate
def is_submitted(user, assessment) -> bool:
    return assessment is not None and assessment.status == assessment.Status.SUBMITTED


@rules.predicate
def advises(user, assessment) -> bool:
    return assessment is not None and is_sharing_cluster_staff(user, assessment.organisation)


@rules.predicate
def of_its_people(user, assessment) -> bool:
    return assessment is not None and is_member(user, assessment.organisation)


rules.add_perm("assessments.comment", advises & is_submitted)
rules.add_perm("assessments.plan", of_private_access & is_submitted)
rules.add_perm("assessments.agree_plan", of_its_people & is_submitted)
