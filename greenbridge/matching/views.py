from datetime import timedelta

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from greenbridge.core.bounds import parse_id
from greenbridge.core.errors import Refused
from greenbridge.core.http import calendar_response, safe_next
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.rules import is_cluster_staff, publishing_refused
from greenbridge.orgs.selectors import (
    cluster_members,
    clusters_staffed_by,
    organisations_of_user,
    organisations_with_private_access,
)
from greenbridge.tenders.calendar import deadline_calendar
from greenbridge.tenders.models import Notice

from . import selectors, semantic, services, tasks
from .explain import described
from .forms import WatchForm, suggested_watch, watch_initial
from .models import CalendarFeed, Mark, MatchEvent, Subscription, Watch

PREVIEW = 10
FORWARDS_SHOWN = 20


def _organisation_for(request, slug: str) -> Organisation:
    org = organisations_with_private_access(user=request.user).filter(slug=slug).first()
    if org is None:
        raise PermissionDenied
    return org


def _watch_for(request, pk: int) -> Watch:
    watch = selectors.watches_for_user(user=request.user).filter(pk=pk).first()
    if watch is None:
        if Watch.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return watch


@login_required
def watch_list(request):
    watches = selectors.watches_for_user(user=request.user)
    own = list(organisations_of_user(user=request.user).order_by("name"))
    # Members that share their data with a cluster the user staffs: a watch can be kept for them too.
    members = organisations_with_private_access(user=request.user).exclude(pk__in=[o.pk for o in own])
    members = list(members.order_by("name"))
    return render(request, "matching/watch_list.html", {"watches": watches, "own": own, "members": members})


def _members(org: Organisation) -> list[Organisation]:
    """A cluster's member organisations (for a cluster watch's forwarding, once the cluster is verified), else
    none."""
    return list(cluster_members(cluster=org)) if org.is_cluster and org.is_trusted else []


def _save(request, form: WatchForm, org: Organisation, watch: Watch | None) -> Watch | None:
    data = form.cleaned_data
    try:
        watch = services.watch_save(organisation=org, user=request.user, data=data, name=data["name"], watch=watch)
    except services.WebhookRefused as exc:
        form.add_error("webhook_url", str(exc))
        return None
    except services.ForwardRefused as exc:
        form.add_error("forward_to" if "forward_to" in form.fields else None, str(exc))
        return None
    Subscription.objects.update_or_create(watch=watch, user=request.user, defaults={"frequency": data["frequency"]})
    return watch


@login_required
def watch_new(request, slug: str):
    org = _organisation_for(request, slug)
    form = WatchForm(request.POST or None, initial=suggested_watch(org), members=_members(org))
    if request.method == "POST" and form.is_valid() and (watch := _save(request, form, org, None)):
        messages.success(request, _("The watch is saved: its matches are in your inbox."))
        return redirect("matching:inbox_watch", watch.pk)
    return render(request, "matching/watch_form.html", {"form": form, "org": org, "suggested": request.method == "GET"})


@login_required
def watch_edit(request, pk: int):
    watch = _watch_for(request, pk)
    subscription = watch.subscriptions.filter(user=request.user).first()
    form = WatchForm(
        request.POST or None, initial=watch_initial(watch, subscription), members=_members(watch.organisation)
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, watch.organisation, watch):
        messages.success(request, _("The watch is saved."))
        return redirect("matching:watch_edit", watch.pk)
    context = {
        "form": form,
        "org": watch.organisation,
        "watch": watch,
        "feed_url": request.build_absolute_uri(f"/alerts/feed/{watch.feed_token}.atom"),
        "deliveries": watch.deliveries.all()[:20],
    }
    return render(request, "matching/watch_form.html", context)


@login_required
@require_POST
def watch_delete(request, pk: int):
    watch = _watch_for(request, pk)
    services.watch_delete(watch=watch)
    messages.success(request, _("The watch was deleted."))
    return redirect("matching:watch_list")


@login_required
@require_POST
def watch_preview(request):
    """The editor's live preview (htmx): the notices the watch being typed would match now."""
    form = WatchForm(request.POST)
    form.is_valid()
    results = selectors.match_preview(form.spec, limit=None, reranker=semantic.configured()) if form.spec else []
    rows = [{"notice": r.notice, "score": r.score, "reasons": described(r.explanation)} for r in results[:PREVIEW]]
    errors = [e for field_errors in form.errors.values() for e in field_errors] if not form.spec else []
    warnings = form.spec.warnings() if form.spec else []
    if broad := selectors.match_breadth(results):
        warnings.append(
            _(
                "This watch matches %(matched)s of the %(total)s notices in GreenBridge now: it will flood the inbox. "
                "More specific codes, keywords or a higher minimum score narrow it."
            )
            % {"matched": intcomma(broad[0]), "total": intcomma(broad[1])}
        )
    context = {"rows": rows, "errors": errors, "warnings": warnings}
    return render(request, "matching/_preview.html", context)


