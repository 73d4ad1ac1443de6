from django.contrib import admin

from greenbridge.core.admin import PrivateFilesAdmin

from .models import Interest, Opportunity, Partnership


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "status", "expires", "created"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "summary", "organisation__name"]
    raw_id_fields = ["organisation", "author", "event"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "organisation", "status", "created"]
    list_filter = ["status"]
    search_fields = ["opportunity__title", "organisation__name", "message"]
    raw_id_fields = ["opportunity", "organisation", "user", "answered_by"]


@admin.register(Partnership)
class PartnershipAdmin(PrivateFilesAdmin):
    list_display = ["title", "kind", "stage", "date", "value", "currency"]
    list_filter = ["kind", "stage"]
    search_fields = ["title", "other_partners", "organisations__name"]
    filter_horizontal = ["organisations"]
    raw_id_fields = ["meeting", "event", "opportunity", "recorded_by"]
