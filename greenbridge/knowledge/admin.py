"""Admin: operators look after knowledge bases (organisations' staff write on the knowledge base's own pages, which
keep the search index in step: edits here are re-indexed too)."""

from django.contrib import admin

from . import search
from .models import Article, Category, Deflection, Vote


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "slug", "position")
    search_fields = ("slug", "organisation__name")
    raw_id_fields = ("organisation",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "organisation", "status", "visibility", "views", "helpful", "not_helpful")
    list_filter = ("status", "visibility", "language")
    search_fields = ("title", "slug", "organisation__name")
    raw_id_fields = ("organisation", "category", "author")
    readonly_fields = ("group", "origin", "views", "helpful", "not_helpful", "created", "updated")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        search.index_articles([obj])

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        search.remove_articles([pk])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        search.remove_articles(ids)


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("article", "user", "helpful", "created")
    list_filter = ("helpful",)
    search_fields = ("article__title", "user__email")
    raw_id_fields = ("article", "user")


@admin.register(Deflection)
class DeflectionAdmin(admin.ModelAdmin):
    list_display = ("created", "organisation", "article", "via", "query")
    list_filter = ("via",)
    search_fields = ("query", "article__title", "organisation__name")
    raw_id_fields = ("organisation", "article", "user")
