"""Admin: operators and queue admins set up calendars, queues and service levels, and look after tickets and the
quarantine (advisors answer on the help desk's own pages)."""

from django.contrib import admin

from greenbridge.core.admin import PrivateFilesAdmin

from .models import (
    Attachment,
    BusinessCalendar,
    CannedReply,
    Message,
    QuarantinedMail,
    Queue,
    ServiceLevel,
    Ticket,
    TicketChange,
)


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "time_zone", "holidays_country")
    search_fields = ("name", "organisation__name")
    raw_id_fields = ("organisation",)


class ServiceLevelInline(admin.TabularInline):
    model = ServiceLevel
    extra = 0


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "topic", "email", "public", "active")
    list_filter = ("topic", "public", "active")
    search_fields = ("name", "slug", "email", "organisation__name")
    raw_id_fields = ("organisation", "calendar", "manager")
    filter_horizontal = ("agents",)
    inlines = [ServiceLevelInline]


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    raw_id_fields = ("author",)
    fields = ("kind", "author", "from_email", "text", "message_id", "in_reply_to", "automatic", "sent_at")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("__str__", "queue", "organisation", "status", "priority", "assignee", "created")
    list_filter = ("status", "priority", "queue")
    search_fields = ("subject", "requester_email", "organisation__name")
    raw_id_fields = (
        *("queue", "organisation", "requester", "assignee", "merged_into"),
        *("notice", "event", "opportunity", "engagement", "assessment"),
    )
    inlines = [MessageInline]


@admin.register(Attachment)
class AttachmentAdmin(PrivateFilesAdmin):
    list_display = ("filename", "message", "size", "content_type")
    search_fields = ("filename", "message__ticket__subject")
    raw_id_fields = ("message",)


@admin.register(TicketChange)
class TicketChangeAdmin(admin.ModelAdmin):
    list_display = ("ticket", "field", "old", "new", "actor", "created")
    list_filter = ("field",)
    search_fields = ("ticket__subject", "field", "old", "new")
    raw_id_fields = ("ticket", "actor")


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "organisation")
    list_filter = ("language",)
    search_fields = ("title", "body", "organisation__name")
    raw_id_fields = ("organisation",)


@admin.register(QuarantinedMail)
class QuarantinedMailAdmin(PrivateFilesAdmin):
    list_display = ("received", "queue", "reason", "from_header", "subject", "released")
    list_filter = ("released", "queue")
    search_fields = ("subject", "from_header", "reason", "detail", "message_id")
    raw_id_fields = ("queue",)
