"""Writes of the service portfolio: a provider's catalogue; a company's request and its answer; the sessions, outcome
and rating of an engagement. Each step that concerns someone else sends them an e-mail once the change is saved."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbridge.core.errors import Refused
from greenbridge.core.templatetags.greenbridge import short_date_time
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.rules import is_cluster_staff, publishing_refused

from . import mail
from .models import Engagement, Service, Session
from .selectors import ineligible, places_left

SERVICE_FIELDS = (
    "name",
    "category",
    "summary",
    "description",
    "delivered_by",
    "expert",
    "formats",
    "pricing",
    "price",
    "member_price",
    "currency",
    "members_only",
    "size_classes",
    "countries",
    "sectors",
    "languages",
    "hours",
    "dimensions",
    "capacity",
    "capacity_period",
    "status",
)


def _is_public(service: Service) -> bool:
    return Service.objects.filter(pk=service.pk, status=Service.Status.ACTIVE).exists()


@transaction.atomic
def service_save(*, provider: Organisation, user, data: dict[str, Any], service: Service | None = None) -> Service:
    """Create or change a service of `provider`'s catalogue. Making it public (active) needs what publishing needs:
    a confirmed e-mail address and a verified cluster."""
    if not provider.is_cluster:
        raise Refused(_("Only clusters and business support organisations keep a service catalogue."))
    publishing = data.get("status") == Service.Status.ACTIVE and (service is None or not _is_public(service))
    if publishing and (why := publishing_refused(user, provider)):
        raise Refused(why)
    service = service or Service(provider=provider)
    for name in SERVICE_FIELDS:
        if name in data:
            setattr(service, name, data[name])
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def engagement_request(
    *,
    service: Service,
    organisation: Organisation,
    user,
    message: str = "",
    preferred_dates: str = "",
    assessment=None,
) -> Engagement:
    """A company asks for a service; the provider's staff are told."""
    if service.status != Service.Status.ACTIVE:
        raise Refused(_("This service is not offered at the moment."))
    if not organisation.is_company:
        raise Refused(_("Services are requested for a company."))
    if why := ineligible(service, organisation):
        raise Refused(" ".join(why))
    if Engagement.objects.filter(service=service, organisation=organisation, status__in=Engagement.OPEN).exists():
        raise Refused(_("%(name)s already has a request for this service under way.") % {"name": organisation.name})
    if assessment is not None and assessment.organisation_id != organisation.pk:
        assessment = None
    engagement = Engagement.objects.create(
        service=service,
        organisation=organisation,
        requested_by=user,
        message=message,
        preferred_dates=preferred_dates,
        assessment=assessment,
    )
    transaction.on_commit(lambda: mail.request_received(engagement.pk))
    return engagement


def _locked(engagement: Engagement) -> Engagement:
    return Engagement.objects.select_for_update().select_related("service", "service__provider").get(pk=engagement.pk)


@transaction.atomic
def engagement_accept(*, engagement: Engagement, user, advisor) -> Engagement:
    engagement = _locked(engagement)
    if engagement.status != Engagement.Status.REQUESTED:
        raise Refused(_("This request has already been answered."))
    if advisor is None or not is_cluster_staff(advisor, engagement.service.provider):
        raise Refused(_("Choose an advisor of %(provider)s.") % {"provider": engagement.service.provider.name})
    left = places_left(engagement.service, timezone.localdate())
    if left == 0:
        raise Refused(
            _("This service is fully booked for the period (%(capacity)s companies). Raise its capacity or decline.")
            % {"capacity": engagement.service.capacity}
        )
    engagement.status = Engagement.Status.PLANNED
    engagement.advisor = advisor
    engagement.answered_at = timezone.now()
    engagement.save(update_fields=["status", "advisor", "answered_at", "updated"])
    transaction.on_commit(lambda: mail.request_answered(engagement.pk))
    return engagement


