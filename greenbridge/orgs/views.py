import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbridge.core.errors import Refused
from greenbridge.core.http import csv_response, spreadsheet_safe
from greenbridge.core.signals import page_entries
from greenbridge.core.templatetags.greenbridge import sector_label
from greenbridge.reference.models import CpvCode, NaceCode

from . import selectors, services, signals
from .forms import DirectorySearchForm, InvitationAcceptForm, InvitationForm, OrganisationForm, VerificationForm
from .models import Invitation, Organisation
from .rules import has_verified_email, inviting_refused, is_cluster_manager, publishing_refused
from .services import invitation_refused

TIMELINE_ENTRIES = 30


def organisation_detail(request, slug: str):
    org = get_object_or_404(Organisation, slug=slug)
    context = {
        "org": org,
        "cpv": CpvCode.objects.filter(code__in=org.cpv_codes),
        "nace": NaceCode.objects.filter(code__in=org.nace_codes),
        "can_edit": request.user.has_perm("orgs.change_organisation", org),
        "can_see_people": request.user.has_perm("orgs.view_members_contacts", org),
        "people": selectors.organisation_people(user=request.user, organisation=org),
        "clusters": org.clusters.all(),
    }
    if request.user.is_authenticated:
        # Its questions, support services and assessments that this person may see, newest first (the apps above
        # answer orgs.signals.timeline, each by its own rules): what an advisor reads before a call.
        entries = page_entries(
            signals.timeline, sender=Organisation, organisation=org, user=request.user, limit=TIMELINE_ENTRIES
        )
        context["timeline"] = sorted(entries, key=lambda e: e.when, reverse=True)[:TIMELINE_ENTRIES]
    if context["can_edit"] and request.user.is_authenticated:
        # Its own people are told why it cannot publish yet (awaiting verification, e-mail not confirmed).
        context["publishing_refused"] = publishing_refused(request.user, org) if org.needs_verification else ""
        context["email_unverified"] = not has_verified_email(request.user)
    return render(request, "orgs/organisation_detail.html", context)


@login_required
def organisation_edit(request, slug: str):
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("orgs.change_organisation", org):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=org, **form.cleaned_data)
        messages.success(request, _("The profile was saved."))
        return redirect("orgs:detail", slug=org.slug)
    return render(request, "orgs/organisation_form.html", {"org": org, "form": form})


