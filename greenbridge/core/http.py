"""Small response helpers the apps share."""

import csv
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme


def calendar_response(ics: bytes, filename: str | None = None) -> HttpResponse:
    """An iCalendar response; with a file name, a download (else a feed calendar apps subscribe to)."""
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def safe_next(request) -> str:
    """The ?next= / next field to go back to, when it stays on this site; else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


def spreadsheet_safe(value):
    """Spreadsheets run cells starting with = + - @ (or a tab or carriage return) as formulas: text that people
    typed is quoted so that it stays text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(rows: list[list], name: str) -> HttpResponse:
    """A CSV download; the byte-order mark makes Excel read it as UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def xlsx_response(rows: list[list], name: str, sheet: str) -> HttpResponse:
    """An Excel download of rows (the first the header, kept in view), sheet named `sheet`."""
    return xlsx_sheets_response([(sheet, rows)], name)


def xlsx_sheets_response(sheets: list[tuple[str, list[list]]], name: str) -> HttpResponse:
    """An Excel download of several sheets: (sheet name, rows), each row list's first the header, kept in view."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        page = book.create_sheet(title[:31])  # Excel's limit
        for row in rows:
            page.append(row)
        page.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


class NullCharacterMiddleware:
    """Answer 400 (the 400 page, in plain words) to a request whose query or form data holds a NUL character: no
    field accepts one (Django's text fields refuse it), PostgreSQL can neither store nor compare one, and a view that
    reads a parameter itself (a slug, a status) would otherwise fail with a server error. The API checks its own
    input (its schemas) and answers in JSON: it is left to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and (
            _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST))
        ):
            raise BadRequest("a NUL character in the request's data")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class ReaderLanguageMiddleware:
    """Remembers the language a signed-in person reads the site in (`User.language`), so that e-mails sent to
    them by someone else's action (a meeting request, an answer to their question) are in it. One write when it
    changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(request, "LANGUAGE_CODE", "")
        # Blank stands for the site's language: no write for those who read in it.
        signed_in = user is not None and user.is_authenticated
        if signed_in and language and (user.language or settings.LANGUAGE_CODE) != language:
            get_user_model().objects.filter(pk=user.pk).update(language=language)
            user.language = language
        return self.get_response(request)
