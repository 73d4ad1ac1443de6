from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify

from greenbridge.core import fulltext
from greenbridge.core.http import calendar_response
from greenbridge.core.signals import page_sections, side_sections
from greenbridge.reference.models import CpvCode
from greenbridge.tenders import search
from greenbridge.tenders.calendar import deadline_calendar
from greenbridge.tenders.forms import NoticeSearchForm
from greenbridge.tenders.models import Notice
from greenbridge.tenders.selectors import capability_searches, notice_get, notices_search

PAGE_SIZE = 20


def notice_list(request):
    form = NoticeSearchForm(request.GET)  # always bound: no parameters is a valid, empty search
    page, expansions, some_words = None, [], False
    if form.is_valid():
        qs = notices_search(user=request.user, filters=form.filters())
        if isinstance(qs, search.TextSearch):
            qs = qs.or_some_words()  # rather than nothing (the page says so); the API keeps to every word
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        if isinstance(qs, search.TextSearch):
            some_words = qs.some_words and not fulltext.joined_by_or(qs.arguments["text"])  # OR asked for it
            # What the words were also looked for as, and why a notice without them in its title matched.
            expansions = [
                (" ".join(qs.typed.get(w, w) for w in t.words), t)
                for t in [*qs.terms, *qs.alternatives]
                if t.codes or t.translations or getattr(t, "tokens", ())
            ]
            hits = search.cross_language_hits(qs.terms, page.object_list, qs.alternatives, qs.typed)
            for notice in page.object_list:
                notice.cross_language = hits.get(notice.pk, [])
    context = {"form": form, "page": page, "now": timezone.now(), "expansions": expansions, "some_words": some_words}
    if not request.htmx:
        context["capability_searches"] = capability_searches(user=request.user)
    # The results alone for htmx; the whole page when htmx restores history (it needs the page).
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "tenders/notice_list.html#results" if partial else "tenders/notice_list.html", context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL has two bodies: caches must know
    return response


def _notice_or_404(request, pk: int) -> Notice:
    try:
        return notice_get(user=request.user, pk=pk)
    except Notice.DoesNotExist:
        raise Http404 from None


def notice_detail(request, pk: int):
    notice = _notice_or_404(request, pk)
    codes = {c.code: c for c in CpvCode.objects.filter(code__in=notice.cpv_codes)}
    cpv = [(code, codes.get(code)) for code in notice.cpv_codes]
    sections = page_sections(side_sections, sender=Notice, obj=notice, request=request)
    context = {"notice": notice, "cpv": cpv, "now": timezone.now(), "sections": sections}
    return render(request, "tenders/notice_detail.html", context)


def notice_ics(request, pk: int):
    notice = _notice_or_404(request, pk)
    if notice.deadline is None:
        raise Http404("This notice has no submission deadline.")
    ics = deadline_calendar([notice], request.build_absolute_uri("/").rstrip("/"))
    name = slugify(notice.title)[:60] or f"notice-{notice.pk}"
    return calendar_response(ics, f"{name}-deadline")
