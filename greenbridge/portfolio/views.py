"""The service portfolio's pages: the public portfolio and a service; a provider's catalogue and the portfolio
analysis; requests and engagements. Thin: reads through selectors, changes through services, permissions through
rules."""

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from greenbridge.assessments.models import Assessment
from greenbridge.assessments.selectors import questionnaires_offered
from greenbridge.core.errors import Refused
from greenbridge.core.forms import form_problems
from greenbridge.core.templatetags.greenbridge import language_name
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.rules import STAFF_ROLES
from greenbridge.orgs.selectors import clusters_staffed_by

from . import selectors, services
from .calendar import session_calendar
from .forms import AcceptForm, CloseForm, DeclineForm, FiltersForm, RatingForm, RequestForm, ServiceForm, SessionForm
from .mail import engagement_of_token
from .models import Engagement, Service

PER_PAGE = 24


def _language() -> str:
    return (get_language() or "en").split("-")[0]


# -- the public portfolio ----------------------------------------------------------------------------------------


def portfolio(request):
    """Every cluster's active services: search by words, filter by category, provider, dimension, format, language,
    country and price."""
    found_providers = list(selectors.providers())
    languages = sorted(
        {code for langs in Service.objects.active().values_list("languages", flat=True) for code in langs}
    )
    form = FiltersForm(
        request.GET or None,
        providers=found_providers,
        languages=[(code, language_name(code)) for code in languages],
        # Any country: "open to companies in Ukraine" leaves out the services restricted to other countries (the
        # countries named in restrictions alone would offer only those the restricted services are open to).
        countries=list(countries),
    )
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.Filters(**{k: v for k, v in data.items() if v})
    found = selectors.portfolio(filters)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    names = selectors.dimension_names(_language())
    for service in page:
        service.dimension_names = [names[k] for k in service.dimensions if k in names]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "count": len(found),
        "providers": found_providers,
        "query": query.urlencode(),
        "filtered": any(data.values()) if data else False,
    }
    return render(request, "portfolio/portfolio.html", context)


def service_detail(request, pk: int):
    service = get_object_or_404(Service.objects.select_related("provider", "delivered_by"), pk=pk)
    if not rules.has_perm("portfolio.view_service", request.user, service):
        raise Http404
    return render(request, "portfolio/service.html", _service_context(request, service))


def _service_context(request, service: Service, form: RequestForm | None = None) -> dict:
    names = selectors.dimension_names(_language())
    mine = (
        list(request.user.organisations.filter(kind=Organisation.Kind.SME).order_by("name"))
        if request.user.is_authenticated
        else []
    )
    eligible = [org for org in mine if not selectors.ineligible(service, org)]
    why_not = selectors.ineligible(service, mine[0]) if mine and not eligible else []
    if form is None and eligible and service.status == Service.Status.ACTIVE:
        form = RequestForm(organisations=eligible, initial={"assessment": request.GET.get("assessment", "")[:20]})
    open_requests = list(
        Engagement.objects.filter(service=service, organisation__in=mine, status__in=Engagement.OPEN).select_related(
            "organisation"
        )
    )
    return {
        "service": service,
        "dimension_names": [names[k] for k in service.dimensions if k in names],
        "form": form if service.status == Service.Status.ACTIVE else None,
        "why_not": why_not,
        "open_requests": open_requests,
        "can_change": rules.has_perm("portfolio.change_service", request.user, service),
        "places_left": selectors.places_left(service, timezone.localdate()),
    }


@login_required
@require_POST
def service_request(request, pk: int):
    service = get_object_or_404(Service.objects.select_related("provider"), pk=pk)
    if not rules.has_perm("portfolio.view_service", request.user, service):
        raise Http404
    eligible = selectors.requesters(user=request.user, service=service)
    form = RequestForm(request.POST, organisations=eligible)
    if not form.is_valid():
        context = _service_context(request, service, form)
        return render(request, "portfolio/service.html", context, status=400)
    data = form.cleaned_data
    if not rules.has_perm("portfolio.request_for", request.user, data["organisation"]):
        raise PermissionDenied
    assessment = None
    if data.get("assessment"):
        assessment = Assessment.objects.filter(pk=data["assessment"], organisation=data["organisation"]).first()
    try:
        engagement = services.engagement_request(
            service=service,
            organisation=data["organisation"],
            user=request.user,
            message=data["message"],
            preferred_dates=data["preferred_dates"],
            assessment=assessment,
        )
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect(service)
    messages.success(request, _("Request sent. %(provider)s will answer by e-mail.") % {"provider": service.provider})
    return redirect(engagement)


