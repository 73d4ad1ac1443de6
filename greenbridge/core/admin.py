from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models

from .models import User
from .storage import PrivateFileSystemStorage


class PrivateFileInput(forms.ClearableFileInput):
    """A file kept in the private storage, in the admin: its name, with no link (it has no public
    address; people reach it through the pages that check who may read it)."""

    template_name = "core/widgets/private_file_input.html"

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", ""))  # Django's asks for the file's address


class PrivateFilesAdmin(admin.ModelAdmin):
    """The admin of a model with files in the private storage: Django's file input links each file to its public
    address, which a private file does not have (a 500 on the change page)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.FileField) and isinstance(db_field.storage, PrivateFileSystemStorage):
            kwargs["widget"] = PrivateFileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(User)
class GreenBridgeUserAdmin(UserAdmin):
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "full_name", "username")
    fieldsets = (*UserAdmin.fieldsets, ("GreenBridge", {"fields": ("full_name", "language", "time_zone")}))
