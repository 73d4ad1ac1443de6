"""The whole API under generated requests (schemathesis, issue 11): every operation of the OpenAPI at
/api/v1/openapi.json, anonymous and signed in (an SME and a cluster manager, by session), with valid and
invalid inputs built from the schema, answers without a server error and as its schema says. The schema
bounds every input, so the generated values include each bound and one past it (the coverage cases).

Generated values rarely name a real watch, notice, service, engagement, article or organisation, so three times in
four the fields that refer to one are replaced by real ones (and writes succeed: watches are created, marks set,
notices forwarded, services requested). Each
request runs in its own transaction, rolled back after it: a generated DELETE cannot take away what the next
request relies on. The number of examples is fixed and the generation derandomised, so a run is repeatable
and takes about a minute; GREENBRIDGE_FUZZ_EXAMPLES raises it for a deeper search."""

import os
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from greenbridge.api import api
from greenbridge.helpdesk.models import Ticket
from greenbridge.knowledge import services as knowledge
from greenbridge.matching import services as matching
from greenbridge.matching.models import Mark
from greenbridge.partnering.models import Opportunity
from greenbridge.portfolio.models import Engagement, Service
from greenbridge.tenders.models import Notice
from tests.conftest import connection_kept_open, ingest_real_notices

EXAMPLES = int(os.environ.get("GREENBRIDGE_FUZZ_EXAMPLES", "10"))  # per operation, role and mode
ROLES = ("anonymous", "sme", "manager")
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
CSRF = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # a CSRF secret of 32 letters: the cookie and the header agree

OPENAPI = api.get_openapi_schema()
OPERATIONS = sorted(
    f"{method.upper()} {path}"
    for path, methods in OPENAPI["paths"].items()
    for method in methods
    if method in {"get", "post", "put", "patch", "delete"}
)


def test_every_operation_of_the_api_is_fuzzed():
    assert len(OPERATIONS) == 33
    assert "GET /api/v1/market/stats" in OPERATIONS
    assert "GET /api/v1/notices" in OPERATIONS
    assert "GET /api/v1/articles/{article_id}" in OPERATIONS
    assert "DELETE /api/v1/watches/{watch_id}" in OPERATIONS


