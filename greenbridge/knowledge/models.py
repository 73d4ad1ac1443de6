"""The knowledge base: each cluster's or BSO's articles (the organisation whose help-desk queues they serve), in
categories, public or for its staff only, each in several languages.

- `Category`: a shelf of an organisation's articles, named in each language it has.
- `Article`: a text in one language; its translations share its `group` (one article per language in a group). A
  draft is its organisation's staff's until published; an internal article stays theirs. Counts: views, votes.
- `Vote`: "was this helpful?", one per signed-in person, or per browser session for visitors.
- `Deflection`: a question answered by an article without a ticket: the requester, typing a ticket's subject, opened
  a suggested article and said it answered the question (or voted it helpful and did not send the ticket).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenbridge.core.bounds import SLUG_MAX
from greenbridge.orgs.models import Organisation

TITLE_MAX = 200
BODY_MAX = 50_000
CATEGORY_NAME_MAX = 120
QUERY_MAX = 250  # the words a requester typed (a ticket's subject is 250 characters at most)
# Addresses under an organisation's knowledge base that are not articles.
RESERVED_SLUGS = frozenset({"manage"})


class Category(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="article_categories")
    names = models.JSONField(_("names"), default=dict)  # language code -> name, at least one
    slug = models.SlugField(_("short name"), max_length=SLUG_MAX)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")
        ordering = ["position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="knowledge_category_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name_in(settings.LANGUAGE_CODE)

    def name_in(self, language: str) -> str:
        """Its name in `language`, else in the site's default language, else the first it has."""
        names = self.names or {}
        return names.get(language) or names.get(settings.LANGUAGE_CODE) or next(iter(names.values()), self.slug)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def public(self):
        return self.filter(status=Article.Status.PUBLISHED, visibility=Article.Visibility.PUBLIC)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone")
        INTERNAL = "internal", _("Internal: our staff only")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="articles")
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name=_("category")
    )
    # Translations of one another share the group (one article per language in it).
    group = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    slug = models.SlugField(_("address"), max_length=SLUG_MAX, allow_unicode=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        _("who may read it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What it was made from, e.g. "helpdesk.message:42" for an advisor's reply (one draft per reply).
    origin = models.CharField(max_length=80, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    helpful = models.PositiveIntegerField(default=0)
    not_helpful = models.PositiveIntegerField(default=0)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "visibility"])]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="knowledge_article_slug_unique"),
            models.UniqueConstraint(fields=["group", "language"], name="knowledge_one_translation_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", kwargs={"org": self.organisation.slug, "slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.visibility == self.Visibility.PUBLIC


class Vote(models.Model):
    """ "Was this helpful?": a signed-in person's, or a visitor's browser session's; changing it replaces it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True)
    session_key = models.CharField(max_length=40, blank=True)
    helpful = models.BooleanField()
    created = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("helpfulness vote")
        verbose_name_plural = _("helpfulness votes")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], condition=models.Q(user__isnull=False), name="knowledge_one_vote_per_user"
            ),
            models.UniqueConstraint(
                fields=["article", "session_key"],
                condition=models.Q(user__isnull=True),
                name="knowledge_one_vote_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class Deflection(models.Model):
    """A question an article answered without a ticket (reports count them per organisation and month)."""

    class Via(models.TextChoices):
        ANSWERED = "answered", _("said it answered the question")
        VOTE = "vote", _("voted it helpful and sent no ticket")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="deflections")
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, related_name="deflections")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    session_key = models.CharField(max_length=40, blank=True)
    query = models.CharField(_("what was typed"), max_length=QUERY_MAX, blank=True)
    via = models.CharField(max_length=10, choices=Via.choices)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("question answered by an article")
        verbose_name_plural = _("questions answered by an article")
        ordering = ["-created"]
        indexes = [models.Index(fields=["organisation", "created"])]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d} {self.article_id} ({self.via})"
