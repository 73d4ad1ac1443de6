"""Watches, matches, marks and forwards over the API (signed-in session; only the user's organisations'
data)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import rules
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from greenbridge.core.bounds import CODE_MAX, LIST_MAX, NOTE_MAX, Code, Id, Money, Phrase, Slug
from greenbridge.core.errors import Refused
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.selectors import organisations_with_private_access
from greenbridge.tenders.models import Notice

from . import selectors, services, tasks
from .engine import MAX_CODES, MAX_KEYWORDS, MIN_SCORE_FLOOR, WatchInvalid
from .explain import described
from .models import Forward, Mark, Watch

router = Router(tags=["matching"], auth=django_auth)
Limit = Annotated[int, Field(ge=1, le=200)]


# The same bounds as the watch editor and the model (WatchSpec checks the rest and says why in words).
NAME_MAX = Watch._meta.get_field("name").max_length
WEBHOOK_URL_MAX = Watch._meta.get_field("webhook_url").max_length
MEMBERS_MAX = 1000  # member organisations named in one request


class WatchIn(Schema):
    organisation: Slug
    name: str = Field(max_length=NAME_MAX)
    cpv_codes: list[Code] = Field([], max_length=MAX_CODES)
    keywords: list[Phrase] = Field([], max_length=MAX_KEYWORDS)
    exclude_keywords: list[Phrase] = Field([], max_length=MAX_KEYWORDS)
    countries: list[Code] = Field([], max_length=LIST_MAX)
    green_sectors: list[Code] = Field([], max_length=LIST_MAX)
    value_min: Money | None = None
    value_max: Money | None = None
    notice_types: list[Code] = Field([], max_length=LIST_MAX)
    min_score: float | None = Field(None, ge=MIN_SCORE_FLOOR, le=1)
    webhook_url: str = Field("", max_length=WEBHOOK_URL_MAX)
    # A cluster watch: slugs of the members its new matches go to.
    forward_to: list[Slug] | None = Field(None, max_length=MEMBERS_MAX)


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
    forward_to: list[str]

    @staticmethod
    def resolve_organisation(obj: Watch) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_forward_to(obj: Watch) -> list[str]:
        return [m.slug for m in obj.forward_to.all()]


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
    organisation: Slug
    notice_id: Id
    value: str = Field(max_length=CODE_MAX)  # "" clears


class ForwardIn(Schema):
    cluster: Slug
    members: list[Slug] = Field(max_length=MEMBERS_MAX)  # slugs of member organisations
    notice_id: Id
    note: str = Field("", max_length=NOTE_MAX)


class ForwardOut(Schema):
    id: int
    cluster: str
    member: str
    notice_id: int
    title: str
    deadline: datetime | None
    note: str
    by: str
    watch_id: Id | None
    created: datetime

    @staticmethod
    def resolve_cluster(obj: Forward) -> str:
        return obj.cluster.slug

    @staticmethod
    def resolve_member(obj: Forward) -> str:
        return obj.member.slug

    @staticmethod
    def resolve_title(obj: Forward) -> str:
        return obj.notice.title

    @staticmethod
    def resolve_deadline(obj: Forward) -> datetime | None:
        return obj.notice.deadline

    @staticmethod
    def resolve_by(obj: Forward) -> str:
        return str(obj.by) if obj.by else ""


def _watch(request: HttpRequest, watch_id: Id) -> Watch:
    watch = selectors.watches_for_user(user=request.user).filter(pk=watch_id).first()
    if watch is None:
        raise HttpError(404, "No such watch among your organisations'.")
    return watch


def _save(request: HttpRequest, payload: WatchIn, watch: Watch | None) -> Watch:
    org = organisations_with_private_access(user=request.user).filter(slug=payload.organisation).first()
    if org is None:
        raise HttpError(403, "You cannot keep watches for this organisation.")
    data = payload.dict()
    if payload.forward_to is None:
        del data["forward_to"]  # left as it is
    else:
        data["forward_to"] = _org_ids(payload.forward_to, "forward_to")
    try:
        return services.watch_save(organisation=org, user=request.user, data=data, name=payload.name, watch=watch)
    except WatchInvalid as exc:
        raise HttpError(422, str(exc)) from exc
    except services.WebhookRefused as exc:
        raise HttpError(422, f"webhook_url: {exc}") from exc
    except services.ForwardRefused as exc:
        raise HttpError(422, f"forward_to: {exc}") from exc


def _org_ids(slugs: list[str], field: str) -> list[int]:
    found = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise HttpError(422, f"{field}: no organisation {', '.join(unknown)}")
    return [found[s] for s in slugs]


@router.get("/watches", response=list[WatchOut])
def list_watches(request: HttpRequest):
    return list(selectors.watches_for_user(user=request.user))


@router.post("/watches", response={201: WatchOut})
def create_watch(request: HttpRequest, payload: WatchIn):
    return Status(201, _save(request, payload, None))


@router.get("/watches/{watch_id}", response=WatchOut)
def get_watch(request: HttpRequest, watch_id: Id):
    return _watch(request, watch_id)


@router.put("/watches/{watch_id}", response=WatchOut)
def update_watch(request: HttpRequest, watch_id: Id, payload: WatchIn):
    return _save(request, payload, _watch(request, watch_id))


@router.delete("/watches/{watch_id}", response={204: None})
def delete_watch(request: HttpRequest, watch_id: Id):
    services.watch_delete(watch=_watch(request, watch_id))
    return Status(204, None)


@router.get("/watches/{watch_id}/matches", response=list[MatchOut])
def list_matches(request: HttpRequest, watch_id: Id, limit: Limit = 50):
    watch = _watch(request, watch_id)
    matches = list(selectors.inbox(user=request.user, organisation=watch.organisation, watch=watch)[:limit])
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
    notice = get_object_or_404(Notice.objects.only("id", "status", "notice_type", "deadline"), pk=payload.notice_id)
    try:
        services.mark_set(organisation=org, notice=notice, user=request.user, value=payload.value)
    except Refused as exc:
        raise HttpError(422, str(exc)) from exc
    return {"organisation": org.slug, "notice_id": notice.pk, "value": payload.value}


@router.get("/forwards", response=list[ForwardOut])
def list_forwards(request: HttpRequest, organisation: Slug | None = None, limit: Limit = 50):
    """The notices clusters forwarded to the user's organisations (or to one of them), newest first."""
    orgs = organisations_with_private_access(user=request.user)
    if organisation is not None:
        orgs = orgs.filter(slug=organisation)
        if not orgs.exists():
            raise HttpError(403, "You cannot see this organisation's inbox.")
    qs = Forward.objects.filter(member__in=orgs).select_related("cluster", "member", "notice", "by")
    return list(qs.defer("notice__raw", "notice__description")[:limit])


@router.post("/forwards", response={201: list[ForwardOut]})
def create_forwards(request: HttpRequest, payload: ForwardIn):
    """Forward a notice to members of a cluster the user is manager or advisor of (each member once)."""
    cluster = Organisation.objects.filter(slug=payload.cluster).first()
    if cluster is None or not rules.has_perm("orgs.forward_to_members", request.user, cluster):
        raise HttpError(403, "You cannot forward notices for this organisation.")
    notice = get_object_or_404(Notice.objects.only("id"), pk=payload.notice_id)
    try:
        created = services.notice_forward(
            cluster=cluster,
            members=_org_ids(payload.members, "members"),
            notice=notice,
            user=request.user,
            note=payload.note,
        )
    except services.ForwardRefused as exc:
        raise HttpError(422, f"members: {exc}") from exc
    tasks.forwards_task.delay()
    return Status(
        201,
        list(
            Forward.objects.filter(pk__in=[f.pk for f in created]).select_related("cluster", "member", "notice", "by")
        ),
    )