def _unbounded(schema: dict[str, Any], where: str) -> list[str]:
    """Where a request schema lets a value through without a bound (greenbridge.core.bounds)."""
    if "$ref" in schema:
        schema = OPENAPI["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    out = []
    for key in ("anyOf", "oneOf", "allOf"):
        for i, branch in enumerate(schema.get(key, [])):
            out += _unbounded(branch, f"{where}|{i}")
    kind = schema.get("type")
    if kind in ("integer", "number") and not ("maximum" in schema and "minimum" in schema):
        out.append(f"{where}: a number without minimum and maximum")
    if kind == "string" and not ({"maxLength", "enum", "format"} & set(schema)):
        out.append(f"{where}: text without maxLength")
    if kind == "array":
        if "maxItems" not in schema:
            out.append(f"{where}: a list without maxItems")
        out += _unbounded(schema.get("items", {}), f"{where}[]")
    for name, prop in schema.get("properties", {}).items():
        out += _unbounded(prop, f"{where}.{name}")
    return out


def test_every_input_of_the_api_is_bounded():
    """What reaches SQL is bounded by the schema itself (a page of 2**62 once made SQLite fail with
    "datatype mismatch"): every number has a minimum and maximum, every text a length, every list a size."""
    problems = []
    for path, methods in OPENAPI["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                problems += _unbounded(parameter["schema"], f"{method.upper()} {path} {parameter['name']}")
            for media in operation.get("requestBody", {}).get("content", {}).values():
                problems += _unbounded(media["schema"], f"{method.upper()} {path} body")
    assert problems == []


@pytest.fixture
def wsgi_app():
    """The real WSGI application in this process and thread, so that it sees the test's database (its connection
    kept open between requests, as the test client keeps it)."""
    with connection_kept_open():
        yield WSGIHandler()


@pytest.fixture
def api_schema(wsgi_app, db):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)


@pytest.fixture(scope="module")
def real(module_demo) -> dict[str, Any]:
    """What requests may refer to: the demo's organisations, real notices, watches of two organisations,
    the marketplace's opportunities; and a session cookie per role. Made once for the module (module_db): each
    test's requests are undone as it ends."""
    demo = module_demo.read()
    orgs, users = demo.orgs, demo.users
    ingest_real_notices()
    sme_watch = matching.watch_save(
        organisation=orgs["sme"], user=users["sme"], data={"cpv_codes": ["38421100"]}, name="Meters"
    )
    other_watch = matching.watch_save(
        organisation=orgs["other_sme"], user=users["other_sme"], data={"keywords": ["solar"]}, name="Solar"
    )
    articles = [
        knowledge.article_create(
            organisation=orgs["cluster"],
            title=title,
            body="The European Single Procurement Document: parts II to IV.",
            language=language,
            visibility=visibility,
            status="published",
        ).pk
        for title, language, visibility in (
            ("ESPD step by step", "en", "public"),
            ("DUAE pas cu pas", "ro", "public"),
            ("ESPD: advisors' checklist", "en", "internal"),
        )
    ]
    others = [orgs[k].slug for k in ("sme", "other_sme", "cluster", "procurer")] + ["no-such-organisation"]
    cookies, values = {}, {}
    notice_ids = list(Notice.objects.values_list("pk", flat=True))
    for role in ROLES:
        cookies[role] = {}
        if role != "anonymous":
            client = Client()
            client.force_login(users[role])
            cookies[role] = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
        own = orgs["cluster" if role == "manager" else "sme"].slug
        slugs = st.sampled_from([own, own, *others])  # mostly an organisation the person may act for
        members = st.lists(st.sampled_from([orgs["sme"].slug, orgs["other_sme"].slug, *others]), max_size=3)
        values[role] = {
            "watch_id": st.sampled_from([sme_watch.pk, other_watch.pk]),
            "notice_id": st.sampled_from(notice_ids),
            "opportunity_id": st.sampled_from(list(Opportunity.objects.values_list("pk", flat=True))),
            "service_id": st.sampled_from(list(Service.objects.values_list("pk", flat=True))),
            "engagement_id": st.sampled_from(list(Engagement.objects.values_list("pk", flat=True))),
            "ticket_id": st.sampled_from(list(Ticket.objects.values_list("pk", flat=True))),
            "queue": st.sampled_from(["danube-procurement", "danube-funding", "nowhere"]),
            "article_id": st.sampled_from(articles),
            "language": st.sampled_from(["en", "ro", "uk", "xx", ""]),
            "dimension": st.sampled_from(["eu-edih-dma-sme:data_management", "nowhere:nothing"]),
            "organisation": slugs,
            "cluster": slugs,
            "members": members,
            "forward_to": st.none() | members,
            "cpv_codes": st.lists(st.sampled_from(["38421100", "09331200-0", "45232150", "99999999"]), max_size=3),
            "keywords": st.lists(st.sampled_from(["water meters", "pumps", "apă", "solar*"]), max_size=3),
            "countries": st.lists(st.sampled_from(["MD", "Ukraine", "EAP", "XX"]), max_size=2),
            "green_sectors": st.lists(st.sampled_from(["water", "renewable_energy", "nowhere"]), max_size=2),
            "notice_types": st.lists(st.sampled_from(["planning", "competition", "award"]), max_size=2),
            "min_score": st.sampled_from([0.05, 0.3, 1]),
            "value_min": st.none() | st.sampled_from(["0", "1500.50", "9999999999999.99"]),
            "value_max": st.none() | st.sampled_from(["2000000", "9999999999999.99"]),
            "webhook_url": st.sampled_from(["", "https://hooks.example/greenbridge"]),
            "value": st.sampled_from([*Mark.Value.values, "", "maybe"]),
            "q": st.sampled_from(["water", "водопостачання", '"solar panels"', "-gas", "espd", "DUAE -pas"]),
            "cpv": st.sampled_from(["90400000", "0933", "45232150-8"]),
        }
    return {"cookies": cookies, "values": values}


def _realistic(case, data, values: dict[str, st.SearchStrategy]) -> None:
    """Three times in four, the fields that name a watch, notice or organisation name real ones (and a watch
    has the fields it is made of, which generation often leaves out)."""
    if not data.draw(st.integers(0, 3), label="realistic"):
        return
    for container in (case.path_parameters, case.query, case.body):
        if not isinstance(container, dict):
            continue
        names = set(container)
        if {"organisation", "name"} <= names:  # a watch
            names |= {"cpv_codes", "keywords", "countries", "green_sectors", "notice_types", "min_score"}
        for name in sorted(names):
            if name in values:
                value = data.draw(values[name], label=name)
                container[name] = [value] if name == "cpv" and isinstance(container[name], list) else value


def _send(case, cookies: dict[str, str]) -> None:
    with transaction.atomic():  # each request alone: rolled back after it
        response = case.call(cookies=cookies, headers={"X-CSRFToken": CSRF})
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)


def _boundaries(api_schema, endpoint, cookies: dict[str, dict[str, str]]) -> None:
    """Schemathesis's coverage cases: each bound, one past it, each wrong type, each missing field (the
    roles take turns)."""
    config = api_schema.config.generation_for(operation=endpoint, phase="coverage")
    cases = api_schema.iter_coverage_cases(
        endpoint, generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], generation_config=config
    )
    for i, case in enumerate(cases):
        _alone(case)
        _send(case, cookies[ROLES[i % len(ROLES)]])


def _alone(case) -> None:
    """A coverage case that tries a bound of one query parameter sends that parameter alone: the values it
    gives the others (a CPV code of twenty zeros…) would be refused first and hide what is tried."""
    data = case.meta.phase.data if case.meta else None
    if getattr(data, "parameter_location", None) != "query" or not isinstance(case.query, dict):
        return
    for name in list(case.query):
        if name != data.parameter:
            del case.query[name]


def _fuzz(endpoint, mode: GenerationMode, cookies: dict[str, str], values: dict[str, st.SearchStrategy]) -> None:
    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=endpoint.as_strategy(generation_mode=mode), data=st.data())
    def request(case, data):
        _realistic(case, data, values)
        _send(case, cookies)

    request()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_api_answers_generated_requests_without_a_server_error(operation, api_schema, real):
    method, path = operation.split(" ", 1)
    endpoint = api_schema[path][method]
    cookies = {role: {**real["cookies"][role], settings.CSRF_COOKIE_NAME: CSRF} for role in ROLES}
    _boundaries(api_schema, endpoint, cookies)
    spec = OPENAPI["paths"][path][method.lower()]
    # An operation that takes nothing (no parameter, no body) has no wrong input to generate.
    modes = [GenerationMode.POSITIVE]
    if spec.get("parameters") or spec.get("requestBody"):
        modes.append(GenerationMode.NEGATIVE)
    for role in ROLES:
        for mode in modes:
            _fuzz(endpoint, mode, cookies[role], real["values"][role])
