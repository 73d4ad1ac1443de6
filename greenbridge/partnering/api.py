"""The marketplace over the API: open opportunities are public (anonymous owners stay anonymous); a signed-in
person reads the partnerships they may see."""

from datetime import date
from decimal import Decimal

import rules
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from greenbridge.core.bounds import QUERY_MAX, Code, Id

from . import selectors
from .models import Opportunity

router = Router(tags=["partnering"])


class OpportunityOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    description: str
    organisation: str | None  # slug; null while the owner stays anonymous
    organisation_country: str
    event: str | None
    cpv_codes: list[str]
    nace_codes: list[str]
    green_sectors: list[str]
    countries: list[str]
    cooperation: list[str]
    budget: Decimal | None
    currency: str
    planned_for: date | None
    expires: date
    url: str

    @staticmethod
    def resolve_organisation(obj: Opportunity) -> str | None:
        return None if obj.anonymous else obj.organisation.slug

    @staticmethod
    def resolve_organisation_country(obj: Opportunity) -> str:
        return str(obj.organisation.country or "")

    @staticmethod
    def resolve_event(obj: Opportunity) -> str | None:
        return obj.event.slug if obj.event else None

    @staticmethod
    def resolve_url(obj: Opportunity) -> str:
        return obj.get_absolute_url()


class OpportunityQuery(Schema):
    """The marketplace's filters, with the same bounds as its page."""

    q: str = Field("", max_length=QUERY_MAX)
    kind: Code = ""
    sector: Code = ""
    country: Code = ""
    cpv: Code = ""


class PartnershipOut(Schema):
    id: int
    kind: str
    title: str
    stage: str
    date: date
    value: Decimal | None
    currency: str
    organisations: list[str]
    other_partners: str
    event: str | None
    opportunity: int | None
    has_evidence: bool

    @staticmethod
    def resolve_organisations(obj) -> list[str]:
        return [o.slug for o in obj.organisations.all()]

    @staticmethod
    def resolve_event(obj) -> str | None:
        return obj.event.slug if obj.event else None

    @staticmethod
    def resolve_opportunity(obj) -> int | None:
        return obj.opportunity_id

    @staticmethod
    def resolve_has_evidence(obj) -> bool:
        return bool(obj.evidence)


@router.get("/opportunities", response=list[OpportunityOut])
def list_opportunities(request: HttpRequest, filters: Query[OpportunityQuery]):
    """Open opportunities, newest first (at most 200), with the marketplace's filters."""
    if filters.kind and filters.kind not in Opportunity.Kind.values:
        raise HttpError(422, f"unknown kind {filters.kind!r}: one of {', '.join(Opportunity.Kind.values)}")
    found = selectors.opportunities_search(selectors.OpportunityFilters(**filters.dict()))
    return found[:200]


@router.get("/opportunities/{opportunity_id}", response=OpportunityOut)
def get_opportunity(request: HttpRequest, opportunity_id: Id):
    opportunity = get_object_or_404(Opportunity.objects.select_related("organisation", "event"), pk=opportunity_id)
    if not rules.has_perm("partnering.view_opportunity", request.user, opportunity):
        raise HttpError(404, "Not Found")
    return opportunity


@router.get("/partnerships", response=list[PartnershipOut], auth=django_auth)
def list_partnerships(request: HttpRequest):
    """Partnerships of the signed-in person's organisations and of those sharing data with their cluster."""
    return selectors.partnerships_visible(user=request.user)
