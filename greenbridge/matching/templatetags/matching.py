from django import template

from greenbridge.matching.explain import described
from greenbridge.matching.models import Star
from greenbridge.matching.selectors import notice_matches_for_user
from greenbridge.orgs.selectors import clusters_staffed_by

register = template.Library()


@register.inclusion_tag("matching/_why.html", takes_context=True)
def why_matches(context, notice):
    """“Why this matches you” on a notice page: the signed-in user's watches that matched it."""
    request = context["request"]
    matches = notice_matches_for_user(user=request.user, notice=notice)
    rows = [{"match": m, "reasons": described(m.explanation)} for m in matches]
    starred = request.user.is_authenticated and Star.objects.filter(user=request.user, notice=notice).exists()
    clusters = clusters_staffed_by(user=request.user)
    return {
        "rows": rows,
        "notice": notice,
        "request": request,
        "user": request.user,
        "starred": starred,
        "clusters": clusters,
    }
