from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ClusterMembership, Invitation, Membership, Organisation
from .services import organisation_verify


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class ClusterMemberInline(admin.TabularInline):
    model = ClusterMembership
    fk_name = "cluster"
    extra = 0
    autocomplete_fields = ["member"]
    verbose_name = "member organisation"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "verification", "country", "city", "size_class")
    list_filter = ("kind", "verification", "country", "size_class")
    readonly_fields = ("verified_at", "verified_by")
    actions = ["verify", "refuse"]
    search_fields = ("name", "slug", "city")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembershipInline, ClusterMemberInline]

    # Verification as the operators' page does it (orgs:verification), through the same service: the organisation's
    # administrators are told by e-mail. Only kinds that need verification are concerned.
    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request, queryset):
        self._decide(request, queryset, verified=True)

    @admin.action(description=_("Refuse to verify the selected organisations"))
    def refuse(self, request, queryset):
        self._decide(request, queryset, verified=False)

    def _decide(self, request, queryset, *, verified: bool) -> None:
        orgs = list(queryset.filter(kind__in=Organisation.VERIFIED_KINDS))
        for org in orgs:
            organisation_verify(organisation=org, by=request.user, verified=verified)
        self.message_user(
            request,
            ngettext("%(count)d organisation decided.", "%(count)d organisations decided.", len(orgs))
            % {"count": len(orgs)},
            messages.SUCCESS,
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created")
    list_filter = ("role", "organisation__kind")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    autocomplete_fields = ["user", "organisation"]


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(admin.ModelAdmin):
    list_display = ("member", "cluster", "shares_private_data", "joined")
    list_filter = ("shares_private_data", "cluster")
    search_fields = ("member__name", "cluster__name")
    autocomplete_fields = ["cluster", "member"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "cluster", "organisation_name", "status", "created", "expires", "member")
    list_filter = ("status", "cluster")
    search_fields = ("email", "organisation_name", "cluster__name")
    autocomplete_fields = ["cluster", "member", "invited_by", "accepted_by"]
    readonly_fields = ("token", "created", "sent", "sends", "answered")
