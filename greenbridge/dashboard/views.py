from django.shortcuts import render
from django.utils import timezone

from greenbridge.tenders.selectors import notice_stats, notices_closing_soon

from . import panels, services
from .context_processors import request_roles


def home(request):
    """Visitors get the public home page; a signed-in person their dashboard, with a panel for each of their roles
    (an SME, a cluster's staff, a public buyer, an operator)."""
    if request.user.is_authenticated:
        return dashboard(request)
    stats = notice_stats(user=request.user)
    closing = notices_closing_soon(user=request.user)
    return render(request, "dashboard/home.html", {"stats": stats, "closing": closing})


def sources(request):
    """Where the notices come from, with their licences (the footer's link, for visitors and signed-in people)."""
    return render(request, "dashboard/sources.html")


def dashboard(request):
    now = timezone.now()
    roles = request_roles(request)
    window = panels.Window(now=now, previous=services.visit_record(user=request.user, now=now))
    context = {"roles": roles, "window": window, "now": now, **panels.panels(request.user, roles, window)}
    context["panel_count"] = sum(map(len, (context["companies"], context["clusters"], context["buyers"]))) + bool(
        context["operator"]
    )
    return render(request, "dashboard/dashboard.html", context)
