"""Who may do what with an event. Organisers are the managers and advisors of an organising cluster;
a participant's requests, meetings and agenda are theirs and their organisation's people's."""

import rules

from greenbridge.orgs.models import Membership
from greenbridge.orgs.rules import STAFF_ROLES, is_member

ORGANISER_ROLES = STAFF_ROLES


@rules.predicate
def is_event_organiser(user, event) -> bool:
    if not user.is_authenticated or event is None:
        return False
    return Membership.objects.filter(
        user=user, organisation__in=event.organisers.all(), role__in=ORGANISER_ROLES
    ).exists()


@rules.predicate
def is_public_event(user, event) -> bool:
    """Published (or cancelled), by an organiser that may publish: a cluster or BSO verified by the operators
    (the twin of the filter in `selectors.events_visible`)."""
    return event is not None and event.is_public and any(org.is_trusted for org in event.organisers.all())


@rules.predicate
def can_organise_for(user, organisation) -> bool:
    """Staff of a cluster or BSO create events in its name."""
    if not user.is_authenticated or organisation is None or not organisation.is_cluster:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role__in=ORGANISER_ROLES).exists()


@rules.predicate
def is_participant_side(user, registration) -> bool:
    return registration is not None and (registration.user_id == user.pk or is_member(user, registration.organisation))


# Asked with rules.has_perm: operators run the platform, but do not read participants' answers and meetings.
rules.add_perm("events.view_event", is_public_event | is_event_organiser)
rules.add_perm("events.manage_event", is_event_organiser)
rules.add_perm("events.create_event", can_organise_for)
rules.add_perm("events.view_registration", is_participant_side)
