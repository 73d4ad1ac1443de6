from django.contrib import admin

from .models import CpvCode, NaceCode


@admin.register(CpvCode)
class CpvCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "check_digit", "level", "__str__")
    list_filter = ("level",)
    search_fields = ("code", "search_text")

    def has_add_permission(self, request):
        return False  # the list is official reference data: reload it with `greenbridge load_reference`


@admin.register(NaceCode)
class NaceCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "level", "__str__")
    list_filter = ("level",)
    search_fields = ("code", "search_text")

    def has_add_permission(self, request):
        return False
