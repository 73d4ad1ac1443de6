"""Operators manage watches and see what the alert runs did: every watch (with the same checks as the editor),
subscriptions, matches and their alerts, marks, stars, forwards, webhook deliveries and the runs with what
they skipped."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .engine import WatchInvalid, WatchSpec
from .models import (
    CalendarFeed,
    Forward,
    Mark,
    Match,
    MatchEvent,
    MatchRun,
    Star,
    Subscription,
    Watch,
    WebhookDelivery,
)
from .services import WebhookRefused, check_webhook_url


class WatchAdminForm(forms.ModelForm):
    """The watch as the editor checks it: WatchSpec says what is wrong with each field, in words. (The admin
    gives the model and fields.)"""

    def clean(self):
        data = super().clean()
        fields = {name: data.get(name) for name in WatchSpec.FIELDS if name in self.fields}
        try:
            spec = WatchSpec.from_data(fields)
        except WatchInvalid as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        else:
            data.update(spec.as_data())
        if data.get("webhook_url"):
            try:
                check_webhook_url(data["webhook_url"], resolve=False)
            except WebhookRefused as exc:
                self.add_error("webhook_url", str(exc))
        return data


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "frequency", "last_sent", "failures", "last_error"]
    readonly_fields = ["last_sent", "failures", "last_error"]


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    form = WatchAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "organisation", "active", "min_score", "value_min", "value_max", "updated"]
    list_filter = ["active", "organisation__kind", "created"]
    search_fields = ["name", "organisation__name", "keywords", "cpv_codes"]
    autocomplete_fields = ["organisation", "forward_to", "created_by"]
    readonly_fields = ["created", "updated"]
    inlines = [SubscriptionInline]
    actions = ["deactivate", "activate"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")

    @admin.action(description=_("Stop the chosen watches (no more alerts)"))
    def deactivate(self, request, queryset):
        queryset.update(active=False)

    @admin.action(description=_("Start the chosen watches again"))
    def activate(self, request, queryset):
        queryset.update(active=True)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "watch", "frequency", "last_sent", "failures"]
    list_filter = ["frequency", "failures"]
    search_fields = ["user__email", "user__full_name", "watch__name"]
    raw_id_fields = ["watch", "user"]
    readonly_fields = ["cursor", "last_sent", "failures", "last_error"]


class MatchEventInline(admin.TabularInline):
    model = MatchEvent
    extra = 0
    fields = ["kind", "changes", "created"]
    readonly_fields = fields
    can_delete = False


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["watch", "notice", "score", "created"]
    list_filter = ["created"]
    search_fields = ["watch__name", "notice__title", "notice__source_id"]
    raw_id_fields = ["watch", "notice"]
    readonly_fields = ["score", "explanation", "alerted_deadline", "alerted_status", "created", "updated"]
    inlines = [MatchEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("watch", "notice").defer("notice__raw")

    def has_add_permission(self, request):
        return False  # matches come from the alert run and the watch's backfill


@admin.register(MatchEvent)
class MatchEventAdmin(admin.ModelAdmin):
    list_display = ["match", "kind", "created"]
    list_filter = ["kind", "created"]
    search_fields = ["watch__name", "match__notice__title"]
    raw_id_fields = ["match", "watch"]
    readonly_fields = ["match", "watch", "kind", "changes", "created"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("match__watch", "match__notice").defer("match__notice__raw")

    def has_add_permission(self, request):
        return False


@admin.register(Mark)
class MarkAdmin(admin.ModelAdmin):
    list_display = ["organisation", "notice", "value", "user", "updated"]
    list_filter = ["value"]
    search_fields = ["organisation__name", "notice__title", "notice__source_id"]
    raw_id_fields = ["organisation", "notice", "user"]


@admin.register(Star)
class StarAdmin(admin.ModelAdmin):
    list_display = ["user", "notice", "created"]
    search_fields = ["user__email", "notice__title"]
    raw_id_fields = ["user", "notice"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["token"]


@admin.register(Forward)
class ForwardAdmin(admin.ModelAdmin):
    list_display = ["cluster", "member", "notice", "watch", "created", "emailed", "failures"]
    list_filter = ["created", "failures"]
    search_fields = ["cluster__name", "member__name", "notice__title", "note"]
    raw_id_fields = ["cluster", "member", "notice", "watch", "by"]
    readonly_fields = ["created", "emailed", "failures"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["watch", "status", "events", "attempts", "response_code", "created", "delivered"]
    list_filter = ["status"]
    search_fields = ["watch__name", "error"]
    raw_id_fields = ["watch"]
    readonly_fields = ["payload", "events", "attempts", "response_code", "error", "created", "delivered"]
    fields = ["watch", "status", "next_attempt", *readonly_fields]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    """What each alert run read and found, and what it had to skip (and why)."""

    list_display = [
        "started",
        "finished",
        "watches",
        "notices",
        "matches",
        "events",
        "skipped_watches",
        "skipped_notices",
    ]
    list_filter = ["started"]
    search_fields = ["problems"]
    readonly_fields = [f.name for f in MatchRun._meta.fields]

    def has_add_permission(self, request):
        return False  # runs are made by `greenbridge alerts run` and the alert task
