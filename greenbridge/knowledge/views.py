"""The knowledge base's pages: every organisation's public knowledge base and its search, an article with its
translations, "was this helpful?" and related articles; for an organisation's staff, its articles to write,
translate and publish, its categories, and the questions its articles answered without a ticket.
Thin: reads through selectors, changes through services, permissions through rules."""

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbridge.core.bounds import QUERY_MAX
from greenbridge.core.forms import form_problems
from greenbridge.orgs.models import Organisation

from . import selectors, services
from .forms import ArticleForm, CategoryForm, VoteForm
from .models import QUERY_MAX as ASKED_MAX
from .models import Article, Category, Deflection, Vote
from .selectors import reader_language

PER_PAGE = 20
SUGGESTED = "knowledge_suggested"  # session: article id -> the words typed when the help desk suggested it
SUGGESTED_KEPT = 20


def _knowledge_base(slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not organisation.is_cluster:
        raise Http404
    return organisation


def _staff(request, organisation: Organisation) -> bool:
    return rules.has_perm("knowledge.write_articles", request.user, organisation)


def _staff_only(request, slug: str) -> Organisation:
    organisation = _knowledge_base(slug)
    if not request.user.is_authenticated or not _staff(request, organisation):
        raise PermissionDenied
    return organisation


def _query(request) -> str:
    return " ".join(request.GET.get("q", "")[:QUERY_MAX].split())


def index(request):
    """The knowledge bases the visitor may read, and a search across them."""
    q, language = _query(request), reader_language()
    results = selectors.articles_search(user=request.user, text=q, language=language) if q else None
    return render(
        request,
        "knowledge/index.html",
        {
            "q": q,
            "page": Paginator(results, PER_PAGE).get_page(request.GET.get("page")) if results is not None else None,
            "bases": selectors.knowledge_bases(user=request.user) if results is None else [],
        },
    )


def base(request, org: str):
    """One organisation's knowledge base: its articles by category in the reader's language, and its search."""
    organisation = _knowledge_base(org)
    q, language = _query(request), reader_language()
    context = {"organisation": organisation, "q": q, "staff": _staff(request, organisation)}
    if q:
        results = selectors.articles_search(user=request.user, text=q, language=language, organisation=organisation)
        context["page"] = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    else:
        context["shelves"] = selectors.shelves(user=request.user, organisation=organisation, language=language)
    return render(request, "knowledge/knowledge_base.html", context)


def _article(request, org: str, slug: str) -> Article:
    organisation = _knowledge_base(org)
    if not slug.isprintable():  # no address has a control character (PostgreSQL refuses NUL in a query)
        raise Http404
    try:
        return selectors.article_get(user=request.user, organisation=organisation, slug=slug)
    except Article.DoesNotExist as exc:
        raise Http404 from exc


def _suggested(request) -> dict:
    return request.session.get(SUGGESTED, {}) if hasattr(request, "session") else {}


def _remember_suggested(request, article: Article, asked: str) -> None:
    """The help desk suggested this article for what the requester typed: its vote and "this answered my question"
    then count (knowledge.models.Deflection)."""
    kept = dict(list(_suggested(request).items())[-(SUGGESTED_KEPT - 1) :])
    kept[str(article.pk)] = "".join(c for c in asked if c.isprintable())[:ASKED_MAX]
    request.session[SUGGESTED] = kept


def _my_vote(request, article: Article) -> Vote | None:
    if request.user.is_authenticated:
        return Vote.objects.filter(article=article, user=request.user).first()
    key = request.session.session_key
    return Vote.objects.filter(article=article, user=None, session_key=key).first() if key else None


def article(request, org: str, slug: str):
    found = _article(request, org, slug)
    staff = _staff(request, found.organisation)
    asked = request.GET.get("asked")
    if asked is not None and request.user.is_authenticated:
        _remember_suggested(request, found, asked)
    if not staff and found.status == Article.Status.PUBLISHED:
        services.article_viewed(article=found)
    suggested = str(found.pk) in _suggested(request)
    answered = (
        suggested
        and request.user.is_authenticated
        and Deflection.objects.filter(article=found, user=request.user, via=Deflection.Via.ANSWERED).exists()
    )
    language = reader_language()
    return render(
        request,
        "knowledge/article.html",
        {
            "article": found,
            "staff": staff,
            "translations": selectors.translations_of(user=request.user, article=found),
            "related": selectors.related(user=request.user, article=found, language=language),
            "vote": _my_vote(request, found),
            "suggested": suggested,
            "answered": answered,
            "category_name": found.category.name_in(language) if found.category else "",
        },
    )


@require_POST
def vote(request, org: str, slug: str):
    """ "Was this helpful?": yes or no (htmx swaps the box; without JavaScript, back to the article)."""
    found = _article(request, org, slug)
    form = VoteForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return render(request, "knowledge/_vote.html", {"article": found, "vote": _my_vote(request, found)})
        messages.error(request, _("Choose yes or no."))
        return redirect(found.get_absolute_url())
    if not request.session.session_key:
        request.session.save()  # a visitor's vote is its browser session's
    given = services.vote(
        article=found,
        helpful=form.cleaned_data["helpful"],
        user=request.user,
        session_key=request.session.session_key or "",
        suggested_for=_suggested(request).get(str(found.pk)),
    )
    if request.htmx:
        return render(request, "knowledge/_vote.html", {"article": found, "vote": given, "thanks": True})
    messages.success(request, _("Thank you: your answer helps us improve our articles."))
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def answered(request, org: str, slug: str):
    """The requester read the article the help desk suggested and says it answered the question: not asked."""
    found = _article(request, org, slug)
    suggested = _suggested(request)
    if str(found.pk) not in suggested:
        return redirect(found.get_absolute_url())
    if not request.session.session_key:
        request.session.save()
    services.deflection_record(
        article=found, query=suggested[str(found.pk)], user=request.user, session_key=request.session.session_key
    )
    messages.success(request, _("We are glad the article answered your question. Ask us any time if it comes back."))
    return redirect("knowledge:base", org=found.organisation.slug)


# -- the staff's pages ------------------------------------------------------------------------------------------------


@login_required
def manage(request, org: str):
    """An organisation's articles, drafts and internal ones too, with their readers' votes and the questions they
    answered without a ticket."""
    organisation = _staff_only(request, org)
    articles = list(selectors.articles_to_manage(user=request.user, organisation=organisation))
    month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return render(
        request,
        "knowledge/manage.html",
        {
            "organisation": organisation,
            "articles": articles,
            "categories": selectors.categories_of(organisation),
            "deflected_month": selectors.deflection_count(organisation=organisation, since=month),
            "deflected_total": selectors.deflection_count(organisation=organisation),
        },
    )


def _staff_article(request, org: str, pk: int) -> Article:
    organisation = _staff_only(request, org)
    return get_object_or_404(
        Article.objects.select_related("organisation", "category"), pk=pk, organisation=organisation
    )


def _save(form: ArticleForm, **extra) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "language": data["language"],
        "category": data["category"],
        "slug": data["slug"],
        "visibility": data["visibility"],
        "status": data["status"],
        **extra,
    }