@transaction.atomic
def engagement_decline(*, engagement: Engagement, user, reason: str) -> Engagement:
    engagement = _locked(engagement)
    if engagement.status != Engagement.Status.REQUESTED:
        raise Refused(_("This request has already been answered."))
    if not reason.strip():
        raise Refused(_("Say why, so that the company knows what to do instead."))
    engagement.status = Engagement.Status.DECLINED
    engagement.decline_reason = reason.strip()
    engagement.answered_at = timezone.now()
    engagement.save(update_fields=["status", "decline_reason", "answered_at", "updated"])
    transaction.on_commit(lambda: mail.request_answered(engagement.pk))
    return engagement


@transaction.atomic
def engagement_withdraw(*, engagement: Engagement, user) -> Engagement:
    """The company no longer wants it: a request withdrawn, or an engagement under way cancelled."""
    engagement = _locked(engagement)
    if not engagement.is_open:
        raise Refused(_("This engagement is already closed."))
    engagement.status = Engagement.Status.CANCELLED
    engagement.save(update_fields=["status", "updated"])
    transaction.on_commit(lambda: mail.cancelled(engagement.pk, by_company=True))
    return engagement


@transaction.atomic
def session_add(
    *, engagement: Engagement, user, starts: datetime, hours: Decimal, notes: str = "", shared: bool = False
) -> Session:
    """A session planned or held; the engagement is in progress from its first session on. The company is sent the
    session's calendar entry (and its notes when they are shared)."""
    engagement = _locked(engagement)
    if engagement.status not in (Engagement.Status.PLANNED, Engagement.Status.IN_PROGRESS):
        raise Refused(_("Sessions are added to an engagement under way."))
    session = Session(engagement=engagement, starts=starts, hours=hours, notes=notes, shared=shared, created_by=user)
    session.full_clean()
    session.save()
    if engagement.status == Engagement.Status.PLANNED:
        engagement.status = Engagement.Status.IN_PROGRESS
        engagement.save(update_fields=["status", "updated"])
    transaction.on_commit(lambda: mail.session_planned(session.pk))
    return session


@transaction.atomic
def engagement_close(*, engagement: Engagement, user, status: str, outcome: str = "") -> Engagement:
    """The provider closes an engagement: delivered (the company is asked to rate it) or cancelled."""
    engagement = _locked(engagement)
    if engagement.status not in (Engagement.Status.PLANNED, Engagement.Status.IN_PROGRESS):
        raise Refused(_("This engagement is already closed."))
    if status not in (Engagement.Status.DELIVERED, Engagement.Status.CANCELLED):
        raise Refused(_("An engagement is closed as delivered or cancelled."))
    if status == Engagement.Status.DELIVERED:
        if not engagement.sessions.exists():
            raise Refused(_("Log at least one session before marking it delivered."))
        if coming := engagement.sessions.filter(starts__gt=timezone.now()).order_by("starts").first():
            raise Refused(
                _("A session is still to come (%(when)s): mark the engagement delivered once it has been held.")
                % {"when": short_date_time(coming.starts)}
            )
    engagement.status = status
    engagement.outcome = outcome.strip()
    fields = ["status", "outcome", "updated"]
    if status == Engagement.Status.DELIVERED:
        engagement.delivered_at = timezone.now()
        fields.append("delivered_at")
    engagement.save(update_fields=fields)
    if status == Engagement.Status.DELIVERED:
        transaction.on_commit(lambda: mail.delivered(engagement.pk))
    else:
        transaction.on_commit(lambda: mail.cancelled(engagement.pk, by_company=False))
    return engagement


@transaction.atomic
def engagement_rate(*, engagement: Engagement, user, rating: int, comment: str = "") -> Engagement:
    """The company rates a delivered engagement (1–5, and a comment); rating again replaces the rating."""
    engagement = _locked(engagement)
    if engagement.status != Engagement.Status.DELIVERED:
        raise Refused(_("A service is rated once it has been delivered."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Refused(_("A rating is from 1 to 5 stars."))
    engagement.rating = rating
    engagement.rating_comment = comment.strip()
    engagement.rated_at = timezone.now()
    engagement.save(update_fields=["rating", "rating_comment", "rated_at", "updated"])
    return engagement
