"""The site's own small views (the rest belong to their apps)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import timezones


@require_http_methods(["GET", "POST"])
def time_zone(request: HttpRequest) -> HttpResponse:
    """The time zone the site shows times in, linked from every page's footer. Chosen, it goes in the session, and
    on the person's account when signed in (it then follows them to their next sign-in); like Django's
    set_language, the form returns to `next`."""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    if request.method == "GET":
        context = {"zones": timezones.names(), "current": timezone.get_current_timezone_name(), "next": target}
        return render(request, "core/time_zone.html", context)
    name = (request.POST.get("time_zone") or "").strip()[: timezones.MAX_LENGTH]
    if not timezones.is_valid(name):
        messages.error(request, _("“%(zone)s” is not a time zone; nothing was changed.") % {"zone": name})
        return HttpResponseRedirect(target)
    request.session[timezones.SESSION_KEY] = name
    if request.user.is_authenticated and request.user.time_zone != name:
        request.user.time_zone = name
        request.user.save(update_fields=["time_zone"])
    return HttpResponseRedirect(target)
