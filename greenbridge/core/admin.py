from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class GreenBridgeUserAdmin(UserAdmin):
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "full_name", "username")
    fieldsets = (*UserAdmin.fieldsets, ("GreenBridge", {"fields": ("full_name",)}))
