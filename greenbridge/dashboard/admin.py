from django.contrib import admin

from .models import Visit


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("user", "last", "previous")
    search_fields = ("user__email", "user__full_name")
    date_hierarchy = "last"
    readonly_fields = ("user",)
