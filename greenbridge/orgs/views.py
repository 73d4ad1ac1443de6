from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from greenbridge.reference.models import CpvCode, NaceCode

from . import selectors, services
from .forms import OrganisationForm
from .models import Organisation


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
        messages.success(
            request, _("Your organisation is registered. Add what it supplies so GreenBridge can find notices for it.")
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
