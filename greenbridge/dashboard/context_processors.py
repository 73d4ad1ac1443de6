"""The signed-in person's roles for every page (the menus follow them), read once per request and only if a
template asks."""

from django.utils.functional import SimpleLazyObject

from greenbridge.orgs.selectors import Roles, roles_of


def request_roles(request) -> Roles:
    """The roles of the person making the request, read once per request (the menus and the dashboard share it)."""
    if not hasattr(request, "_greenbridge_roles"):
        request._greenbridge_roles = roles_of(user=request.user)
    return request._greenbridge_roles


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"roles": SimpleLazyObject(lambda: request_roles(request))}
