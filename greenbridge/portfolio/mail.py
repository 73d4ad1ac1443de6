"""The e-mails of a request and an engagement (core.mail: in each reader's language), and the signed links with
which a company rates a delivered service from its e-mail without signing in."""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from greenbridge.core.mail import send_to_user
from greenbridge.orgs.rules import STAFF_ROLES

from .calendar import session_calendar
from .models import Engagement, Session

RATING_SALT = "portfolio.rate"
RATING_MAX_AGE = 90 * 24 * 3600  # a rating link works for 90 days


def rating_token(engagement: Engagement) -> str:
    return signing.dumps(engagement.pk, salt=RATING_SALT)


def engagement_of_token(token: str) -> int | None:
    """The engagement a rating link is for; None for a link altered or too old."""
    try:
        pk = signing.loads(token, salt=RATING_SALT, max_age=RATING_MAX_AGE)
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None


def rating_links(engagement: Engagement) -> list[tuple[int, str]]:
    token = rating_token(engagement)
    return [
        (stars, f"{settings.BASE_URL}{reverse('portfolio:rate_by_link', args=[engagement.pk, stars, token])}")
        for stars in range(1, 6)
    ]


def _engagement(pk: int) -> Engagement:
    return Engagement.objects.select_related(
        "service", "service__provider", "organisation", "requested_by", "advisor"
    ).get(pk=pk)


def _company_people(engagement: Engagement) -> list:
    """Who hears from the provider: the person who asked, else the company's people."""
    if engagement.requested_by is not None and engagement.requested_by.is_active:
        return [engagement.requested_by]
    return list(get_user_model().objects.filter(memberships__organisation=engagement.organisation, is_active=True))


def _provider_staff(engagement: Engagement) -> list:
    """Who hears from the company: the advisor once there is one, else the provider's managers and advisors."""
    if engagement.advisor is not None and engagement.advisor.is_active:
        return [engagement.advisor]
    return list(
        get_user_model().objects.filter(
            memberships__organisation=engagement.service.provider, memberships__role__in=STAFF_ROLES, is_active=True
        )
    )


def _send(kind: str, people, engagement: Engagement, **context) -> None:
    context = {
        "engagement": engagement,
        "service": engagement.service,
        "url": f"{settings.BASE_URL}{engagement.get_absolute_url()}",
        **context,
    }
    attachments = context.pop("attachments", [])
    for person in people:
        send_to_user(person, f"portfolio/email/{kind}", context, attachments)


def request_received(engagement_pk: int) -> None:
    engagement = _engagement(engagement_pk)
    _send("request", _provider_staff(engagement), engagement)


def request_answered(engagement_pk: int) -> None:
    engagement = _engagement(engagement_pk)
    _send("answer", _company_people(engagement), engagement)


def session_planned(session_pk: int) -> None:
    session = Session.objects.select_related("engagement").get(pk=session_pk)
    engagement = _engagement(session.engagement_id)
    ics = [(f"session-{session.pk}.ics", partial(session_calendar, [session], engagement), "text/calendar")]
    _send("session", _company_people(engagement), engagement, session=session, attachments=ics)


def delivered(engagement_pk: int) -> None:
    engagement = _engagement(engagement_pk)
    _send("delivered", _company_people(engagement), engagement, ratings=rating_links(engagement))


def cancelled(engagement_pk: int, *, by_company: bool) -> None:
    engagement = _engagement(engagement_pk)
    people = _provider_staff(engagement) if by_company else _company_people(engagement)
    _send("cancelled", people, engagement, by_company=by_company)