@login_required
def organisation_create(request):
    """Anyone signed in can register their organisation and becomes its administrator. Joining a
    cluster (and sharing data with it) is decided by the cluster, not here."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = services.organisation_create(admin=request.user, **form.cleaned_data)
        if org.needs_verification:
            messages.success(
                request,
                _(
                    "Your organisation is registered and awaits verification by the platform operators: they check "
                    "that it is what it says before it publishes. You will hear from them by e-mail."
                ),
            )
        else:
            messages.success(
                request,
                _("Your organisation is registered. Add what it supplies so GreenBridge can find notices for it."),
            )
        return redirect("orgs:detail", slug=org.slug)
    return render(request, "orgs/organisation_form.html", {"org": None, "form": form})


@login_required
def my_organisations(request):
    return render(
        request,
        "orgs/my_organisations.html",
        {
            "organisations": selectors.organisations_of_user(user=request.user),
            "clusters": selectors.clusters_staffed_by(user=request.user),
        },
    )


def _directory_cluster(request, slug: str) -> Organisation:
    cluster = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("orgs.view_directory", cluster):
        raise PermissionDenied
    return cluster


@login_required
def cluster_directory(request, slug: str):
    """A cluster's members, for its staff and operators: searched by name, country, sector and CPV code; exported as
    CSV; and, for its managers, the way to invite a company."""
    cluster = _directory_cluster(request, slug)
    form = DirectorySearchForm(
        request.GET or None, member_countries=selectors.cluster_member_countries(cluster=cluster)
    )
    filters = form.filters()
    links = selectors.cluster_directory(user=request.user, cluster=cluster, filters=filters)
    context = {
        "cluster": cluster,
        "links": links,
        "form": form,
        "filters": filters,
        "total": cluster.member_links.count() if filters.active else None,
        "can_invite": rules.has_perm("orgs.invite_members", request.user, cluster),
        "is_manager": is_cluster_manager(request.user, cluster),
        "waiting_invitations": selectors.invitations_of(user=request.user, cluster=cluster).waiting().count(),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "orgs/cluster_directory.html", context)


@login_required
def directory_export(request, slug: str):
    """The directory as a CSV file (the same search), spreadsheet-safe: cells that members typed and that start
    with = + - @ are quoted, so that a spreadsheet shows them and never runs them."""
    cluster = _directory_cluster(request, slug)
    form = DirectorySearchForm(
        request.GET or None, member_countries=selectors.cluster_member_countries(cluster=cluster)
    )
    header = [
        _("Member"), _("Kind"), _("Country"), _("City"), _("Website"), _("Green sectors"), _("CPV codes"),
        _("Shares private data"), _("Joined"), _("People"),
    ]  # fmt: skip
    rows = [header]
    for link in selectors.cluster_directory(user=request.user, cluster=cluster, filters=form.filters()):
        member = link.member
        people = "; ".join(
            f"{m.user} ({m.get_role_display()}) <{m.user.email}>"
            if m.user.email
            else f"{m.user} ({m.get_role_display()})"
            for m in member.memberships.all()
        )
        rows.append(
            [
                spreadsheet_safe(member.name), member.get_kind_display(), member.country.name or str(member.country),
                spreadsheet_safe(member.city), spreadsheet_safe(member.website),
                ", ".join(sector_label(s) for s in member.green_sectors), " ".join(member.cpv_codes),
                _("yes") if link.shares_private_data else _("no"), link.joined.isoformat(), spreadsheet_safe(people),
            ]
        )  # fmt: skip
    return csv_response(rows, f"{cluster.slug}-members")


def _managed_cluster(request, slug: str) -> Organisation:
    cluster = get_object_or_404(Organisation, slug=slug)
    if not is_cluster_manager(request.user, cluster):
        raise PermissionDenied
    return cluster


@login_required
def invitations(request, slug: str):
    """A cluster's managers invite a company by e-mail, and follow their invitations: waiting, accepted, expired,
    cancelled; each waiting one can be sent again or cancelled."""
    cluster = _managed_cluster(request, slug)
    refused = inviting_refused(request.user, cluster)
    form = InvitationForm(request.POST or None, initial={"language": ""})
    status = 200
    if request.method == "POST":
        if refused:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = services.invitation_create(cluster=cluster, by=request.user, **form.cleaned_data)
            except Refused as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(
                    request,
                    _("The invitation is on its way to %(email)s. Its link works for %(days)s days.")
                    % {"email": invitation.email, "days": Invitation.VALID_DAYS},
                )
                return redirect("orgs:invitations", slug=cluster.slug)
        status = 400
    context = {
        "cluster": cluster,
        "form": form,
        "refused": refused,
        "days": Invitation.VALID_DAYS,
        "invitations": selectors.invitations_of(user=request.user, cluster=cluster)[:100],
    }
    return render(request, "orgs/invitations.html", context, status=status)


@login_required
@require_POST
def invitation_action(request, slug: str, pk: int, action: str):
    cluster = _managed_cluster(request, slug)
    invitation = get_object_or_404(selectors.invitations_of(user=request.user, cluster=cluster), pk=pk)
    if action not in ("resend", "cancel"):
        raise Http404
    if action == "resend" and inviting_refused(request.user, cluster):
        raise PermissionDenied
    try:
        if action == "resend":
            services.invitation_resend(invitation=invitation, by=request.user)
            messages.success(request, _("The invitation was sent again to %(email)s.") % {"email": invitation.email})
        else:
            services.invitation_cancel(invitation=invitation, by=request.user)
            messages.success(request, _("The invitation to %(email)s is cancelled.") % {"email": invitation.email})
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("orgs:invitations", slug=cluster.slug)


def invitation_accept(request, token: str):
    """Where an invitation's link leads. Visitors are asked to sign up or sign in (and come back here); a signed-in
    person picks the organisation that joins, or registers one, and chooses whether to share private data."""
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        raise Http404
    context = {"invitation": invitation, "cluster": invitation.cluster, "problem": invitation_refused(invitation)}
    if context["problem"]:
        return render(request, "orgs/invitation_accept.html", context, status=410)
    if not request.user.is_authenticated:
        return render(request, "orgs/invitation_accept.html", context)
    organisations = selectors.organisations_to_join_with(user=request.user, cluster=invitation.cluster)
    form = InvitationAcceptForm(request.POST or None, organisations=organisations, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.invitation_accept(
                invitation=invitation,
                user=request.user,
                organisation=form.chosen(),
                new_organisation=form.new_organisation() if form.chosen() is None else None,
                shares_private_data=form.cleaned_data["shares_private_data"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(organisation)s is now a member of %(cluster)s.")
                % {"organisation": link.member.name, "cluster": link.cluster.name},
            )
            return redirect("orgs:detail", slug=link.member.slug)
    context["form"] = form
    return render(request, "orgs/invitation_accept.html", context, status=400 if form.errors else 200)


@login_required
def verification(request):
    """Operators: the clusters, BSOs, public procurers and authorities awaiting verification, each with its people
    and profile, to verify or refuse (with a note); and the latest decisions."""
    if not rules.has_perm("orgs.verify_organisation", request.user):
        raise PermissionDenied
    context = {
        "pending": selectors.organisations_awaiting_verification(user=request.user),
        "decided": selectors.verification_decisions(user=request.user)[:20],
    }
    return render(request, "orgs/verification.html", context)


@login_required
@require_POST
def verification_decide(request, slug: str):
    if not rules.has_perm("orgs.verify_organisation", request.user):
        raise PermissionDenied
    org = get_object_or_404(Organisation, slug=slug, kind__in=Organisation.VERIFIED_KINDS)
    form = VerificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("orgs:verification")
    verified = form.cleaned_data["decision"] == VerificationForm.VERIFY
    services.organisation_verify(organisation=org, by=request.user, verified=verified, note=form.cleaned_data["note"])
    if verified:
        messages.success(request, _("%(name)s is verified; its people were told by e-mail.") % {"name": org.name})
    else:
        messages.success(request, _("%(name)s was refused; its people were told by e-mail.") % {"name": org.name})
    return redirect("orgs:verification")
