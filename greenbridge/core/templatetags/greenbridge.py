"""Template helpers for GreenBridge pages: deadlines, money, countries, languages, green sectors,
CPV chips and filter links. `{% load greenbridge %}`.

Pagination and filter links use Django's built-in `{% querystring %}`; `querystring_without`
below only adds what it cannot do: drop one value of a repeated parameter (a CPV chip)."""

import copy
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from babel.dates import format_interval, format_skeleton
from babel.numbers import format_currency, format_decimal
from django import template
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.encoding import uri_to_iri
from django.utils.html import Urlizer
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import get_language, pgettext, to_locale
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from greenbridge.reference import green, normalise
from greenbridge.reference.cpv import normalise_cpv
from greenbridge.reference.models import CpvCode

register = template.Library()

# Friendly names of the sources notices come from; anything else is shown as stored.
SOURCE_NAMES = {
    "prozorro": _("Prozorro (Ukraine)"),
    "mtender": _("MTender (Moldova)"),
    "ted": _("TED (European Union)"),
    "ocds": _("Open Contracting (OCDS) publishers"),
    "ocds-samples": _("Open Contracting (OCDS) publishers' samples"),
    "dncp-paraguay": _("DNCP (Paraguay)"),
    "generated": _("Generated for the demo (not a real notice)"),
}
_CODE_THEN_DIGIT = re.compile(r"^([A-Z]{3})(?=[\d-])")


def _locale() -> str:
    return to_locale(get_language() or "en")


def _babel_locale() -> Locale:
    try:
        return Locale.parse(_locale())
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


# Dates ------------------------------------------------------------------------------------------


def _as_datetime(value: Any) -> datetime | date | None:
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str) and value:
        return parse_datetime(value)
    return None


@register.filter
def as_datetime(value: Any) -> datetime | date | None:
    """An ISO 8601 string (as stored in a notice's lots and awards) -> a datetime for |date."""
    return _as_datetime(value)


@register.filter
def days_left(deadline: Any, now: datetime | None = None) -> int | None:
    """Calendar days from `now` to the deadline: 0 = closes today; -1 = already closed;
    None = no deadline. `{{ notice.deadline|days_left:now }}`."""
    deadline = _as_datetime(deadline)
    if deadline is None:
        return None
    now = now or timezone.now()
    if isinstance(deadline, datetime):
        if deadline < now:
            return -1
        deadline = timezone.localtime(deadline).date() if timezone.is_aware(deadline) else deadline.date()
    today = timezone.localtime(now).date() if timezone.is_aware(now) else now.date()
    days = (deadline - today).days
    return days if days >= 0 else -1


def _cldr_date(value: Any, skeleton: str) -> str:
    """A day (an aware datetime in the active time zone) as the reader's language writes it, from the CLDR pattern
    for `skeleton` (Babel). Django's month names are capitalised in French, Romanian and Ukrainian ("9 Déc 2026",
    "9 Гру 2026"); CLDR writes "9 déc. 2026", "9 груд. 2026 р.". English is British English: the day first."""
    when = _as_datetime(value)
    if when is None:
        return ""
    if isinstance(when, datetime):
        when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    return format_skeleton(skeleton, when, locale=_locale_for_dates())


@register.filter
def long_date(value: Any) -> str:
    """9 December 2026, 9 décembre 2026, 9 decembrie 2026, 9 грудня 2026 р."""
    return _cldr_date(value, "yMMMMd")


def _locale_for_dates() -> Locale:
    locale = _babel_locale()
    return Locale.parse("en_GB") if locale.language == "en" else locale


def date_range(start: date, end: date) -> str:
    """Two days as the reader's language writes a span of them (CLDR intervals, Babel): "1–3 mars 2026",
    "1 Mar – 3 May 2026", "1 лист. 2026 — 3 лют. 2027 рр."; one day when they are the same."""
    return format_interval(start, end, "yMMMd", locale=_locale_for_dates())


@register.filter
def short_date(value: Any) -> str:
    """9 Dec 2026, 9 déc. 2026, 9 dec. 2026, 9 груд. 2026 р."""
    return _cldr_date(value, "yMMMd")


@register.filter
def short_date_time(value: Any, zone: str = "") -> str:
    """9 Dec 2026, 14:30 (in the active time zone); with "zone": and its name, "14:30 EET"."""
    return _with_time(value, short_date, zone == "zone")


@register.filter
def long_date_time(value: Any, zone: str = "") -> str:
    """9 December 2026, 14:30 (in the active time zone); with "zone": and its name, "14:30 EET"."""
    return _with_time(value, long_date, zone == "zone")


