from django.contrib import admin
from django.db import models

from .models import ClusterMembership, Membership, Organisation


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
    list_display = ("name", "kind", "country", "city", "size_class")
    list_filter = ("kind", "country", "size_class")
    search_fields = ("name", "slug", "city")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembershipInline, ClusterMemberInline]


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