@login_required
def inbox(request, watch_pk: int | None = None):
    # The user's own organisations first (a cluster manager lands on the cluster's inbox), then the
    # members that share their data.
    own = set(organisations_of_user(user=request.user).values_list("pk", flat=True))
    orgs = sorted(organisations_with_private_access(user=request.user), key=lambda o: (o.pk not in own, o.name))
    watch = _watch_for(request, watch_pk) if watch_pk else None
    if watch is not None:
        org = watch.organisation
    else:
        slug = request.GET.get("org")
        org = next((o for o in orgs if o.slug == slug), None) if slug else (orgs[0] if orgs else None)
    if org is None:
        return render(request, "matching/inbox.html", {"orgs": orgs, "page": None})
    mark = request.GET.get("mark", "")
    open_only = bool(request.GET.get("open"))
    found = selectors.inbox(user=request.user, organisation=org, mark=mark, watch=watch, open_only=open_only)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    forwarded = (
        list(selectors.forwards_received(user=request.user, organisation=org)[:FORWARDS_SHOWN]) if not watch else []
    )
    marks = selectors.marks_of(
        organisation=org, notice_ids=[m.notice_id for m in page] + [f.notice_id for f in forwarded]
    )
    rows = [{"match": m, "mark": marks.get(m.notice_id, ""), "reasons": described(m.explanation)} for m in page]
    forward_rows = [{"forward": f, "mark": marks.get(f.notice_id, "")} for f in forwarded]
    context = {
        "forward_rows": forward_rows,
        "can_forward": rules.has_perm("orgs.forward_to_members", request.user, org),
        "orgs": orgs,
        "org": org,
        "watch": watch,
        "page": page,
        "rows": rows,
        "mark": mark,
        "open_only": open_only,
        "mark_choices": Mark.Value.choices,
        "calendar_url": _calendar_url(request),
    }
    return render(request, "matching/inbox.html", context)


def _calendar_url(request) -> str:
    feed, _ = CalendarFeed.objects.get_or_create(user=request.user)
    return request.build_absolute_uri(f"/alerts/calendar/{feed.token}.ics")


@login_required
@require_POST
def mark(request, slug: str, notice_pk: int):
    org = _organisation_for(request, slug)
    notice = get_object_or_404(Notice.objects.only("id", "status", "notice_type", "deadline"), pk=notice_pk)
    value = request.POST.get("value", "")
    if value and value not in Mark.Value.values:
        return HttpResponse(_("Unknown mark."), status=400)
    refused = ""
    try:
        services.mark_set(organisation=org, notice=notice, user=request.user, value=value)
    except Refused as exc:
        refused = str(exc)
        value = selectors.marks_of(organisation=org, notice_ids=[notice.pk]).get(notice.pk, "")
    if request.htmx:
        context = {"org": org, "notice_id": notice.pk, "mark": value, "mark_choices": Mark.Value.choices}
        # The partial drawn again keeps the page it is on as its `next`, not this request's own address.
        context |= {"saved": not refused, "refused": refused, "next": safe_next(request)}
        return render(request, "matching/_mark.html", context)
    if refused:
        messages.error(request, refused)
    return redirect(safe_next(request) or "matching:inbox")


@login_required
@require_POST
def star(request, notice_pk: int):
    notice = get_object_or_404(Notice.objects.only("id"), pk=notice_pk)
    starred = services.star_toggle(user=request.user, notice=notice)
    if request.htmx:
        context = {"notice_id": notice.pk, "starred": starred, "next": safe_next(request)}
        return render(request, "matching/_star.html", context)
    return redirect(safe_next(request) or "matching:inbox")


