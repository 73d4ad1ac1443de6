from django.contrib import admin

from .models import (
    Activity,
    BudgetLine,
    Change,
    Comment,
    Communication,
    Kpi,
    Member,
    Partner,
    Strategy,
    SwotItem,
    TargetMarket,
    Version,
)


class MemberInline(admin.TabularInline):
    model = Member
    raw_id_fields = ["organisation"]
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "created", "updated"]
    search_fields = ["title", "context", "objectives", "organisations__name"]
    raw_id_fields = ["partnership", "created_by"]
    inlines = [MemberInline]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["strategy", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["strategy__title", "organisation__name"]
    raw_id_fields = ["strategy", "organisation"]


class _Part(admin.ModelAdmin):
    raw_id_fields = ["strategy"]


@admin.register(TargetMarket)
class TargetMarketAdmin(_Part):
    list_display = ["strategy", "country", "rank", "score", "chosen"]
    search_fields = ["strategy__title", "note", "ranked_for"]


@admin.register(SwotItem)
class SwotItemAdmin(_Part):
    list_display = ["strategy", "quadrant", "text", "evidence_label"]
    list_filter = ["quadrant"]
    search_fields = ["text", "evidence_label", "strategy__title"]


@admin.register(Partner)
class PartnerAdmin(_Part):
    list_display = ["strategy", "display_name", "country", "side", "role"]
    list_filter = ["side"]
    search_fields = ["name", "role", "organisation__name", "strategy__title"]
    raw_id_fields = ["strategy", "organisation"]


@admin.register(Activity)
class ActivityAdmin(_Part):
    list_display = ["strategy", "title", "kind", "starts", "ends", "status", "budget"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "strategy__title"]
    raw_id_fields = ["strategy", "owner", "event"]


@admin.register(BudgetLine)
class BudgetLineAdmin(_Part):
    list_display = ["strategy", "label", "amount", "source"]
    search_fields = ["label", "source", "strategy__title"]


@admin.register(Communication)
class CommunicationAdmin(_Part):
    list_display = ["strategy", "audience", "channels", "timing"]
    search_fields = ["audience", "channels", "message", "strategy__title"]


@admin.register(Kpi)
class KpiAdmin(_Part):
    list_display = ["strategy", "indicator", "target", "by"]
    search_fields = ["indicator", "target", "strategy__title"]


@admin.register(Version)
class VersionAdmin(_Part):
    list_display = ["strategy", "number", "published", "published_by"]
    search_fields = ["strategy__title"]
    raw_id_fields = ["strategy", "published_by"]


@admin.register(Comment)
class CommentAdmin(_Part):
    list_display = ["strategy", "section", "author", "created"]
    list_filter = ["section"]
    search_fields = ["text", "strategy__title"]
    raw_id_fields = ["strategy", "author"]


@admin.register(Change)
class ChangeAdmin(_Part):
    list_display = ["strategy", "section", "summary", "user", "when"]
    list_filter = ["section"]
    search_fields = ["summary", "strategy__title"]
    raw_id_fields = ["strategy", "user"]