# -- a provider's catalogue --------------------------------------------------------------------------------------


def _provider(request, slug: str, perm: str = "portfolio.manage_catalogue") -> Organisation:
    provider = get_object_or_404(Organisation, slug=slug)
    if not rules.has_perm(perm, request.user, provider):
        raise PermissionDenied
    return provider


@login_required
def catalogue(request, slug: str):
    provider = _provider(request, slug)
    context = {
        "provider": provider,
        "services": selectors.catalogue_of(provider=provider),
        "incoming": selectors.incoming_count(user=request.user, provider=provider),
    }
    return render(request, "portfolio/catalogue.html", context)


@login_required
def service_new(request, slug: str):
    provider = _provider(request, slug)
    return _service_form(request, provider, None)


@login_required
def service_edit(request, pk: int):
    service = get_object_or_404(Service.objects.select_related("provider"), pk=pk)
    if not rules.has_perm("portfolio.change_service", request.user, service):
        raise PermissionDenied
    return _service_form(request, service.provider, service)


def _service_form(request, provider: Organisation, service: Service | None):
    form = ServiceForm(request.POST or None, instance=service, provider=provider)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.service_save(provider=provider, user=request.user, data=data, service=service)
        except Refused as exc:
            form.add_error("status", str(exc))
        else:
            messages.success(request, _("Service saved."))
            return redirect(saved)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "provider": provider, "service": service}
    return render(request, "portfolio/service_form.html", context, status=status)


@login_required
def analysis(request, slug: str):
    """Dimensions × clusters: which needs the partnership's services cover, where nobody offers anything, and where
    the cluster's members are weakest."""
    cluster = _provider(request, slug, "portfolio.analyse")
    offered = questionnaires_offered()
    if not offered:
        raise Http404
    chosen = next((q for q in offered if q.slug == request.GET.get("questionnaire")), offered[0])
    result = selectors.portfolio_analysis(
        user=request.user, cluster=cluster, questionnaire=chosen, language=_language()
    )
    language = _language()
    context = {
        "cluster": cluster,
        "offered": [(q, q.spec.text(q.spec.title, language)) for q in offered],
        "chosen": chosen,
        "analysis": result,
    }
    return render(request, "portfolio/analysis.html", context)


# -- engagements -------------------------------------------------------------------------------------------------


@login_required
def engagements(request):
    status = request.GET.get("status", "")
    status = status if status in Engagement.Status.values else ""
    role = request.GET.get("role", "")
    role = role if role in ("company", "provider") else ""
    found = selectors.engagements_for(user=request.user, status=status, role=role)
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "role": role,
        "statuses": Engagement.Status.choices,
        "staffs": clusters_staffed_by(user=request.user).exists(),
    }
    return render(request, "portfolio/engagements.html", context)


def _engagement(request, pk: int, perm: str = "portfolio.view_engagement") -> Engagement:
    engagement = get_object_or_404(
        Engagement.objects.select_related("service", "service__provider", "organisation", "advisor", "requested_by"),
        pk=pk,
    )
    if not rules.has_perm(perm, request.user, engagement):
        raise PermissionDenied
    return engagement


def _staff_of(provider: Organisation):
    return (
        get_user_model()
        .objects.filter(memberships__organisation=provider, memberships__role__in=STAFF_ROLES)
        .order_by("full_name", "email")
    )


@login_required
def engagement_detail(request, pk: int):
    engagement = _engagement(request, pk)
    user = request.user
    can = {
        perm: rules.has_perm(f"portfolio.{perm}", user, engagement)
        for perm in ("answer", "deliver", "withdraw", "rate")
    }
    context = {
        "engagement": engagement,
        "service": engagement.service,
        "sessions": selectors.sessions_for(user=user, engagement=engagement),
        "can": can,
        "accept_form": AcceptForm(people=_staff_of(engagement.service.provider), initial={"advisor": user.pk})
        if can["answer"]
        else None,
        "decline_form": DeclineForm() if can["answer"] else None,
        "session_form": SessionForm() if can["deliver"] else None,
        "close_form": CloseForm() if can["deliver"] else None,
        "rating_form": RatingForm(initial={"rating": engagement.rating, "comment": engagement.rating_comment})
        if can["rate"]
        else None,
        "total_hours": sum(s.hours for s in engagement.sessions.all()),
    }
    return render(request, "portfolio/engagement.html", context)


