"""Small response helpers the apps share."""

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
