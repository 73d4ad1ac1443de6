"""The service portfolio over the API: the services in the portfolio are public; a signed-in person reads the
engagements they may see (their companies', those of companies sharing data with a cluster they staff, and those
of their clusters' services) and requests a service for a company they act for."""

from datetime import datetime
from decimal import Decimal

import rules
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from greenbridge.core.bounds import QUERY_MAX, Code, Id, Slug
from greenbridge.core.errors import Refused
from greenbridge.orgs.models import Organisation

from . import selectors, services
from .models import Engagement, Service

router = Router(tags=["services"])
LIMIT = 200


class ServiceOut(Schema):
    id: int
    name: str
    category: str
    summary: str
    description: str
    provider: str  # slug
    provider_name: str
    delivered_by: str | None
    expert: str
    formats: list[str]
    pricing: str
    price: Decimal | None
    member_price: Decimal | None
    currency: str
    members_only: bool
    size_classes: list[str]
    countries: list[str]
    sectors: list[str]
    languages: list[str]
    hours: Decimal | None
    dimensions: list[str]  # "questionnaire:dimension"
    capacity: int | None
    capacity_period: str
    url: str

    @staticmethod
    def resolve_provider(obj: Service) -> str:
        return obj.provider.slug

    @staticmethod
    def resolve_provider_name(obj: Service) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_delivered_by(obj: Service) -> str | None:
        return obj.delivered_by.slug if obj.delivered_by else None

    @staticmethod
    def resolve_url(obj: Service) -> str:
        return obj.get_absolute_url()


class ServiceQuery(Schema):
    """The portfolio page's filters, with the same bounds."""

    q: str = Field("", max_length=QUERY_MAX)
    category: Code = ""
    provider: Slug = ""
    dimension: str = Field("", max_length=140)
    language: Code = ""
    format: Code = ""
    country: Code = ""
    free: bool = False


class SessionOut(Schema):
    starts: datetime
    hours: Decimal
    notes: str  # empty when internal to the provider and the reader is not its staff


class EngagementOut(Schema):
    id: int
    service: int
    service_name: str
    provider: str
    organisation: str
    status: str
    message: str
    preferred_dates: str
    advisor: str | None
    decline_reason: str
    outcome: str
    rating: int | None
    rating_comment: str
    created: datetime
    answered_at: datetime | None
    delivered_at: datetime | None

    @staticmethod
    def resolve_service(obj: Engagement) -> int:
        return obj.service_id

    @staticmethod
    def resolve_service_name(obj: Engagement) -> str:
        return obj.service.name

    @staticmethod
    def resolve_provider(obj: Engagement) -> str:
        return obj.service.provider.slug

    @staticmethod
    def resolve_organisation(obj: Engagement) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_advisor(obj: Engagement) -> str | None:
        return str(obj.advisor) if obj.advisor else None


class EngagementDetailOut(EngagementOut):
    sessions: list[SessionOut]

    @staticmethod
    def resolve_sessions(obj: Engagement) -> list[dict]:
        return obj.sessions_out


class RequestIn(Schema):
    organisation: Slug  # the company, which the signed-in person acts for
    message: str = Field("", max_length=2000)
    preferred_dates: str = Field("", max_length=200)


@router.get("/services", response=list[ServiceOut])
def list_services(request: HttpRequest, filters: Query[ServiceQuery]):
    """The services of the portfolio (active, of verified clusters and BSOs), by name, at most 200."""
    if filters.category and filters.category not in Service.Category.values:
        raise HttpError(422, f"unknown category {filters.category!r}: one of {', '.join(Service.Category.values)}")
    return selectors.portfolio(selectors.Filters(**filters.dict()))[:LIMIT]


@router.get("/services/{service_id}", response=ServiceOut)
def get_service(request: HttpRequest, service_id: Id):
    service = get_object_or_404(Service.objects.select_related("provider", "delivered_by"), pk=service_id)
    if not rules.has_perm("portfolio.view_service", request.user, service):
        raise HttpError(404, "Not Found")
    return service


@router.post("/services/{service_id}/requests", response={201: EngagementOut}, auth=django_auth)
def request_service(request: HttpRequest, service_id: Id, payload: RequestIn):
    """Request a service for a company the signed-in person acts for; the provider answers by accepting or
    declining it."""
    service = get_object_or_404(Service.objects.select_related("provider"), pk=service_id)
    if not rules.has_perm("portfolio.view_service", request.user, service):
        raise HttpError(404, "Not Found")
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None or not rules.has_perm("portfolio.request_for", request.user, organisation):
        raise HttpError(403, "You do not act for this organisation.")
    try:
        engagement = services.engagement_request(
            service=service,
            organisation=organisation,
            user=request.user,
            message=payload.message,
            preferred_dates=payload.preferred_dates,
        )
    except Refused as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(201, engagement)


@router.get("/engagements", response=list[EngagementOut], auth=django_auth)
def list_engagements(request: HttpRequest, status: Code = ""):
    """The engagements the signed-in person may see, newest first (at most 200)."""
    if status and status not in Engagement.Status.values:
        raise HttpError(422, f"unknown status {status!r}: one of {', '.join(Engagement.Status.values)}")
    return selectors.engagements_for(user=request.user, status=status)[:LIMIT]


@router.get("/engagements/{engagement_id}", response=EngagementDetailOut, auth=django_auth)
def get_engagement(request: HttpRequest, engagement_id: Id):
    """One engagement with its sessions."""
    engagement = get_object_or_404(
        Engagement.objects.select_related("service", "service__provider", "organisation", "advisor"), pk=engagement_id
    )
    if not rules.has_perm("portfolio.view_engagement", request.user, engagement):
        raise HttpError(404, "Not Found")
    engagement.sessions_out = [
        {"starts": s.starts, "hours": s.hours, "notes": s.visible_notes}
        for s in selectors.sessions_for(user=request.user, engagement=engagement)
    ]
    return engagement
