"""The knowledge-base API: published articles, searched like the knowledge base's pages. Visitors read the public
ones; an organisation's staff also its internal ones."""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from greenbridge.core.bounds import QUERY_MAX, Code, Id, Page, Slug
from greenbridge.orgs.models import Organisation

from . import selectors
from .models import Article

router = Router(tags=["knowledge base"])
MAX_PAGE_SIZE = 100


class TranslationOut(Schema):
    id: int
    language: str


class ArticleOut(Schema):
    id: int
    organisation: str = Field(..., description="The organisation's short name (slug)")
    category: str | None = Field(None, description="The category's name in the article's language")
    language: str
    slug: str
    title: str
    visibility: str
    url: str
    published_at: datetime | None
    updated: datetime
    views: int
    helpful: int
    not_helpful: int
    translations: list[TranslationOut]


class ArticleDetailOut(ArticleOut):
    body: str


class ArticlePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ArticleOut]


class ArticleQuery(Schema):
    q: str = Field("", max_length=QUERY_MAX, description='Words to find (each a prefix), "a phrase", -excluded')
    language: Code = Field("", description="Articles in this language; with q, this language first")
    organisation: Slug = Field("", description="One organisation's knowledge base (its short name)")
    page: Page = 1
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


def _out(article: Article, translations: dict) -> dict:
    category = article.category.name_in(article.language) if article.category else None
    return {
        "id": article.pk,
        "organisation": article.organisation.slug,
        "category": category,
        "language": article.language,
        "slug": article.slug,
        "title": article.title,
        "visibility": article.visibility,
        "url": article.get_absolute_url(),
        "published_at": article.published_at,
        "updated": article.updated,
        "views": article.views,
        "helpful": article.helpful,
        "not_helpful": article.not_helpful,
        "translations": [
            {"id": pk, "language": language} for language, pk in translations.get(article.group, []) if pk != article.pk
        ],
        "body": article.body,
    }


@router.get("/articles", response=ArticlePage, summary="Search knowledge-base articles")
def list_articles(request: HttpRequest, query: Query[ArticleQuery]):
    languages = dict(settings.LANGUAGES)
    if query.language and query.language not in languages:
        raise HttpError(400, f"language: use one of {', '.join(languages)}")
    organisation = None
    if query.organisation:
        known = query.organisation.isprintable()  # PostgreSQL refuses NUL in a query
        organisation = Organisation.objects.filter(slug=query.organisation).first() if known else None
        if organisation is None:  # no such knowledge base: no article
            return {"count": 0, "page": query.page, "page_size": query.page_size, "results": []}
    if " ".join(query.q.split()):
        found = selectors.articles_search(
            user=request.user,
            text=query.q,
            language=query.language or settings.LANGUAGE_CODE,
            organisation=organisation,
            group_translations=False,
        )
        if query.language:
            found = [a for a in found if a.language == query.language]
    else:
        qs = selectors.articles_for(request.user).select_related("organisation", "category").order_by("-updated", "pk")
        if organisation is not None:
            qs = qs.filter(organisation=organisation)
        if query.language:
            qs = qs.filter(language=query.language)
        found = qs
    start = (query.page - 1) * query.page_size
    count = len(found) if isinstance(found, list) else found.count()
    results = list(found[start : start + query.page_size])
    translations = selectors.translations_by_group(user=request.user, groups={a.group for a in results})
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "results": [_out(a, translations) for a in results],
    }


@router.get("/articles/{article_id}", response=ArticleDetailOut, summary="One knowledge-base article")
def get_article(request: HttpRequest, article_id: Id):
    try:
        found = selectors.article_by_id(user=request.user, pk=article_id)
    except Article.DoesNotExist:
        return get_object_or_404(Article, pk=-1)
    return _out(found, selectors.translations_by_group(user=request.user, groups={found.group}))
