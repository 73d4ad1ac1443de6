from django.contrib import admin

from .models import Visit


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("user", "last", "previous")
    search_fields = ("user__email", "user__full_name")
    date_hierarchy = "last"

    # Kept by the dashboard itself (what is new since the previous visit): operators look, they do not edit.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
