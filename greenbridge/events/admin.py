from django.contrib import admin
from django.db import models

from .models import Event, Meeting, MeetingRequest, Outcome, Question, Registration, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts", "city", "country"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["organisers"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [SessionInline, QuestionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "starts", "ends", "tables"]
    list_filter = ["event"]
    search_fields = ["name", "event__title"]
    raw_id_fields = ["event"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "event", "kind", "required", "position"]
    list_filter = ["kind", "required"]
    search_fields = ["label", "event__title"]
    raw_id_fields = ["event"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "event", "status", "created"]
    list_filter = ["status", "event"]
    search_fields = ["user__email", "user__full_name", "organisation__name", "event__title"]
    raw_id_fields = ["user", "organisation", "event"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["sender", "receiver", "status", "created", "expires"]
    list_filter = ["status"]
    search_fields = ["sender__organisation__name", "receiver__organisation__name", "event__title"]
    raw_id_fields = ["event", "sender", "receiver"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "starts", "table", "locked", "live"]
    list_filter = ["locked", "live"]
    search_fields = ["first__organisation__name", "second__organisation__name", "event__title"]
    raw_id_fields = ["event", "request", "first", "second", "session"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["meeting", "registration", "held", "interest", "updated"]
    list_filter = ["held", "interest"]
    search_fields = ["registration__organisation__name", "note"]
    raw_id_fields = ["meeting", "registration"]