def _done(request, back: Engagement, ok: str, call, /, **kwargs):
    """Run the service `call(**kwargs)`, say how it went, and go back to the engagement's page. (`back`, not
    `engagement`: the services take `engagement=` among their keyword arguments.)"""
    try:
        call(**kwargs)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ok)
    return redirect(back)


@login_required
@require_POST
def engagement_accept(request, pk: int):
    engagement = _engagement(request, pk, "portfolio.answer")
    form = AcceptForm(request.POST, people=_staff_of(engagement.service.provider))
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect(engagement)
    return _done(
        request,
        engagement,
        _("Request accepted; the company is told."),
        services.engagement_accept,
        engagement=engagement,
        user=request.user,
        advisor=form.cleaned_data["advisor"],
    )


@login_required
@require_POST
def engagement_decline(request, pk: int):
    engagement = _engagement(request, pk, "portfolio.answer")
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect(engagement)
    return _done(
        request,
        engagement,
        _("Request declined; the company is told why."),
        services.engagement_decline,
        engagement=engagement,
        user=request.user,
        reason=form.cleaned_data["reason"],
    )


@login_required
@require_POST
def engagement_withdraw(request, pk: int):
    engagement = _engagement(request, pk, "portfolio.withdraw")
    return _done(
        request,
        engagement,
        _("Withdrawn; the cluster is told."),
        services.engagement_withdraw,
        engagement=engagement,
        user=request.user,
    )


@login_required
@require_POST
def session_add(request, pk: int):
    engagement = _engagement(request, pk, "portfolio.deliver")
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The session was not added: %(problems)s") % {"problems": form_problems(form)})
        return redirect(engagement)
    return _done(
        request,
        engagement,
        _("Session added; the company is sent the calendar entry."),
        services.session_add,
        engagement=engagement,
        user=request.user,
        **form.cleaned_data,
    )


@login_required
@require_POST
def engagement_close(request, pk: int):
    engagement = _engagement(request, pk, "portfolio.deliver")
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect(engagement)
    return _done(
        request,
        engagement,
        _("Engagement closed; the company is told."),
        services.engagement_close,
        engagement=engagement,
        user=request.user,
        **form.cleaned_data,
    )


@login_required
@require_POST
def engagement_rate(request, pk: int):
    engagement = _engagement(request, pk, "portfolio.rate")
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose from 1 to 5 stars."))
        return redirect(engagement)
    return _done(
        request,
        engagement,
        _("Thank you: your rating is saved."),
        services.engagement_rate,
        engagement=engagement,
        user=request.user,
        **form.cleaned_data,
    )


def rate_by_link(request, pk: int, stars: int, token: str):
    """The rating links of the "delivered" e-mail: no sign-in needed (the link is signed for this engagement). The
    page opens with the chosen stars and a comment box; the rating is saved when sent (a link checker that opens
    every link of an e-mail rates nothing)."""
    engagement = get_object_or_404(Engagement.objects.select_related("service", "service__provider"), pk=pk)
    if engagement_of_token(token) != engagement.pk:
        return render(request, "portfolio/rate.html", {"invalid": True}, status=403)
    if engagement.status != Engagement.Status.DELIVERED:
        raise Http404
    form = RatingForm(
        request.POST or None,
        initial={"rating": stars if 1 <= stars <= 5 else None, "comment": engagement.rating_comment},
    )
    if request.method == "POST" and form.is_valid():
        services.engagement_rate(engagement=engagement, user=None, **form.cleaned_data)
        return render(request, "portfolio/rate.html", {"engagement": engagement, "thanks": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "portfolio/rate.html", {"engagement": engagement, "form": form}, status=status)


@login_required
def engagement_calendar(request, pk: int):
    engagement = _engagement(request, pk)
    response = HttpResponse(session_calendar(engagement.sessions.all(), engagement), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="service-{engagement.pk}.ics"'
    return response
