from django.contrib import admin

from .models import Event, Meeting, MeetingRequest, Question, Registration, Session


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
    inlines = [SessionInline, QuestionInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "event", "status", "created"]
    list_filter = ["status", "event"]
    raw_id_fields = ["user", "organisation", "event"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["sender", "receiver", "status", "created", "expires"]
    list_filter = ["status"]
    raw_id_fields = ["event", "sender", "receiver"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "starts", "table", "locked", "live"]
    list_filter = ["locked", "live"]
    raw_id_fields = ["event", "request", "first", "second"]