def _with_time(value: Any, day: Callable[[Any], str], zone: bool = False) -> str:
    """The day as `day` writes it, then the time of day (24 h), both in the active time zone (and, with `zone`, that
    zone's abbreviation: "EET", or its offset "+03" where it has none)."""
    when = _as_datetime(value)
    if not isinstance(when, datetime):
        return day(when)
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    return f"{day(when)}, {local:%H:%M}" + (f" {local:%Z}" if zone and local.tzinfo else "")


@register.filter
def month_year(value: Any) -> str:
    """December 2026, décembre 2026, decembrie 2026, грудень 2026 р."""
    return _cldr_date(value, "yMMMM")


@register.filter
def short_month_year(value: Any) -> str:
    """Dec 2026, déc. 2026, dec. 2026, груд. 2026 р."""
    return _cldr_date(value, "yMMM")


@register.filter
def day_month(value: Any) -> str:
    """9 Dec, 9 déc., 9 dec., 9 груд."""
    return _cldr_date(value, "MMMd")


@register.filter
def weekday_day_month(value: Any) -> str:
    """Wed 9 Dec, mer. 9 déc., mie., 9 dec., ср, 9 груд."""
    return _cldr_date(value, "MMMEd")


@register.filter
def day_month_time(value: Any, zone: str = "") -> str:
    """9 Dec, 14:30 (in the active time zone); with "zone": and its name, "14:30 EET"."""
    return _with_time(value, day_month, zone == "zone")


@register.filter
def weekday_day_month_time(value: Any, zone: str = "") -> str:
    """Wed 9 Dec, 14:30 (in the active time zone); with "zone": and its name, "14:30 EET"."""
    return _with_time(value, weekday_day_month, zone == "zone")


@register.simple_tag(takes_context=True)
def is_own(context: Any, organisation_id: Any) -> bool:
    """Whether the organisation is one of the reader's (the menu's `roles`; a visitor has none). A tag, not a filter:
    a filter's missing argument makes a whole {% if %} false, which would show what it hides to a visitor."""
    return organisation_id in getattr(context.get("roles"), "organisation_ids", ())


@register.inclusion_tag("core/_deadline.html")
def deadline(value: Any, now: datetime | None = None, long: bool = False, published: Any = None) -> dict[str, Any]:
    """The deadline as a <time>, with "12 days left", "closes today" or "closed". Without a deadline, the date the
    notice was published when it is given (`published`), so that a plan of years ago is seen as one."""
    when = _as_datetime(value)
    return {
        "when": when,
        "days": days_left(when, now),
        "long": long,
        "has_time": isinstance(when, datetime),
        "published": _as_datetime(published),
    }


# Money ------------------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def money(amount: Any, currency: str = "") -> str:
    """110000, "UAH" -> "UAH 110,000" (en) / "110 000 ₴" (uk): the reader's number format;
    cents only when there are any."""
    number = _decimal(amount)
    if number is None:
        return ""
    loc = _babel_locale()
    whole = number == number.to_integral_value()
    if not currency:
        return format_decimal(number, format="#,##0" if whole else "#,##0.00", locale=loc)
    pattern = copy.copy(loc.currency_formats["standard"])
    if whole:
        pattern.frac_prec = (0, 0)
    text = format_currency(number, currency.upper(), format=pattern, locale=loc, currency_digits=False)
    return _CODE_THEN_DIGIT.sub("\\1\u00a0", text)


# Countries, languages, sources ------------------------------------------------------------------


def _country(code: Any) -> Country | None:
    if isinstance(code, Country):
        return code if code.code else None
    code = str(code or "").strip().upper()
    return Country(code=code) if code else None


@register.filter
def country_name(code: Any) -> str:
    """ "MD" -> "Moldova" in the reader's language ("Молдова" in Ukrainian)."""
    country = _country(code)
    if country is None:
        return ""
    return str(country.name or country.code)


@register.filter
def country_or_region(code: Any) -> str:
    """ "MD" -> "Moldova"; a region of reference.regions ("EAP") -> its name, in the reader's language."""
    from greenbridge.reference import regions

    text = str(code or "").strip().upper()
    return str(regions.region_label(text)) if text in regions.REGIONS else country_name(text) or text


@register.inclusion_tag("core/_country.html")
def country(code: Any) -> dict[str, Any]:
    """A small flag (shipped with django-countries, no emoji font needed) and the country name."""
    c = _country(code)
    return {"country": c, "name": country_name(c) if c else "", "flag": c.flag if c and c.name else ""}


@register.filter
def language_name(code: Any) -> str:
    """ "ro" -> "Romanian" ("română" for a Romanian reader)."""
    return normalise.language_name(str(code or ""), _locale())