@login_required
def forward(request, slug: str, notice_pk: int):
    """A cluster's staff send a notice on to chosen members, with a note: the members whose profile the
    notice fits best come first, ticked."""
    cluster = get_object_or_404(Organisation, slug=slug)
    if not rules.has_perm("orgs.forward_to_members", request.user, cluster):
        # Its own staff are told why (a cluster awaiting verification, an unconfirmed address); others, only no.
        raise PermissionDenied(
            publishing_refused(request.user, cluster) if is_cluster_staff(request.user, cluster) else ""
        )
    notice = get_object_or_404(Notice.objects.defer("raw"), pk=notice_pk)
    error = ""
    if request.method == "POST":
        chosen = request.POST.getlist("members")
        try:
            created = services.notice_forward(
                cluster=cluster,
                members=[pk for m in chosen if (pk := parse_id(m))],
                notice=notice,
                user=request.user,
                note=request.POST.get("note", "")[:2000],
            )
        except services.ForwardRefused as exc:
            error = str(exc)
        else:
            tasks.forwards_task.delay()
            messages.success(
                request,
                ngettext("Forwarded to %(count)d member.", "Forwarded to %(count)d members.", len(created))
                % {"count": len(created)}
                if created
                else _("They already had it: nothing was sent again."),
            )
            return redirect(safe_next(request) or notice.get_absolute_url())
    rows = selectors.forward_candidates(cluster=cluster, notice=notice)  # only to show the form
    for row in rows:
        row["reasons"] = described(row["fit"].explanation) if row["fit"] else []
    context = {"cluster": cluster, "notice": notice, "rows": rows, "error": error, "next": safe_next(request)}
    return render(request, "matching/forward.html", context, status=400 if error else 200)


TO_FORWARD_SHOWN = 30
TO_FORWARD_DAYS = (7, 30)


@login_required
def to_forward(request):
    """A cluster's staff: the new notices, still open, that fit members' profiles and were not forwarded to them yet,
    best fit first, each with the members it fits and why, one click from the forward form."""
    clusters = list(clusters_staffed_by(user=request.user).order_by("name"))
    if not clusters:
        raise PermissionDenied
    slug = request.GET.get("cluster", "")
    cluster = next((c for c in clusters if c.slug == slug), clusters[0])
    days = parse_id(request.GET.get("days", "")) or TO_FORWARD_DAYS[0]
    days = days if days in TO_FORWARD_DAYS else TO_FORWARD_DAYS[0]
    now = timezone.now()
    can_forward = rules.has_perm("orgs.forward_to_members", request.user, cluster)
    suggestions = (
        selectors.notices_to_forward(
            user=request.user, cluster=cluster, since=now - timedelta(days=days), limit=TO_FORWARD_SHOWN, now=now
        )
        if can_forward
        else []
    )
    context = {
        "clusters": clusters,
        "cluster": cluster,
        "days": days,
        "day_choices": TO_FORWARD_DAYS,
        "suggestions": suggestions,
        "can_forward": can_forward,
        "refused": "" if can_forward else publishing_refused(request.user, cluster),
        "now": now,
    }
    return render(request, "matching/to_forward.html", context)


def feed(request, token: str):
    """The Atom feed of a watch, at a secret address (feed readers do not sign in)."""
    watch = get_object_or_404(Watch, feed_token=token)
    base = request.build_absolute_uri("/").rstrip("/")
    atom = Atom1Feed(
        title=f"GreenBridge · {watch.name}",
        link=base + "/inbox/",
        description=_("Notices matching the watch “%(name)s”") % {"name": watch.name},
        feed_url=request.build_absolute_uri(),
    )
    events = MatchEvent.objects.filter(watch=watch).select_related("match__notice").defer("match__notice__raw")
    for event in events.order_by("-id")[:50]:
        notice = event.match.notice
        reasons = "; ".join(r["text"] for r in described(event.match.explanation))
        prefix = _("Changed: ") if event.kind == MatchEvent.Kind.CHANGE else ""
        atom.add_item(
            title=f"{prefix}{notice.title}",
            link=base + notice.get_absolute_url(),
            description=f"{_('Score')} {event.match.score:.2f}. {reasons}",
            unique_id=f"greenbridge-event-{event.pk}",
            updateddate=event.created,
            pubdate=event.created,
        )
    return HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


def calendar(request, token: str):
    """The deadlines of a person's starred notices, at a secret address for calendar apps."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    notices = Notice.objects.filter(stars__user=feed.user).defer("raw").order_by("deadline")
    ics = deadline_calendar(notices, request.build_absolute_uri("/").rstrip("/"), name="GreenBridge")
    return calendar_response(ics)


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a session; the token is the secret
def unsubscribe(request, token: str):
    subscription = get_object_or_404(Subscription.objects.select_related("watch"), token=token)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "matching/unsubscribed.html", {"subscription": subscription, "done": True})
    return render(request, "matching/unsubscribed.html", {"subscription": subscription, "done": False})
