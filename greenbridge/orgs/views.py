import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbridge.reference.models import CpvCode, NaceCode

from . import selectors, services
from .forms import OrganisationForm, VerificationForm
from .models import Organisation
from .rules import has_verified_email, publishing_refused


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


@login_required
def cluster_directory(request, slug: str):
    cluster = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("orgs.view_directory", cluster):
        raise PermissionDenied
    links = selectors.cluster_directory(user=request.user, cluster=cluster)
    return render(request, "orgs/cluster_directory.html", {"cluster": cluster, "links": links})


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