@register.filter
def language_names(codes: Any) -> str:
    """["ro", "en"] -> "Romanian, English"; "Румунська, англійська" for a Ukrainian reader: only the first capitalised,
    as a sentence writes them."""
    codes = [str(c) for c in codes or () if c]
    return ", ".join(normalise.language_name(c, _locale(), capital=not n) for n, c in enumerate(codes))


# Ukrainian alphabetical order (Unicode puts Ґ, Є, І, Ї apart from the other Cyrillic letters).
_UK_ORDER = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"


def sort_key(text: str) -> list[tuple[int, ...]]:
    """A key that sorts names as a reader expects in the platform's languages: accented Latin letters
    next to their base letter (Ș after S, not after Z), Cyrillic in Ukrainian order, Latin first."""
    key: list[tuple[int, ...]] = []
    for ch in unicodedata.normalize("NFC", text.upper()):
        pos = _UK_ORDER.find(ch)
        if pos >= 0:
            key.append((1, pos))
        else:
            key.append((0, ord(unicodedata.normalize("NFD", ch)[0]), ord(ch)))
    return key


@register.filter
def source_name(source: str) -> str:
    return str(SOURCE_NAMES.get(source, source))


# Green sectors ----------------------------------------------------------------------------------


def _sector(slug: str) -> green.Sector | None:
    return green.sector(slug)


@register.filter
def sector_label(slug: str) -> str:
    sector = _sector(slug)
    if sector is None:
        return str(slug).replace("-", " ").replace("_", " ").capitalize()
    return sector.label(get_language())


@register.inclusion_tag("core/_sector_badges.html")
def sector_badges(slugs: Any) -> dict[str, Any]:
    """Badges for a list of green-sector slugs, labelled in the reader's language."""
    return {"sectors": [(s, sector_label(s)) for s in (slugs or [])]}


@register.inclusion_tag("core/_sector_badges.html")
def sector_badge(slug: str) -> dict[str, Any]:
    return {"sectors": [(slug, sector_label(slug))]}


@register.simple_tag
def green_sectors() -> list[tuple[str, str]]:
    """(slug, label in the reader's language) of every green sector, in taxonomy order."""
    return green.choices(get_language())


# Notices and codes ------------------------------------------------------------------------------


@register.filter
def title_in_reader_language(notice: Any) -> str:
    """The notice's title in the reader's language when the notice has one, else its own title."""
    lang = (get_language() or "en").split("-")[0]
    titles = getattr(notice, "titles", None) or {}
    if getattr(notice, "language", "") != lang and titles.get(lang):
        return titles[lang]
    return notice.title or notice.source_id


@register.filter
def other_titles(notice: Any) -> list[tuple[str, str]]:
    """(language, title) of the notice's titles in other languages than its main one."""
    titles = getattr(notice, "titles", None) or {}
    return [(lang, t) for lang, t in sorted(titles.items()) if t and t != notice.title]


@register.filter
def cpv_label(code: Any) -> str:
    """An 8-digit CPV code's label in the reader's language ("" for an unknown code)."""
    from greenbridge.reference.lexicon import cpv_label as label

    return label(str(code or ""))


@register.filter
def nace_label(code: Any) -> str:
    """A NACE Rev. 2 code's label in the reader's language ("" for an unknown code)."""
    from greenbridge.reference.lexicon import nace_label as label

    return label(str(code or "").strip().upper())


def _code_item(kind: str, code: Any) -> dict[str, str]:
    if kind == "nace":
        text = str(getattr(code, "code", code) or "").strip().upper()
        return {"kind": kind, "code": text, "label": nace_label(text)}
    text = str(getattr(code, "code", code) or "").strip()
    text = normalise_cpv(text) or text
    return {"kind": kind, "code": text, "label": cpv_label(text)}


@register.inclusion_tag("core/_code.html")
def cpv(code: Any, link: bool = False) -> dict[str, Any]:
    """One CPV code in words: the code and its label in the reader's language, as a chip (core/_code.html). The
    label is cut to the room there is, the whole of it in the title. `link`: to the notices under the code."""
    return {"item": _code_item("cpv", code), "link": link}


@register.inclusion_tag("core/_code.html")
def nace(code: Any) -> dict[str, Any]:
    """One NACE Rev. 2 activity in words, as `cpv` does for a CPV code."""
    return {"item": _code_item("nace", code), "link": False}


@register.inclusion_tag("core/_codes.html")
def cpv_codes(codes: Any, limit: int = 0, link: bool = False) -> dict[str, Any]:
    """A list of CPV codes as chips (core/_codes.html); with `limit`, the first ones and "+N more"."""
    return _codes("cpv", codes, limit, link)


@register.inclusion_tag("core/_codes.html")
def nace_codes(codes: Any, limit: int = 0) -> dict[str, Any]:
    return _codes("nace", codes, limit, False)


