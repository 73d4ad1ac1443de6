from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services, tasks
from .models import IngestRun, Notice, NoticeVersion


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "buyer_country", "notice_type", "status", "deadline", "published")
    list_filter = ("source", "notice_type", "status", "buyer_country")
    search_fields = ("source_id", "ocid", "title", "buyer_name")
    date_hierarchy = "published"
    readonly_fields = [f.name for f in Notice._meta.fields]
    actions = ["reclassify"]
    show_full_result_count = False  # counting a million rows on every page is not worth it

    def has_add_permission(self, request):
        return False  # notices come from ingestion, never by hand

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw")

    @admin.action(description=_("Re-classify green sectors"))
    def reclassify(self, request, queryset):
        n = services.notices_reclassify(notice_ids=list(queryset.values_list("pk", flat=True)))
        text = ngettext("%(n)d notice got new green sectors.", "%(n)d notices got new green sectors.", n)
        self.message_user(request, text % {"n": n}, messages.SUCCESS)


@admin.register(NoticeVersion)
class NoticeVersionAdmin(admin.ModelAdmin):
    """Each state of a notice as it arrived (history): to look at, never to change."""

    list_display = ("version_key", "notice", "date", "raw_format", "received")
    list_filter = ("raw_format",)
    search_fields = ("version_key", "notice__source_id", "notice__ocid")
    raw_id_fields = ("notice",)
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("notice").defer("notice__raw")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IngestForm(forms.Form):
    connector = forms.ChoiceField(label=_("Format"), choices=IngestRun.Connector.choices)
    location = forms.CharField(
        label=_("Path on the server or http(s) URL"),
        max_length=2000,
        help_text=_("A file, a directory, an archive (.zip, .tar.gz, .gz) or an OCDS API URL."),
    )
    source = forms.SlugField(label=_("Source name"), required=False, help_text=_("e.g. prozorro, ted, doffin"))
    pages = forms.IntegerField(label=_("Pages to follow (OCDS API)"), min_value=1, max_value=10_000, initial=1)

    def clean(self):
        data = super().clean()
        location = data.get("location", "")
        if data.get("connector") == IngestRun.Connector.EFORMS and location.lower().startswith(("http:", "https:")):
            self.add_error(
                "location",
                _(
                    "TED XML is read from files on the server (a notice, a directory or a daily package): "
                    "download it first."
                ),
            )
        return data


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = (
        "started",
        "connector",
        "source",
        "location",
        "status",
        "read",
        "created",
        "updated",
        "unchanged",
        "rejected",
    )
    list_filter = ("status", "connector", "source")
    search_fields = ("location", "source", "error")
    readonly_fields = [f.name for f in IngestRun._meta.fields]
    actions = ["run_again"]
    change_list_template = "admin/tenders/ingestrun/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path("new/", self.admin_site.admin_view(self.new_run), name="tenders_ingestrun_new"),
            *super().get_urls(),
        ]

    def new_run(self, request):
        form = IngestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            tasks.ingest_task.delay(d["connector"], d["location"], d["source"] or None, d["pages"])
            self.message_user(request, _("The ingestion was started; its run appears below."), messages.SUCCESS)
            return redirect(reverse("admin:tenders_ingestrun_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Ingest notices"),
            "opts": self.model._meta,
        }
        return render(request, "admin/tenders/ingestrun/new.html", context)

    @admin.action(description=_("Run again"))
    def run_again(self, request, queryset):
        for r in queryset:
            tasks.ingest_task.delay(r.connector, r.location, r.source)
        n = queryset.count()
        self.message_user(
            request, ngettext("Started %(n)d run.", "Started %(n)d runs.", n) % {"n": n}, messages.SUCCESS
        )
