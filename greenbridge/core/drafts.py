"""A refused form, drawn again filled in: what was typed is not lost to one wrong value.

A form posted to its own URL redirects back to the page it is part of (an assessment, a strategy), which draws
every form afresh. The view that refuses it keeps its fields in the session (`keep`); the page takes them, once
(`take`), and draws that form bound to them, with its errors beside its fields."""

from django.db.models import Model
from django.http import HttpRequest, QueryDict

SESSION_KEY = "refused-form"


def keep(request: HttpRequest, obj: Model, form: str, prefix: str = "") -> None:
    """Keep the posted fields of the form `form` of the page of `obj` (those of `prefix`, when the page has several
    forms with prefixes)."""
    data = {
        key: request.POST.getlist(key)
        for key in request.POST
        if key != "csrfmiddlewaretoken" and (not prefix or key.startswith(f"{prefix}-"))
    }
    request.session[SESSION_KEY] = {"object": _label(obj), "form": form, "data": data}


def take(request: HttpRequest, obj: Model) -> tuple[str, QueryDict | None]:
    """The refused form kept for the page of `obj` (its name, its data), once; ("", None) when there is none."""
    kept = request.session.pop(SESSION_KEY, None)
    if not isinstance(kept, dict) or kept.get("object") != _label(obj):
        return "", None
    data = QueryDict(mutable=True)
    for key, values in (kept.get("data") or {}).items():
        data.setlist(key, values)
    return str(kept.get("form", "")), data


def _label(obj: Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"
