"""Watches, matches and marks over the API (signed-in session; only the user's organisations' data)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from greenbridge.orgs.selectors import organisations_with_private_access
from greenbridge.tenders.models import Notice

from . import selectors, services
from .engine import WatchInvalid
from .explain import described
from .models import Mark, Watch

router = Router(tags=["matching"], auth=django_auth)


class WatchIn(Schema):
    organisation: str  # slug
    name: str
    cpv_codes: list[str] = []
    keywords: list[str] = []
    exclude_keywords: list[str] = []
    countries: list[str] = []
    green_sectors: list[str] = []
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    notice_types: list[str] = []
    min_score: float | None = None
    webhook_url: str = ""


class WatchOut(Schema):
    id: int
    organisation: str
    name: str
    cpv_codes: list[str]
    keywords: list[str]
    exclude_keywords: list[str]
    countries: list[str]
    green_sectors: list[str]
    value_min: Decimal | None
    value_max: Decimal | None
    notice_types: list[str]
    min_score: float
    webhook_url: str
    active: bool

    @staticmethod
    def resolve_organisation(obj: Watch) -> str:
        return obj.organisation.slug


class MatchOut(Schema):
    notice_id: int
    title: str
    source: str
    source_id: str
    deadline: datetime | None
    score: float
    explanation: list[dict[str, Any]]
    mark: str


class MarkIn(Schema):
    organisation: str
    notice_id: int
    value: str  # "" clears


def _watch(request: HttpRequest, watch_id: int) -> Watch:
    watch = selectors.watches_for_user(user=request.user).filter(pk=watch_id).first()
    if watch is None:
        raise HttpError(404, "No such watch among your organisations'.")
    return watch


def _save(request: HttpRequest, payload: WatchIn, watch: Watch | None) -> Watch:
    org = organisations_with_private_access(user=request.user).filter(slug=payload.organisation).first()
    if org is None:
        raise HttpError(403, "You cannot keep watches for this organisation.")
    try:
        return services.watch_save(
            organisation=org, user=request.user, data=payload.dict(), name=payload.name, watch=watch
        )
    except WatchInvalid as exc:
        raise HttpError(422, str(exc)) from exc
    except services.WebhookRefused as exc:
        raise HttpError(422, f"webhook_url: {exc}") from exc


@router.get("/watches", response=list[WatchOut])
def list_watches(request: HttpRequest):
    return list(selectors.watches_for_user(user=request.user))


@router.post("/watches", response={201: WatchOut})
def create_watch(request: HttpRequest, payload: WatchIn):
    return Status(201, _save(request, payload, None))


@router.get("/watches/{watch_id}", response=WatchOut)
def get_watch(request: HttpRequest, watch_id: int):
    return _watch(request, watch_id)


@router.put("/watches/{watch_id}", response=WatchOut)
def update_watch(request: HttpRequest, watch_id: int, payload: WatchIn):
    return _save(request, payload, _watch(request, watch_id))


@router.delete("/watches/{watch_id}", response={204: None})
def delete_watch(request: HttpRequest, watch_id: int):
    services.watch_delete(watch=_watch(request, watch_id))
    return Status(204, None)


@router.get("/watches/{watch_id}/matches", response=list[MatchOut])
def list_matches(request: HttpRequest, watch_id: int, limit: int = 50):
    watch = _watch(request, watch_id)
    matches = list(
        selectors.inbox(user=request.user, organisation=watch.organisation, watch=watch)[: max(1, min(limit, 200))]
    )
    marks = selectors.marks_of(organisation=watch.organisation, notice_ids=[m.notice_id for m in matches])
    return [
        {
            "notice_id": m.notice_id,
            "title": m.notice.title,
            "source": m.notice.source,
            "source_id": m.notice.source_id,
            "deadline": m.notice.deadline,
            "score": m.score,
            "explanation": described(m.explanation),
            "mark": marks.get(m.notice_id, ""),
        }
        for m in matches
    ]


@router.post("/marks", response={200: dict})
def set_mark(request: HttpRequest, payload: MarkIn):
    org = organisations_with_private_access(user=request.user).filter(slug=payload.organisation).first()
    if org is None:
        raise HttpError(403, "You cannot mark notices for this organisation.")
    if payload.value and payload.value not in Mark.Value.values:
        raise HttpError(422, f"value must be one of {', '.join(Mark.Value.values)} or empty")
    notice = get_object_or_404(Notice.objects.only("id"), pk=payload.notice_id)
    services.mark_set(organisation=org, notice=notice, user=request.user, value=payload.value)
    return {"organisation": org.slug, "notice_id": notice.pk, "value": payload.value}