def _codes(kind: str, codes: Any, limit: int, link: bool) -> dict[str, Any]:
    codes = list(codes or [])
    shown = codes[:limit] if limit else codes
    return {"items": [_code_item(kind, c) for c in shown], "more": len(codes) - len(shown), "link": link}


@register.filter
def cpv_dash(code: Any) -> str:
    """A CpvCode -> "90513000-6"; an 8-digit string stays as it is (its check digit is unknown)."""
    if hasattr(code, "code"):
        return getattr(code, "full_code", None) or code.code
    return str(code or "")


# The search form --------------------------------------------------------------------------------


@register.simple_tag
def selected_cpv(form: Any) -> list[tuple[str, str]]:
    """The CPV codes a search form filters on, with labels in the reader's language: one query
    for all of them, whatever the number of results."""
    if form.is_bound and form.is_valid():
        codes = list(form.cleaned_data.get("cpv") or [])
    else:
        raw = form.data.getlist("cpv") if hasattr(form.data, "getlist") else []
        codes = [p.strip() for v in raw for p in str(v).split(",") if p.strip()]
    codes = list(dict.fromkeys(codes))
    if not codes:
        return []
    valid = [c for c in codes if normalise_cpv(c)]
    labels = {c.code: c.label() for c in CpvCode.objects.filter(code__in=valid)} if valid else {}
    return [(c, labels.get(c, "")) for c in codes]


@register.simple_tag
def active_filter_count(form: Any) -> int:
    """How many filters (not the words, not the order) a bound search form sets: "Filters (3)"."""
    if not form.is_bound:
        return 0
    count = 0
    for name in form.fields:
        if name in {"q", "sort"}:
            continue
        value = form[name].value()
        if isinstance(value, list | tuple):
            count += len([v for v in value if v not in ("", None)])
        elif value not in ("", None, False):
            count += 1
    return count


@register.filter
def is_selected(value: Any, selected: Any) -> bool:
    """`{% if code|is_selected:form.country.value %}` — value in a bound field's (list) value."""
    if selected is None:
        return False
    if isinstance(selected, list | tuple | set):
        return str(value) in {str(s) for s in selected}
    return str(value) == str(selected)


# htmx adds this parameter to its GET requests (config getCacheBusterParam): never in a link.
HTMX_CACHE_BUSTER = "org.htmx.cache-buster"


@register.simple_tag(takes_context=True)
def search_params(context: template.Context) -> QueryDict:
    """The page's query parameters without htmx's cache buster: the base of pagination links,
    `{% search_params as params %}{% querystring params page=2 %}`."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params.pop(HTMX_CACHE_BUSTER, None)
    return params


@register.simple_tag(takes_context=True)
def querystring_without(context: template.Context, key: str, value: str) -> str:
    """The current query string without one value of a repeated parameter (and without `page`),
    e.g. the link of a chip's remove button. Works without JavaScript."""
    params = search_params(context)
    kept = [v for v in params.getlist(key) if v != value]
    params.setlist(key, kept)
    params.pop("page", None)
    return "?" + params.urlencode() if params else "?"


@register.simple_tag
def page_window(page: Any, on_each_side: int = 2, on_ends: int = 1) -> list[int | None]:
    """Page numbers around the current page, None where a run of pages is left out:
    [1, None, 7, 8, 9, 10, 11, None, 40]."""
    paginator = page.paginator
    return [
        None if n == paginator.ELLIPSIS else n
        for n in paginator.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends)
    ]


# Organisations ----------------------------------------------------------------------------------


@register.simple_tag
def colon() -> str:
    """What comes between a label and its text: ": ", and " : " in French (a space before the colon)."""
    return pgettext("between a label and its text", ": ")


class _ReadableUrlizer(Urlizer):
    """Django's urlize, showing an address as a person reads it: "/kb/статті/…", not "/kb/%D1%81%D1%82…". Only
    letters are decoded (uri_to_iri keeps "/", "?", "#" as they are written), and never a control or format
    character: "%E2%80%AE" (right to left) would make ".../fdp.exe" read ".../exe.pdf"."""

    def trim_url(self, x, *, limit):
        readable = "".join(
            quote(ch) if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in uri_to_iri(x)
        )
        return super().trim_url(readable, limit=limit)


_readable_urlize = _ReadableUrlizer()


@register.filter(needs_autoescape=True)
def text_with_links(value: Any, autoescape: bool = True) -> str:
    """A message's text (escaped) with its line breaks, and its web addresses as links that open (rel nofollow),
    shown readable and at most 60 characters long: a pasted address was 300 characters of percent signs."""
    html = _readable_urlize(
        normalize_newlines(str(value or "")), trim_url_limit=60, nofollow=True, autoescape=autoescape
    )
    return mark_safe(html.replace("\n", "<br>"))  # urlize escaped the text
