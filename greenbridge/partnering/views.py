"""The marketplace (browse, publish, express interest, answer) and partnerships (record, list, evidence).
Thin: reads through selectors, changes through services, permissions through rules."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbridge.core.bounds import QUERY_MAX, parse_id
from greenbridge.core.errors import Refused
from greenbridge.core.signals import page_sections, side_sections
from greenbridge.events.models import Event, Meeting, Registration
from greenbridge.events.selectors import registration_of
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.recommend import described
from greenbridge.orgs.rules import is_member
from greenbridge.orgs.selectors import organisations_of_user
from greenbridge.reference import green
from greenbridge.reference.models import CpvCode, NaceCode

from . import selectors, services
from .forms import InterestForm, OpportunityForm, PartnershipForm
from .models import Interest, Opportunity, Partnership


def _opportunity(request, pk: int) -> Opportunity:
    opportunity = get_object_or_404(Opportunity.objects.select_related("organisation", "event"), pk=pk)
    if not rules.has_perm("partnering.view_opportunity", request.user, opportunity):
        raise Http404
    return opportunity


def _owned(request, pk: int) -> Opportunity:
    opportunity = get_object_or_404(Opportunity.objects.select_related("organisation"), pk=pk)
    if not rules.has_perm("partnering.change_opportunity", request.user, opportunity):
        raise PermissionDenied
    return opportunity


def _organisations_or_redirect(request):
    organisations = list(organisations_of_user(user=request.user))
    if not organisations:
        messages.info(request, _("First add your organisation: you act on its behalf."))
    return organisations


# -- the marketplace --------------------------------------------------------------------------------------------


def opportunity_list(request):
    filters = selectors.OpportunityFilters(
        q=request.GET.get("q", "").strip()[:QUERY_MAX],
        kind=request.GET.get("kind", ""),
        sector=request.GET.get("sector", ""),
        country=request.GET.get("country", "").strip().upper()[:2],
        cpv=request.GET.get("cpv", "").strip()[:12],
    )
    filtered = any(vars(filters).values())
    organisation, recommended = (None, []) if filtered else selectors.recommended_for_user(user=request.user)
    context = {
        "opportunities": selectors.opportunities_search(filters)[:100],
        "filters": filters,
        "filtered": filtered,
        "kinds": Opportunity.Kind.choices,
        "sectors": green.choices(get_language()),
        "countries": selectors.opportunity_countries(selected=filters.country),
        # The code filtered on, in words: the branch its digits stand for (9040 -> 90400000).
        "cpv_chosen": cpv.ljust(8, "0") if (cpv := "".join(c for c in filters.cpv if c.isdigit())[:8]) else "",
        "organisation": organisation,
        "recommended": described(recommended),
    }
    return render(request, "partnering/opportunity_list.html", context)


def opportunity_detail(request, pk: int):
    opportunity = _opportunity(request, pk)
    is_owner = rules.has_perm("partnering.change_opportunity", request.user, opportunity)
    my_interest = None if is_owner else selectors.interest_of(user=request.user, opportunity=opportunity)
    context = {
        "opportunity": opportunity,
        "is_owner": is_owner,
        "reveal": is_owner or (my_interest is not None and my_interest.status == Interest.Status.ACCEPTED),
        "cpv": CpvCode.objects.filter(code__in=opportunity.cpv_codes),
        "nace": NaceCode.objects.filter(code__in=opportunity.nace_codes),
        "interests": selectors.interests_received(opportunity=opportunity) if is_owner else None,
        "my_interest": my_interest,
        "meeting_link": None if is_owner else _meeting_link(request, opportunity),
        "sections": []
        if is_owner
        else page_sections(side_sections, sender=Opportunity, obj=opportunity, request=request),
    }
    return render(request, "partnering/opportunity_detail.html", context)


def _meeting_link(request, opportunity: Opportunity) -> str | None:
    """At the opportunity's event, when both sides take part and booking is open: a meeting request instead."""
    event = opportunity.event
    if not (event and request.user.is_authenticated and event.booking_is_open()):
        return None
    mine = registration_of(user=request.user, event=event)
    if not (mine and mine.is_active):
        return None
    theirs = event.registrations.filter(organisation=opportunity.organisation, status__in=Registration.ACTIVE).first()
    return reverse("events:request", args=[event.slug, theirs.pk]) if theirs else None


