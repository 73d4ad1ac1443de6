"""Reads of the knowledge base, each for the person who asks (rules.py says who sees what).

An article's translations share its group; lists show one article per group, in the reader's language when it has
one (else the site's default language, else the first written), with links to the others. Searches put the
reader's language first and the others after."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from greenbridge.orgs.models import Organisation

from . import search
from .models import Article, Category, Deflection
from .rules import staff_organisations


def reader_language() -> str:
    """The reader's language among the site's (the page's language)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


SEARCH_MAX = 200  # articles a search returns at most (the page and the API page through them)
SUGGESTIONS = 5
RELATED = 5


def articles_for(user, *, drafts: bool = False) -> QuerySet[Article]:
    """Every article `user` may read: the published public ones, and the internal ones (with `drafts`, the drafts
    too) of the organisations whose staff it is. No join: core.fulltext's search compiles this WHERE alone."""
    visible = Q(status=Article.Status.PUBLISHED, visibility=Article.Visibility.PUBLIC)
    if user.is_authenticated:
        theirs = Q(organisation__in=staff_organisations(user))
        if not drafts:
            theirs &= Q(status=Article.Status.PUBLISHED)
        visible |= theirs
    return Article.objects.filter(visible)


def article_get(*, user, organisation: Organisation, slug: str) -> Article:
    """An article of `organisation` that `user` may read (its staff: drafts too); Article.DoesNotExist else."""
    return (
        articles_for(user, drafts=True)
        .select_related("organisation", "category")
        .get(organisation=organisation, slug=slug)
    )


def article_by_id(*, user, pk: int) -> Article:
    """A published article `user` may read (the API's); Article.DoesNotExist else."""
    return articles_for(user).select_related("organisation", "category").get(pk=pk)


def translations_of(*, user, article: Article) -> list[Article]:
    """The other languages of `article` that `user` may read, by language."""
    found = articles_for(user, drafts=user.is_authenticated).filter(group=article.group).exclude(pk=article.pk)
    return sorted(found.only("pk", "slug", "title", "language", "status", "organisation_id"), key=lambda a: a.language)


def translations_by_group(*, user, groups: Iterable) -> dict:
    """group -> [(language, id)] of the published articles `user` may read."""
    out: dict = {}
    rows = articles_for(user).filter(group__in=list(groups)).order_by("language")
    for group, language, pk in rows.values_list("group", "language", "pk"):
        out.setdefault(group, []).append((language, pk))
    return out


def _preference(language: str):
    default = settings.LANGUAGE_CODE

    def key(article: Article) -> tuple:
        return (article.language != language, article.language != default, article.created, article.pk)

    return key


def one_per_group(articles: Iterable[Article], language: str) -> list[Article]:
    """Of each group of translations, the article in `language`, else in the site's default language, else the
    first written; in the order the groups first appear."""
    order: dict = {}
    best: dict = {}
    key = _preference(language)
    for a in articles:
        order.setdefault(a.group, len(order))
        if a.group not in best or key(a) < key(best[a.group]):
            best[a.group] = a
    return sorted(best.values(), key=lambda a: order[a.group])


def _language_first(articles: list[Article], language: str) -> list[Article]:
    """Articles in `language` first, the others after, each part in the order given (stable)."""
    return sorted(articles, key=lambda a: a.language != language)


def _by_ids(queryset: QuerySet[Article], ids: list[int]) -> list[Article]:
    found = {a.pk: a for a in queryset.filter(pk__in=ids).select_related("organisation", "category")}
    return [found[i] for i in ids if i in found]


def articles_search(
    *, user, text: str, language: str, organisation: Organisation | None = None, group_translations: bool = True
) -> list[Article]:
    """The published articles `user` may read that match `text` (the search box's syntax), the most relevant first,
    those in `language` before the others; `group_translations`: one per group of translations, in `language` when
    the group has it."""
    found = articles_for(user)
    if organisation is not None:
        found = found.filter(organisation=organisation)
    ids = search.ranked_ids(found, text, limit=SEARCH_MAX)
    articles = _language_first(_by_ids(found, ids), language)
    return _in_language(_first_per_group(articles), language, found) if group_translations else articles


def _first_per_group(articles: list[Article]) -> list[Article]:
    seen: set = set()
    out = []
    for a in articles:
        if a.group not in seen:
            seen.add(a.group)
            out.append(a)
    return out


def _in_language(articles: list[Article], language: str, visible: QuerySet[Article]) -> list[Article]:
    """Each article replaced by its translation in `language` where `visible` has one (an article found by a word
    of its English text is shown in Romanian to a Romanian reader)."""
    groups = [a.group for a in articles if a.language != language]
    if not groups:
        return articles
    translated = {
        a.group: a
        for a in visible.filter(group__in=groups, language=language).select_related("organisation", "category")
    }
    return [translated.get(a.group, a) if a.language != language else a for a in articles]


def suggestions(*, user, organisation: Organisation, text: str, language: str) -> list[Article]:
    """What to read before asking `organisation`: its published articles `user` may read that share significant
    words with `text` (a ticket's subject as it is typed), those sharing more first, one per group of translations
    (in the reader's language when the group has it), those matched in the reader's language first."""
    found = articles_for(user).filter(organisation=organisation)
    ids = search.ranked_ids(found, text, limit=50, any_word=True)
    best = _first_per_group(_language_first(_by_ids(found, ids), language))[:SUGGESTIONS]
    return _in_language(best, language, found)


def related(*, user, article: Article, language: str) -> list[Article]:
    """Articles to read next: those of the same organisation sharing words with its title, then those of its
    category; one per group of translations (never its own), the reader's language first."""
    found = articles_for(user).filter(organisation_id=article.organisation_id).exclude(group=article.group)
    ids = search.ranked_ids(found, article.title, limit=20, any_word=True)
    candidates = _by_ids(found, ids)
    if article.category_id:
        same = found.filter(category_id=article.category_id).exclude(pk__in=ids).select_related("organisation")
        candidates += list(same.order_by("-views")[:20])
    ranked = {a.pk: n for n, a in enumerate(candidates)}
    best = one_per_group(candidates, language)
    return sorted(best, key=lambda a: ranked[a.pk])[:RELATED]


def knowledge_bases(*, user) -> list[dict]:
    """The organisations with articles `user` may read, by name: {organisation, articles (groups), staff}."""
    staff_of = set(staff_organisations(user).values_list("organisation", flat=True)) if user.is_authenticated else set()
    counts = articles_for(user).values("organisation").annotate(n=Count("group", distinct=True))
    n = {row["organisation"]: row["n"] for row in counts}
    orgs = Organisation.objects.filter(pk__in=set(n) | staff_of).order_by("name")
    return [{"organisation": o, "articles": n.get(o.pk, 0), "staff": o.pk in staff_of} for o in orgs]


@dataclass
class Shelf:
    category: Category | None
    name: str
    articles: list[Article]


def shelves(*, user, organisation: Organisation, language: str) -> list[Shelf]:
    """An organisation's published articles `user` may read, one per group in `language` where it can, by category
    (in the categories' order, then those in none)."""
    articles = list(articles_for(user).filter(organisation=organisation).select_related("organisation"))
    best = one_per_group(articles, language)
    by_category: dict = {}
    for a in sorted(best, key=lambda a: a.title.casefold()):
        by_category.setdefault(a.category_id, []).append(a)
    out = [
        Shelf(c, c.name_in(language), by_category[c.pk])
        for c in organisation.article_categories.all()
        if c.pk in by_category
    ]
    if None in by_category:
        out.append(Shelf(None, "", by_category[None]))
    return out


def articles_to_manage(*, user, organisation: Organisation) -> QuerySet[Article]:
    """All of an organisation's articles, drafts and internal ones too, for its staff (none for anyone else)."""
    if organisation.pk not in set(staff_organisations(user).values_list("organisation", flat=True)):
        return Article.objects.none()
    return (
        Article.objects.filter(organisation=organisation)
        .select_related("organisation", "category", "author")
        .annotate(deflected=Count("deflections"))
        .order_by("category__position", "group", "language")
    )


def deflection_count(
    *, organisation: Organisation, since: datetime | None = None, until: datetime | None = None
) -> int:
    """Questions an article of `organisation` answered without a ticket (from `since`, before `until`): the figure
    the help desk's reports show beside the tickets."""
    found = Deflection.objects.filter(organisation=organisation)
    if since is not None:
        found = found.filter(created__gte=since)
    if until is not None:
        found = found.filter(created__lt=until)
    return found.count()


def article_by_origin(*, organisation: Organisation, origin: str) -> Article | None:
    """The draft or article already made from `origin` (e.g. a help-desk reply), if any."""
    return Article.objects.filter(organisation=organisation, origin=origin).first() if origin else None


def categories_of(organisation: Organisation) -> QuerySet[Category]:
    return organisation.article_categories.all()
