"""Who may see and take an organisation's assessments: its own people, and the managers and advisors of the
clusters it shares its private data with (orgs.rules.can_view_private). Never other clusters or other SMEs."""

import rules

from greenbridge.orgs.rules import can_view_private


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
