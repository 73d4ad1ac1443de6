"""Admin: an operator loads a questionnaire file (checked whole, as `greenbridge assessment load` does) and looks
after assessments."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .format import MAX_FILE_BYTES, QuestionnaireInvalid, read_text
from .models import Action, Assessment, Comment, Questionnaire
from .services import load_questionnaire


class LoadForm(forms.Form):
    file = forms.FileField(label=_("Questionnaire file (YAML or JSON)"))


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("slug", "version", "is_active", "loaded_at", "loaded_by")
    list_filter = ("slug", "is_active")
    search_fields = ("slug", "title")
    readonly_fields = ("slug", "version", "title", "definition", "digest", "loaded_at", "loaded_by")
    fields = ("slug", "version", "is_active", "title", "definition", "digest", "loaded_at", "loaded_by")
    change_list_template = "admin/assessments/questionnaire/change_list.html"

    def has_add_permission(self, request):
        return False  # loaded from a file (the "Load a file" button), never typed in

    def get_urls(self):
        return [
            path("load/", self.admin_site.admin_view(self.load_view), name="assessments_questionnaire_load"),
            *super().get_urls(),
        ]

    def load_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = LoadForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                # Never read more than a questionnaire can be (read_text then refuses it).
                loaded = load_questionnaire(read_text(upload.read(MAX_FILE_BYTES + 1), upload.name), by=request.user)
            except QuestionnaireInvalid as exc:
                problems = exc.problems
            else:
                messages.success(request, loaded.describe())
                return redirect("admin:assessments_questionnaire_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "problems": problems,
            "opts": self.model._meta,
        }
        return render(request, "admin/assessments/questionnaire/load.html", context)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("organisation", "questionnaire", "stage", "taken_on", "status", "overall", "band")
    list_filter = ("status", "stage", "questionnaire")
    search_fields = ("organisation__name",)
    raw_id_fields = ("organisation", "started_by", "submitted_by", "plan_agreed_by")
    readonly_fields = ("overall", "band", "dimension_scores", "question_scores", "submitted_at", "created", "updated")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("assessment", "dimension", "author", "created")
    search_fields = ("assessment__organisation__name", "text")
    raw_id_fields = ("assessment", "author")


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("title", "assessment", "dimension", "owner", "due", "status")
    list_filter = ("status",)
    search_fields = ("title", "assessment__organisation__name")
    raw_id_fields = ("assessment", "owner", "created_by")
