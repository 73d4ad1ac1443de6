"""The permission table: every page and API endpoint × every role -> the expected status.

Every new view or endpoint joins this table (a test below fails when a URL pattern is missing).
Roles: see greenbridge/core/demo.py. 302 = sent to the sign-in page.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from greenbridge.matching.models import CalendarFeed
from greenbridge.matching.services import star_toggle, watch_save
from greenbridge.tenders.models import Notice
from tests.conftest import ROLES

A, S, OS, M, V, P = ROLES  # anonymous, sme, other_sme, manager, advisor, operator


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int) -> dict[str, int]:
    return {**everyone(status), A: 302}


# The SME's private data (orgs.view_private): its people, and the cluster staff it shares with.
PRIVATE = {A: 302, S: 200, OS: 403, M: 200, V: 200, P: 403}


# (name, url template, {role: status}). {notice}, {sme}, {cluster} are filled in by the fixture.
TABLE = [
    ("home", "/", everyone(200)),
    ("tenders:notice_list", "/notices/", everyone(200)),
    ("tenders:notice_list (filtered)", "/notices/?q=water&country=UA&cpv=33100000&open=on", everyone(200)),
    ("tenders:notice_detail", "/notices/{notice}/", everyone(200)),
    ("tenders:notice_ics", "/notices/{notice}/deadline.ics", everyone(200)),
    ("orgs:mine", "/orgs/", signed_in(200)),
    ("orgs:create", "/orgs/new/", signed_in(200)),
    ("orgs:detail", "/orgs/{sme}/", everyone(200)),
    ("orgs:edit", "/orgs/{sme}/edit/", {A: 302, S: 200, OS: 403, M: 403, V: 403, P: 200}),
    ("orgs:directory", "/orgs/{cluster}/members/", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 200}),
    ("reference:cpv_picker", "/codes/cpv/?q=water", everyone(200)),
    ("reference:nace_picker", "/codes/nace/?q=36", everyone(200)),
    ("admin:index", "/admin/", {**everyone(302), P: 200}),
    ("account_login", "/accounts/login/", {**everyone(302), A: 200}),
    ("account_signup", "/accounts/signup/", {**everyone(302), A: 200}),
    ("account_reset_password", "/accounts/password/reset/", everyone(200)),
    ("api:api-root", "/api/v1/", everyone(404)),
    ("api:openapi-json", "/api/v1/openapi.json", everyone(200)),
    ("api:openapi-view", "/api/v1/docs", everyone(200)),
    ("api:list_notices", "/api/v1/notices", everyone(200)),
    ("api:get_notice", "/api/v1/notices/{notice}", everyone(200)),
    ("api:search_cpv", "/api/v1/codes/cpv?q=apa", everyone(200)),
    ("api:search_nace", "/api/v1/codes/nace?q=water", everyone(200)),
    # Matching: an SME's watches and inbox are its private data (its people, and the staff of the cluster it
    # shares with); operators run the platform and do not read them through the app.
    ("matching:watch_list", "/watches/", signed_in(200)),
    ("matching:watch_new", "/watches/new/{sme}/", PRIVATE),
    ("matching:watch_edit", "/watches/{watch}/", PRIVATE),
    ("matching:watch_delete", "/watches/{watch}/delete/", {**signed_in(405)}),
    ("matching:watch_preview", "/watches/preview/", signed_in(405)),
    ("matching:inbox", "/inbox/", signed_in(200)),
    ("matching:inbox (an organisation)", "/inbox/?org={sme}", signed_in(200)),
    ("matching:inbox_watch", "/inbox/watch/{watch}/", PRIVATE),
    ("matching:mark", "/inbox/{sme}/mark/{notice}/", signed_in(405)),
    ("matching:star", "/stars/{notice}/", signed_in(405)),
    # Forwarding a notice to a cluster's members: that cluster's staff only.
    ("matching:forward", "/inbox/{cluster}/forward/{notice}/", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 403}),
    ("matching:feed", "/alerts/feed/{feed_token}.atom", everyone(200)),
    ("matching:feed (wrong token)", "/alerts/feed/not-the-token.atom", everyone(404)),
    ("matching:calendar", "/alerts/calendar/{calendar_token}.ics", everyone(200)),
    ("matching:calendar (wrong token)", "/alerts/calendar/nope.ics", everyone(404)),
    ("matching:unsubscribe", "/alerts/unsubscribe/{unsubscribe_token}/", everyone(200)),
    ("matching:unsubscribe (wrong token)", "/alerts/unsubscribe/nope/", everyone(404)),
    ("api:list_watches", "/api/v1/watches", {**everyone(200), A: 401}),
    ("api:get_watch", "/api/v1/watches/{watch}", {A: 401, S: 200, OS: 404, M: 200, V: 200, P: 404}),
    ("api:list_matches", "/api/v1/watches/{watch}/matches", {A: 401, S: 200, OS: 404, M: 200, V: 200, P: 404}),
    ("api:set_mark", "/api/v1/marks", everyone(405)),
    ("api:list_forwards", "/api/v1/forwards", {**everyone(200), A: 401}),
    ("api:list_forwards (an organisation)", "/api/v1/forwards?organisation={sme}", {**PRIVATE, A: 401}),
]

# URL names that are deliberately not in the table, with the reason.
NOT_IN_TABLE = {
    "set_language": "POST-only language switch, no data",
    "javascript-catalog": "static translations",
    # Ninja names one URL after each operation; their GET rows cover who reaches the URL, and
    # tests/matching/test_alerts.py checks each write method per role.
    "api:create_watch": "POST on /api/v1/watches (GET row: api:list_watches)",
    "api:update_watch": "PUT on /api/v1/watches/{id} (GET row: api:get_watch)",
    "api:delete_watch": "DELETE on /api/v1/watches/{id} (GET row: api:get_watch)",
    "api:create_forwards": "POST on /api/v1/forwards (GET row: api:list_forwards; tests/matching/test_forwards.py)",
}


@pytest.fixture
def ids(orgs, users):
    notice = Notice.objects.create(
        source="test",
        source_id="n1",
        notice_type="competition",
        title="Water meters",
        buyer_country="UA",
        deadline=timezone.now() + timedelta(days=10),
        content_hash="x",
    )
    watch = watch_save(organisation=orgs["sme"], user=users["sme"], data={"keywords": ["water meters"]}, name="Meters")
    star_toggle(user=users["sme"], notice=notice)
    return {
        "notice": notice.pk,
        "sme": orgs["sme"].slug,
        "cluster": orgs["cluster"].slug,
        "watch": watch.pk,
        "feed_token": watch.feed_token,
        "calendar_token": CalendarFeed.objects.create(user=users["sme"]).token,
        "unsubscribe_token": watch.subscriptions.get().token,
    }


@pytest.mark.parametrize(("name", "url", "expected"), TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("role", ROLES)
def test_permission_table(client_for, ids, name, url, expected, role):
    response = client_for(role).get(url.format(**ids))
    assert response.status_code == expected[role], f"{role} GET {url}"


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else prefix
            yield from _named_patterns(p, ns if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def test_every_project_url_is_in_the_permission_table():
    covered = {row[0].split(" (")[0] for row in TABLE}
    ours = {
        n
        for n in _named_patterns()
        if n.split(":")[0] in {"home", "tenders", "orgs", "reference", "matching", "api"} or n == "home"
    }
    missing = ours - covered - set(NOT_IN_TABLE)
    assert not missing, f"add these views to the permission table: {sorted(missing)}"