@login_required
def article_new(request, org: str):
    organisation = _staff_only(request, org)
    initial = {"language": reader_language(), "status": Article.Status.DRAFT, "visibility": Article.Visibility.PUBLIC}
    form = ArticleForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = services.article_create(organisation=organisation, author=request.user, **_save(form))
        messages.success(request, _("Article saved."))
        return redirect("knowledge:edit", org=organisation.slug, pk=created.pk)
    return render(request, "knowledge/article_form.html", {"organisation": organisation, "form": form})


@login_required
def article_edit(request, org: str, pk: int):
    found = _staff_article(request, org, pk)
    initial = {
        "title": found.title,
        "language": found.language,
        "category": found.category_id,
        "body": found.body,
        "visibility": found.visibility,
        "status": found.status,
        "slug": found.slug,
    }
    form = ArticleForm(request.POST or None, organisation=found.organisation, article=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.article_update(article=found, **_save(form))
        messages.success(request, _("Article saved."))
        return redirect("knowledge:edit", org=found.organisation.slug, pk=found.pk)
    translations = selectors.translations_of(user=request.user, article=found)
    return render(
        request,
        "knowledge/article_form.html",
        {
            "organisation": found.organisation,
            "form": form,
            "article": found,
            "translations": translations,
            "can_translate": len(translations) + 1 < len(settings.LANGUAGES),
        },
    )


@login_required
def article_translate(request, org: str, pk: int):
    """A translation of an article: another language of the same group, a draft until published."""
    source = _staff_article(request, org, pk)
    taken = set(Article.objects.filter(group=source.group).values_list("language", flat=True))
    if len(taken) >= len(settings.LANGUAGES):
        messages.info(request, _("This article is written in every language of the site already."))
        return redirect("knowledge:edit", org=source.organisation.slug, pk=source.pk)
    initial = {
        "title": source.title,
        "body": source.body,
        "category": source.category_id,
        "visibility": source.visibility,
        "status": Article.Status.DRAFT,
    }
    form = ArticleForm(request.POST or None, organisation=source.organisation, taken_languages=taken, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = services.article_create(
            organisation=source.organisation, author=request.user, translation_of=source, **_save(form)
        )
        messages.success(request, _("Translation saved."))
        return redirect("knowledge:edit", org=source.organisation.slug, pk=created.pk)
    return render(
        request,
        "knowledge/article_form.html",
        {"organisation": source.organisation, "form": form, "source": source},
    )


@login_required
@require_POST
def article_publish(request, org: str, pk: int):
    found = _staff_article(request, org, pk)
    publish = request.POST.get("publish") == "1"
    services.article_publish(article=found, published=publish)
    messages.success(request, _("Published.") if publish else _("Back to draft: only your staff see it."))
    return redirect("knowledge:manage", org=found.organisation.slug)


@login_required
@require_POST
def article_delete(request, org: str, pk: int):
    found = _staff_article(request, org, pk)
    services.article_delete(article=found)
    messages.success(request, _("Article deleted."))
    return redirect("knowledge:manage", org=org)


@login_required
def categories(request, org: str):
    """An organisation's categories, and a new one."""
    organisation = _staff_only(request, org)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.category_save(organisation=organisation, names=form.names(), position=form.cleaned_data["position"])
        messages.success(request, _("Category added."))
        return redirect("knowledge:categories", org=organisation.slug)
    language = reader_language()
    found = [(c, c.name_in(language)) for c in selectors.categories_of(organisation)]
    return render(
        request, "knowledge/categories.html", {"organisation": organisation, "form": form, "categories": found}
    )


@login_required
def category_edit(request, org: str, pk: int):
    organisation = _staff_only(request, org)
    category = get_object_or_404(Category, pk=pk, organisation=organisation)
    if request.method == "POST" and request.POST.get("delete"):
        services.category_delete(category=category)
        messages.success(request, _("Category deleted; its articles are in no category now."))
        return redirect("knowledge:categories", org=organisation.slug)
    initial = {f"name_{code}": name for code, name in category.names.items()} | {"position": category.position}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.category_save(
                organisation=organisation,
                names=form.names(),
                position=form.cleaned_data["position"],
                category=category,
            )
            messages.success(request, _("Category saved."))
            return redirect("knowledge:categories", org=organisation.slug)
        messages.error(request, _("Not saved: %(problems)s") % {"problems": form_problems(form)})
    return render(
        request, "knowledge/category_form.html", {"organisation": organisation, "form": form, "category": category}
    )
