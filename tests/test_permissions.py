"""The permission table: every page and API endpoint × every role -> the expected status.

Every new view or endpoint joins this table (a test below fails when a URL pattern is missing).
Roles: see greenbridge/core/demo.py. 302 = sent to the sign-in page.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from greenbridge.tenders.models import Notice
from tests.conftest import ROLES

A, S, OS, M, V, P = ROLES  # anonymous, sme, other_sme, manager, advisor, operator


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int) -> dict[str, int]:
    return {**everyone(status), A: 302}


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
]

# URL names that are deliberately not in the table, with the reason.
NOT_IN_TABLE = {
    "set_language": "POST-only language switch, no data",
    "javascript-catalog": "static translations",
}


@pytest.fixture
def ids(orgs):
    notice = Notice.objects.create(
        source="test",
        source_id="n1",
        notice_type="competition",
        title="Water meters",
        buyer_country="UA",
        deadline=timezone.now() + timedelta(days=10),
        content_hash="x",
    )
    return {"notice": notice.pk, "sme": orgs["sme"].slug, "cluster": orgs["cluster"].slug}


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
        if n.split(":")[0] in {"home", "tenders", "orgs", "reference", "api"} or n == "home"
    }
    missing = ours - covered - set(NOT_IN_TABLE)
    assert not missing, f"add these views to the permission table: {sorted(missing)}"
