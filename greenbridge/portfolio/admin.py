"""Admin: operators look after catalogues and engagements (the clusters keep them on their own pages)."""

from django.contrib import admin

from .models import Engagement, Service, Session


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "category", "pricing", "status", "updated")
    list_filter = ("status", "category", "pricing")
    search_fields = ("name", "summary", "provider__name")
    raw_id_fields = ("provider", "delivered_by")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    raw_id_fields = ("created_by",)


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ("service", "organisation", "status", "advisor", "rating", "created")
    list_filter = ("status", "rating")
    search_fields = ("service__name", "organisation__name")
    raw_id_fields = ("service", "organisation", "assessment", "requested_by", "advisor")
    inlines = [SessionInline]