@login_required
def opportunity_mine(request):
    context = {
        "opportunities": selectors.opportunities_of(user=request.user),
        "sent": selectors.interests_sent(user=request.user),
    }
    return render(request, "partnering/opportunity_mine.html", context)


@login_required
def opportunity_create(request):
    organisations = _organisations_or_redirect(request)
    if not organisations:
        return redirect("orgs:create")
    event = None
    if slug := request.GET.get("event") or request.POST.get("event"):
        event = Event.objects.filter(slug=slug).exclude(status=Event.Status.DRAFT).first()
    kind = request.GET.get("kind", "")  # a link may choose the kind (a buyer's "publish a need")
    initial = {"kind": kind} if kind in Opportunity.Kind.values else None
    form = OpportunityForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_save(
                data={**form.cleaned_data, "event": event},
                user=request.user,
                organisation=form.cleaned_data["organisation"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your opportunity is published."))
            return redirect(opportunity)
    return render(request, "partnering/opportunity_form.html", {"form": form, "event": event})


@login_required
def opportunity_edit(request, pk: int):
    opportunity = _owned(request, pk)
    organisations = [opportunity.organisation]
    form = OpportunityForm(request.POST or None, instance=opportunity, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_save(data=form.cleaned_data, opportunity=opportunity, user=request.user)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(opportunity)
    return render(request, "partnering/opportunity_form.html", {"form": form, "opportunity": opportunity})


@login_required
@require_POST
def opportunity_close(request, pk: int):
    opportunity = _owned(request, pk)
    services.opportunity_close(opportunity=opportunity)
    messages.success(request, _("The opportunity is closed: it no longer shows in the marketplace."))
    return redirect(opportunity)


@login_required
def interest_create(request, pk: int):
    opportunity = _opportunity(request, pk)
    organisations = [o for o in _organisations_or_redirect(request) if o.pk != opportunity.organisation_id]
    if not organisations:
        if not rules.has_perm("partnering.change_opportunity", request.user, opportunity):
            return redirect("orgs:create")
        raise PermissionDenied  # the owner's own people
    form = InterestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_create(
                opportunity=opportunity,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Sent. You will hear by e-mail when the owner answers."))
        return redirect(opportunity)
    return render(request, "partnering/interest_form.html", {"form": form, "opportunity": opportunity})


@login_required
@require_POST
def interest_respond(request, pk: int, action: str):
    interest = get_object_or_404(Interest.objects.select_related("opportunity__organisation", "organisation"), pk=pk)
    if not rules.has_perm("partnering.view_interest", request.user, interest):
        raise PermissionDenied
    owner = rules.has_perm("partnering.change_opportunity", request.user, interest.opportunity)
    try:
        if action in ("accept", "decline") and owner:
            services.interest_answer(interest=interest, user=request.user, accept=action == "accept")
            messages.success(request, _("Answer sent."))
        elif action == "withdraw" and is_member(request.user, interest.organisation):
            services.interest_withdraw(interest=interest)
            messages.success(request, _("Interest withdrawn."))
        else:
            raise PermissionDenied
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect(interest.opportunity if owner else "partnering:mine")


# -- partnerships ----------------------------------------------------------------------------------------------


def _partnership(request, pk: int, perm: str = "partnering.view_partnership") -> Partnership:
    partnership = get_object_or_404(
        Partnership.objects.select_related("event", "opportunity", "meeting").prefetch_related("organisations"), pk=pk
    )
    if not rules.has_perm(perm, request.user, partnership):
        raise PermissionDenied
    return partnership


@login_required
def partnership_list(request):
    rows = selectors.partnerships_visible(user=request.user)
    return render(request, "partnering/partnership_list.html", {"partnerships": rows})


def _source(request, organisation_ids: set[int]) -> dict:
    """Where a new partnership came from (?meeting=, ?opportunity=, ?interest=), when the user's organisation
    was part of it; with the partner and a title to start from."""
    out: dict = {}
    if pk := parse_id(request.GET.get("meeting", "")):
        meeting = (
            Meeting.objects.select_related("event", "first__organisation", "second__organisation").filter(pk=pk).first()
        )
        sides = {meeting.first.organisation, meeting.second.organisation} if meeting else set()
        mine = [o for o in sides if o.pk in organisation_ids]
        if mine:
            out = {"meeting": meeting, "event": meeting.event, "partner": next(iter(sides - {mine[0]}), None)}
    elif pk := parse_id(request.GET.get("interest", "")):
        interest = Interest.objects.select_related("opportunity__organisation", "organisation").filter(pk=pk).first()
        if interest and {interest.organisation_id, interest.opportunity.organisation_id} & organisation_ids:
            theirs = (
                interest.organisation
                if interest.opportunity.organisation_id in organisation_ids
                else interest.opportunity.organisation
            )
            out = {"opportunity": interest.opportunity, "event": interest.opportunity.event, "partner": theirs}
    elif pk := parse_id(request.GET.get("opportunity", "")):
        opportunity = Opportunity.objects.filter(pk=pk, organisation__in=organisation_ids).first()
        if opportunity:
            out = {"opportunity": opportunity, "event": opportunity.event}
    return out


@login_required
def partnership_create(request):
    organisations = _organisations_or_redirect(request)
    if not organisations:
        return redirect("orgs:create")
    organisation = next(
        (o for o in organisations if str(o.pk) == (request.POST.get("as") or request.GET.get("as"))), organisations[0]
    )
    source = _source(request, {o.pk for o in organisations})
    partners = selectors.partner_choices(organisation=organisation)
    initial = {"date": timezone.localdate()}
    if partner := source.get("partner"):
        initial["organisations"] = [partner.pk]
        partners = partners | Organisation.objects.filter(pk=partner.pk)
    if opportunity := source.get("opportunity"):
        initial["title"] = opportunity.title
    form = PartnershipForm(request.POST or None, request.FILES or None, partners=partners, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, **{k: source.get(k) for k in ("meeting", "event", "opportunity")}}
        partnership = services.partnership_save(data=data, organisation=organisation, user=request.user)
        messages.success(request, _("Partnership recorded."))
        return redirect(partnership)
    context = {"form": form, "source": source, "organisation": organisation, "organisations": organisations}
    return render(request, "partnering/partnership_form.html", context)


@login_required
def partnership_detail(request, pk: int):
    partnership = _partnership(request, pk)
    context = {
        "partnership": partnership,
        "can_change": rules.has_perm("partnering.change_partnership", request.user, partnership),
    }
    return render(request, "partnering/partnership_detail.html", context)


@login_required
def partnership_edit(request, pk: int):
    partnership = _partnership(request, pk, "partnering.change_partnership")
    current = partnership.organisations.all()
    organisation = organisations_of_user(user=request.user).filter(pk__in=current).first()
    partners = selectors.partner_choices(organisation=organisation) | Organisation.objects.filter(pk__in=current)
    form = PartnershipForm(
        request.POST or None, request.FILES or None, instance=partnership, partners=partners.distinct()
    )
    if request.method == "POST" and form.is_valid():
        services.partnership_save(data=form.cleaned_data, organisation=organisation, partnership=partnership)
        messages.success(request, _("Changes saved."))
        return redirect(partnership)
    context = {"form": form, "partnership": partnership, "organisation": organisation}
    return render(request, "partnering/partnership_form.html", context)


@login_required
def partnership_evidence(request, pk: int):
    partnership = _partnership(request, pk)
    if not partnership.evidence:
        raise Http404
    try:
        handle = partnership.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=partnership.evidence.name.rsplit("/", 1)[-1])
