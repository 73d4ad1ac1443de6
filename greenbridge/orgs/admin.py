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
