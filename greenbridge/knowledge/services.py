"""Every change to the knowledge base: articles written, translated, published, deleted (each keeps the full-text
index in step), read, voted on; questions an article answered without a ticket."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.text import slugify

from greenbridge.core.bounds import SLUG_MAX
from greenbridge.orgs.models import Organisation

from . import search
from .models import QUERY_MAX, RESERVED_SLUGS, TITLE_MAX, Article, Category, Deflection, Vote

# A helpful vote on a suggested article counts as a question answered unless a ticket follows within this time.
DEFLECTION_WINDOW = timedelta(hours=1)


def free_slug(organisation: Organisation, text: str, *, model=Article, exclude_pk: int | None = None) -> str:
    """An address for `text` not yet used in the organisation ("espd", then "espd-2"…), kept to SLUG_MAX."""
    base = slugify(text, allow_unicode=True)[: SLUG_MAX - 4].strip("-") or "article"
    taken = set(
        model.objects.filter(organisation=organisation, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def article_create(
    *,
    organisation: Organisation,
    title: str,
    body: str,
    language: str,
    author=None,
    category: Category | None = None,
    slug: str = "",
    visibility: str = Article.Visibility.PUBLIC,
    status: str = Article.Status.DRAFT,
    translation_of: Article | None = None,
    origin: str = "",
) -> Article:
    """A new article (a draft unless said otherwise); `translation_of`: it joins that article's translations."""
    now = timezone.now()
    article = Article(
        organisation=organisation,
        category=category if translation_of is None else (category or translation_of.category),
        language=language,
        slug=slug or free_slug(organisation, title),
        title=title[:TITLE_MAX],
        body=body,
        visibility=visibility,
        status=status,
        author=author,
        origin=origin,
        published_at=now if status == Article.Status.PUBLISHED else None,
    )
    if translation_of is not None:
        article.group = translation_of.group
    article.save()
    search.index_articles([article])
    return article


@transaction.atomic
def article_update(*, article: Article, **fields) -> Article:
    """Change any of title, body, language, category, slug, visibility, status."""
    allowed = {"title", "body", "language", "category", "slug", "visibility", "status"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"article_update cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(article, name, value)
    if not article.slug:
        article.slug = free_slug(article.organisation, article.title, exclude_pk=article.pk)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    article.save()
    search.index_articles([article])
    return article


def article_publish(*, article: Article, published: bool = True) -> Article:
    return article_update(article=article, status=Article.Status.PUBLISHED if published else Article.Status.DRAFT)


@transaction.atomic
def article_delete(*, article: Article) -> None:
    pk = article.pk
    article.delete()
    search.remove_articles([pk])


def article_viewed(*, article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)


@transaction.atomic
def vote(
    *, article: Article, helpful: bool, user=None, session_key: str = "", suggested_for: str | None = None
) -> Vote:
    """A person's vote (a visitor's: its session's), replacing the one it gave before; the article's counts follow.
    `suggested_for`: the words typed when the help desk suggested the article (None: not suggested); a helpful vote
    then counts as a question answered without a ticket, until a ticket follows (deflections_withdraw)."""
    who = {"user": user} if user is not None and user.is_authenticated else {"user": None, "session_key": session_key}
    try:
        with transaction.atomic():
            found, _ = Vote.objects.update_or_create(article=article, **who, defaults={"helpful": helpful})
    except IntegrityError:  # the same vote, twice at once
        found = Vote.objects.get(article=article, **who)
    counts = Vote.objects.filter(article=article).aggregate(
        yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
    )
    Article.objects.filter(pk=article.pk).update(helpful=counts["yes"], not_helpful=counts["no"])
    article.helpful, article.not_helpful = counts["yes"], counts["no"]
    person = {"user": who["user"]} if who["user"] else {"user": None, "session_key": session_key}
    pending = Deflection.objects.filter(article=article, via=Deflection.Via.VOTE, **person)
    if helpful and suggested_for is not None:
        if not pending.exists():
            Deflection.objects.create(
                organisation_id=article.organisation_id,
                article=article,
                via=Deflection.Via.VOTE,
                query=suggested_for[:QUERY_MAX],
                **{**person, "session_key": session_key},
            )
    elif not helpful:
        pending.delete()
    return found


def deflection_record(*, article: Article, query: str, user=None, session_key: str = "") -> Deflection:
    """The requester says the suggested article answered the question: it is not asked (once per article and
    person; a helpful vote that counted already becomes this)."""
    person = {"user": user} if user is not None and user.is_authenticated else {"user": None}
    with transaction.atomic():
        found = (
            Deflection.objects.filter(article=article, **person)
            .filter(Q(user__isnull=False) | Q(session_key=session_key))
            .first()
        )
        if found is None:
            return Deflection.objects.create(
                organisation_id=article.organisation_id,
                article=article,
                via=Deflection.Via.ANSWERED,
                query=query[:QUERY_MAX],
                session_key=session_key,
                **person,
            )
        if found.via != Deflection.Via.ANSWERED:
            found.via = Deflection.Via.ANSWERED
            found.save(update_fields=["via"])
        return found


def deflections_withdraw(*, user=None, session_key: str = "", now=None) -> int:
    """A ticket was sent after all: the helpful votes of the last DEFLECTION_WINDOW by this person (or session) no
    longer count as questions answered (those the requester said answered the question stay). Returns how many."""
    since = (now or timezone.now()) - DEFLECTION_WINDOW
    who = Q(session_key=session_key) if session_key else Q(pk__in=[])
    if user is not None and user.is_authenticated:
        who |= Q(user=user)
    deleted, _ = Deflection.objects.filter(who, via=Deflection.Via.VOTE, created__gte=since).delete()
    return deleted


@transaction.atomic
def category_save(
    *, organisation: Organisation, names: dict[str, str], position: int = 0, slug: str = "", category=None
) -> Category:
    names = {lang: name.strip() for lang, name in names.items() if name and name.strip()}
    if category is None:
        category = Category(organisation=organisation)
    category.names = names
    category.position = position
    first = next(iter(names.values()), "category")
    category.slug = slug or category.slug or free_slug(organisation, first, model=Category)
    category.save()
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    """Its articles stay, in no category."""
    category.delete()
