"""Every HTML form of the site under absurd values: "an absurd form value is reported in plain words; other data is
untouched; never a 500" (tests/test_api_fuzz.py makes the same promise for the API).

For each page of the permission table, as the most privileged role that reads it (then as each other role that reads
it, for the forms only that role is shown), every POST form on the page is submitted three times as a browser would
send it, with each visible field replaced: "huge" (numbers and dates past any column, 20,000 characters of text, a
choice that is not offered), "odd" (1e309, NaN, 30 February, NUL and right-to-left characters, SQL, javascript:
links) and "empty" (every field sent blank, groups with an id no row has).
Hidden fields (the CSRF token, `next`, ids) keep their values. A form is sent to its action, to each `formaction`
of its buttons, to each named button's value and to its `hx-post` (as htmx, which sends the same fields); forms
that differ only by the row they act on (a mark per notice) are sent once per page.

So is every GET form with a field to fill (a search, a filter; the method a form has without one), as a GET with its
fields as the query string, to its action (the page when it has none) and to its `hx-get`. A NUL character is
answered 400 by a middleware before any view reads the rest, so "odd" (GET or POST) is also sent without it. Then the
page's own query string, when its URL has one (as the first role only): once per variant with every
parameter absurd by the kind of its value ("huge", "odd", "empty", "swapped": a word for a number, a number for a
word) and an absurd `page` (past 64 bits, 1e309, -1, abc).

Each request runs in a savepoint rolled back after it, even a GET (which should not write): the next one finds the
page's data as it was drawn. Every server error of a page (a status of 500 or more; a 400 is an answer) is gathered
(the test client raises the view's exception) and reported together, with the fields or parameters that bring it
about alone (the form as drawn or the page's query, one of them absurd) and the frames of the application it passed
through. GREENBRIDGE_FORM_FUZZ_EACH=1 sends every field alone absurd whatever happens (a deeper, slower search).

Some forms are drawn only when the data is in a state the table's pages do not show (a request for a service
awaiting its answer, an engagement under way, an inbox with matches, a meeting past, an interest pending, an action
plan, a ticket resolved, a cluster awaiting verification, a strategy with a target market). A second test takes the
table's data into each such state through the services the app calls (STATES), fuzzes the page as above as the roles
shown those forms, and also fails when a view the case names is not posted to (its form no longer drawn there)."""

import os
import re
import traceback
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html
import pytest
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from tests.conftest import connection_kept_open
from tests.test_permissions import TABLE, ids  # noqa: F401 (ids: the fixture that fills in the URLs)

ORIGIN = "http://testserver"
# Who submits a page's forms: the first of these that reads it (the most privileged first: they see the most forms),
# then each other one that reads it, for the forms only it is shown (a company's own buttons).
PREFERRED = ("manager", "sme", "operator", "advisor", "other_sme", "anonymous")
# Forms that lead away (signing out, the language switch): nothing of the page's data to break.
LEFT_OUT_ACTIONS = ("/accounts/logout/", "/admin/logout/", "/i18n/setlang/")
NOT_HTML = (".ics", ".csv", ".xlsx", ".pdf", ".docx", ".atom")
APP = str(Path(__file__).resolve().parent.parent / "greenbridge")

HUGE_NUMBER = "99999999999999999999"  # past a 64-bit integer
LONG_TEXT = "x" * 20_000
ODD_TEXT = "\x00 NUL \u202e RTL \U0001d54f '; DROP TABLE x; --"
ODD_NUMBERS = ("1e309", "-1", "NaN")
NOT_OFFERED = "999999999"
BUTTON_KINDS = {"submit", "image"}
VARIANTS = ("huge", "odd", "empty")
# A page's own query string: each parameter absurd by the kind its value has (a number, a month or day, a word), with
# an absurd `page` of each kind. "swapped": a word where the page has a number, a number where it has a word.
QUERY_VARIANTS = {"huge": HUGE_NUMBER, "odd": "1e309", "empty": "-1", "swapped": "abc"}
# GREENBRIDGE_FORM_FUZZ_EACH=1 also sends the form as drawn with one field at a time absurd (about 15 times the POSTs):
# a value its field lets through reaches the service and the database only when the rest of the form is valid.
EACH_FIELD = os.environ.get("GREENBRIDGE_FORM_FUZZ_EACH") == "1"


def _roles(expected: dict[str, int]) -> list[str]:
    return [role for role in PREFERRED if expected.get(role) == 200]


def _fuzzed_rows():
    for name, url, expected in TABLE:
        path = urlsplit(url).path
        if not _roles(expected) or path.startswith("/api/") or path.endswith(NOT_HTML):
            continue
        yield pytest.param(url, _roles(expected), id=name)


ROWS = list(_fuzzed_rows())


def _kind(el) -> str:
    if el.tag == "input":
        return (el.get("type") or "text").lower()
    if el.tag == "button":
        return (el.get("type") or "submit").lower()
    return el.tag  # select, textarea


def _controls(page, form) -> list[tuple[str, str, object]]:
    """(name, kind, element) of every named control the form submits, in document order: its own (less those given
    to another form) and those elsewhere that name it in their `form` attribute; disabled ones are not sent."""
    own = [el for el in form.inputs if not el.get("form") or el.get("form") == form.get("id")]
    elsewhere = []
    if form.get("id"):
        elsewhere = page.xpath("//*[@form=$id][self::input or self::select or self::textarea]", id=form.get("id"))
    out = []
    for el in [*own, *(e for e in elsewhere if e not in own)]:
        name = el.get("name")
        if name and el.get("disabled") is None:
            out.append((name, _kind(el), el))
    return out


def _buttons(form) -> list:
    return [el for el in form.xpath(".//button|.//input") if _kind(el) in BUTTON_KINDS and el.get("disabled") is None]


def _value(name: str, kind: str, el, variant: str, index: int, groups: set[str]) -> list[str] | None:
    """What the browser sends for one control in a variant (None: nothing sent)."""
    if kind == "hidden":
        return [el.get("value", "")]
    if kind == "file" or kind in BUTTON_KINDS or kind in ("button", "reset"):
        return None
    multiple = kind == "select" and el.get("multiple") is not None
    if variant == "huge":
        return {
            "number": [HUGE_NUMBER],
            "range": [HUGE_NUMBER],
            "date": ["99999-12-31"],
            "datetime-local": ["0000-00-00T99:99"],
            "time": ["25:61"],
            "select": [HUGE_NUMBER],
            "checkbox": [HUGE_NUMBER],
            "radio": [HUGE_NUMBER],
        }.get(kind, [LONG_TEXT])
    if variant == "odd":
        return {
            "number": [ODD_NUMBERS[index % len(ODD_NUMBERS)]],
            "range": [ODD_NUMBERS[index % len(ODD_NUMBERS)]],
            "date": ["2024-02-30"],
            "datetime-local": ["2024-02-30T24:60"],
            "time": ["-1:-1"],
            "email": ["not-an-email"],
            "url": ["javascript:alert(1)"],
        }.get(kind, [ODD_TEXT])
    # empty: every field present and blank; a group (a multiple select, boxes sharing a name) an id no row has
    if multiple or (kind == "checkbox" and name in groups):
        return [NOT_OFFERED]
    return [""]


def _data(controls, variant: str, button) -> dict[str, list[str]]:
    names = [name for name, kind, _ in controls if kind == "checkbox"]
    groups = {n for n in names if names.count(n) > 1}
    data: dict[str, list[str]] = {}
    numbers = 0
    for name, kind, el in controls:
        if kind in ("checkbox", "radio") and name in data:
            continue  # one value for a group of boxes or radios
        values = _value(name, kind, el, variant, numbers, groups)
        numbers += kind in ("number", "range")
        if values is not None:
            data.setdefault(name, []).extend(values)
    if button is not None and button.get("name"):
        data.setdefault(button.get("name"), []).append(button.get("value", ""))
    return data


def _target(page_url: str, action: str | None) -> str | None:
    """The path (with query) a form posts to, or None for another origin and the forms left out."""
    absolute = urljoin(page_url, (action or "").strip())
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN or parts.path.startswith(LEFT_OUT_ACTIONS):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _submissions(page_url: str, page, form, method: str):
    """(target, button or None, htmx, controls) for each way the form is sent (a GET: its fields replace the query
    of the target, as a browser's)."""
    controls = _controls(page, form)
    buttons = _buttons(form)
    plain = [b for b in buttons if not b.get("formaction")]
    ways = []
    # The form's own action: with the default button (the first; none when it has none), then each other named one.
    if plain or not buttons:
        pressed = plain[:1] or [None]
        pressed += [b for b in plain[1:] if b.get("name")]
        ways += [(_target(page_url, form.get("action")), button, False) for button in pressed]
    for button in buttons:
        if button.get("formaction"):
            ways.append((_target(page_url, button.get("formaction")), button, False))
    if form.get(f"hx-{method}"):
        ways.append((_target(page_url, form.get(f"hx-{method}")), None, True))
    if method == "get":
        ways = [(target and urlsplit(target).path, button, htmx) for target, button, htmx in ways]
    return [(target, button, htmx, controls) for target, button, htmx in ways if target is not None]


def _view_name(target: str) -> str:
    try:
        return resolve(urlsplit(target).path).view_name
    except Resolver404:
        return target


def _key(method: str, target: str, button, htmx: bool, controls) -> tuple:
    """Forms alike but for the row they act on (the same method, view, fields and button) are sent once."""
    pressed = (button.get("name"), button.get("value")) if button is not None and button.get("name") else None
    return method, _view_name(target), pressed, htmx, tuple(sorted({(name, kind) for name, kind, _ in controls}))


def _normal(controls, button) -> dict[str, list[str]]:
    """What the browser sends for the form as drawn (ticked boxes, selected options, the values shown)."""
    data: dict[str, list[str]] = {}
    for name, kind, el in controls:
        if kind in ("file", "button", "reset") or kind in BUTTON_KINDS:
            continue
        if kind in ("checkbox", "radio"):
            values = [el.get("value", "on")] if el.get("checked") is not None else []
        elif kind == "select":
            options = el.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and el.get("multiple") is None:
                chosen = options[:1]
            values = [o.get("value", o.text_content()) for o in chosen]
        elif kind == "textarea":
            text = el.text or ""  # without the newline after <textarea>, which a browser's parser drops
            values = [text.removeprefix("\n")]
        else:
            values = [el.get("value", "")]
        if values:
            data.setdefault(name, []).extend(values)
    if button is not None and button.get("name"):
        data.setdefault(button.get("name"), []).append(button.get("value", ""))
    return data


def _visible(controls) -> list[str]:
    return list(dict.fromkeys(n for n, kind, _ in controls if kind != "hidden" and kind != "file"))


def _fields(controls) -> list[str]:
    """The controls that take an absurd value (not the hidden ones, files and buttons)."""
    left_out = {"hidden", "file", "button", "reset", *BUTTON_KINDS}
    return [name for name, kind, _ in controls if kind not in left_out]


def _without_nul(data: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: [value.replace("\x00", "") for value in values] for name, values in data.items()}


def _query_value(value: str, variant: str, index: int) -> str:
    """An absurd value for a query parameter, by the kind of the value the page has (without NUL, which the
    middleware answers 400 before any view reads the rest)."""
    if re.fullmatch(r"-?\d+", value):
        kind = "number"
    elif re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
        kind = "date"
    else:
        kind = "text"
    if variant == "swapped":
        return "abc" if kind == "number" else HUGE_NUMBER
    [absurd] = _value("", kind, None, variant, index, set())
    return absurd.replace("\x00", "")


def _query(url: str, variant: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The page's query parameters as drawn and in a variant (each absurd, `page` added when missing)."""
    drawn: dict[str, list[str]] = {}
    for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        drawn.setdefault(name, []).append(value)
    page = QUERY_VARIANTS[variant]
    absurd: dict[str, list[str]] = {}
    for index, (name, values) in enumerate(drawn.items()):
        absurd[name] = [page if name == "page" else _query_value(v, variant, index) for v in values]
    absurd.setdefault("page", [page])
    return drawn, absurd


def _where(exc: BaseException) -> str:
    """The view's frame, the innermost frame of the application's code and the innermost of all."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [
        f"greenbridge{f.filename.removeprefix(APP)}:{f.lineno} in {f.name}"
        for f in frames
        if f.filename.startswith(APP)
    ]
    last = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "-"
    return f"view {ours[0] if ours else '-'}; app {ours[-1] if ours else '-'}; raised at {last}"


def _send(client, method: str, target: str, data: dict[str, list[str]], htmx: bool) -> str | None:
    """Sends (GET: the data as the query string) in a savepoint rolled back after it, even a GET, which should not
    write; the server error, if any, in a line."""
    try:
        with transaction.atomic():
            send = client.post if method == "POST" else client.get
            answer = send(target, data, headers={"HX-Request": "true"} if htmx else {})
            with connection_kept_open():
                answer.close()
            transaction.set_rollback(True)
    except Exception as exc:  # the view's exception, raised again by the test client
        message = " ".join(str(exc).split())[:300]
        return f"{type(exc).__name__}: {message}\n      at {_where(exc)}"
    return f"answered {answer.status_code}" if answer.status_code >= 500 else None


def _culprits(client, method, target, htmx, controls, button, variant_data) -> str:
    """Which fields alone, in the form as drawn, bring a server error about (and which)."""
    normal = _normal(controls, button)
    if error := _send(client, method, target, normal, htmx):
        return f"\n    the form as drawn too: {error}"
    alone = []
    for name in (n for n in _visible(controls) if n in variant_data):
        if error := _send(client, method, target, {**normal, name: variant_data[name]}, htmx):
            alone.append(f"\n    {name} alone: {error}")
    return "".join(alone) or "\n    no field alone (only together)"


def _fuzz_form(client, method: str, target: str, button, htmx: bool, controls) -> tuple[int, list[str]]:
    """Sends a form in each variant ("odd" also without its NUL characters, answered 400 by the middleware before the
    view reads the rest): (the number of requests, the server errors)."""
    where = f"{method} {target}{' (htmx)' if htmx else ''}"
    failures, sent = [], 0
    for variant in VARIANTS:
        data = _data(controls, variant, button)
        tries = [(variant, data)]
        if _without_nul(data) != data:
            tries.append((f"{variant} without NUL", _without_nul(data)))
        for label, sent_data in tries:
            sent += 1
            if error := _send(client, method, target, sent_data, htmx):
                fields = "" if EACH_FIELD else _culprits(client, method, target, htmx, controls, button, sent_data)
                failures.append(f"{where} [{label}]: {error}{fields}")
    if EACH_FIELD:
        normal = _normal(controls, button)
        for variant in VARIANTS:
            data = _data(controls, variant, button)
            for name in (n for n in _visible(controls) if n in data):
                sent += 1
                if error := _send(client, method, target, {**normal, name: data[name]}, htmx):
                    failures.append(f"{where} [{variant}] {name} alone: {error}")
    return sent, failures


def _fuzz_query(client, page_url: str) -> tuple[int, list[str]]:
    """GETs the page with its query parameters absurd, each variant at once, then (when that fails) one parameter at
    a time: (the number of GETs, the server errors)."""
    path = urlsplit(page_url).path
    failures, gets = [], 0
    for variant in QUERY_VARIANTS:
        drawn, absurd = _query(page_url, variant)
        gets += 1
        if not (error := _send(client, "GET", path, absurd, False)):
            continue
        alone = []
        for name, values in absurd.items():
            gets += 1
            if culprit := _send(client, "GET", path, {**drawn, name: values}, False):
                alone.append(f"\n    {name}={values[0][:40]!r} alone: {culprit}")
        culprits = "".join(alone) or "\n    no parameter alone (only together)"
        failures.append(f"GET {path} with its query absurd [{variant}]: {error}{culprits}")
    return gets, failures


class Fuzzed(NamedTuple):
    """What fuzzing a page sent: the number of POSTs and of GETs, the server errors, and the URL names of the views
    its POSTs went to (a page's forms that `seen` held back count: another role's were sent)."""

    posts: int
    gets: int
    failures: list[str]
    posted: set[str]


def _fuzz_page(client, page_url: str, seen: set) -> Fuzzed | None:
    """Sends the page's forms not in `seen` in each variant, and the first time its query string absurd; None when
    the page is not HTML."""
    response = client.get(page_url)
    with connection_kept_open():
        response.close()
    assert response.status_code == 200, f"GET {page_url}: {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    page = lxml.html.fromstring(response.content)
    failures, sent, posted = [], {"POST": 0, "GET": 0}, set()
    for form in page.forms:
        method = (form.get("method") or "get").upper()
        if method not in sent:
            continue  # a dialog's form: nothing sent
        for target, button, htmx, controls in _submissions(urljoin(ORIGIN, page_url), page, form, method.lower()):
            key = _key(method, target, button, htmx, controls)
            if method == "POST":
                posted.add(_view_name(target))
            if key in seen or (method == "GET" and not _fields(controls)):
                continue
            seen.add(key)
            count, errors = _fuzz_form(client, method, target, button, htmx, controls)
            sent[method] += count
            failures += errors
    if urlsplit(page_url).query and ("query", page_url) not in seen:
        seen.add(("query", page_url))
        count, errors = _fuzz_query(client, page_url)
        sent["GET"] += count
        failures += errors
    return Fuzzed(sent["POST"], sent["GET"], list(dict.fromkeys(failures)), posted)


def _fuzz_as(client_for, page_url: str, roles) -> Fuzzed | None:
    """The page fuzzed as each role in turn (each sending only the forms the ones before it were not shown), or None
    when it is not HTML."""
    seen: set = set()
    total = Fuzzed(0, 0, [], set())
    for role in roles:
        fuzzed = _fuzz_page(client_for(role), page_url, seen)
        if fuzzed is None:
            return None
        total = Fuzzed(
            total.posts + fuzzed.posts,
            total.gets + fuzzed.gets,
            total.failures + [f"as {role}: {failure}" for failure in fuzzed.failures],
            total.posted | fuzzed.posted,
        )
    return total


def _report(page_url: str, fuzzed: Fuzzed) -> str:
    heading = f"GET {page_url}, {fuzzed.posts} POSTs, {fuzzed.gets} GETs, {len(fuzzed.failures)} server errors:"
    return "\n".join([heading, *fuzzed.failures])


@pytest.mark.parametrize(("url", "roles"), ROWS)
def test_forms_take_absurd_values_without_a_server_error(client_for, ids, url, roles):  # noqa: F811 (ids)
    """As the most privileged role that reads the page, then as each other one for the forms only it is shown."""
    page_url = url.format(**ids)
    fuzzed = _fuzz_as(client_for, page_url, roles)
    if fuzzed is None:
        pytest.skip(f"GET {page_url}: not a page")
    if not fuzzed.posts and not fuzzed.gets:
        pytest.skip("no form and no query string to fuzz on this page")
    assert not fuzzed.failures, _report(page_url, fuzzed)


# -- forms drawn only in other states -------------------------------------------------------------------------------
# Each case takes the permission table's data (`known`: the `ids` fixture's) into a state in which a page draws forms
# it does not draw there, through the services the app calls, and says the page, the roles that are shown those forms
# (as in PREFERRED: the most privileged first) and the URL names of the views the page must now post to.


def _engagement_requested(known, demo):
    """The demo's request for a service, awaiting its answer (as in the fixture): the provider's staff accept or
    decline it, the company withdraws it."""
    return (
        f"/services/engagements/{known['request']}/",
        ("manager", "sme"),
        {
            "portfolio:accept",
            "portfolio:decline",
            "portfolio:withdraw",
        },
    )


def _engagement_under_way(known, demo):
    """The request accepted and a first session held: the provider's staff add sessions and close it, the company
    may cancel it."""
    from greenbridge.portfolio.models import Engagement
    from greenbridge.portfolio.services import engagement_accept, session_add

    users = demo.users
    engagement = Engagement.objects.get(pk=known["request"])
    engagement = engagement_accept(engagement=engagement, user=users["manager"], advisor=users["advisor"])
    session_add(engagement=engagement, user=users["advisor"], starts=timezone.now() - timedelta(days=1), hours=2)
    return (
        f"/services/engagements/{engagement.pk}/",
        ("manager", "sme"),
        {
            "portfolio:session_add",
            "portfolio:close",
            "portfolio:withdraw",
        },
    )


def _inbox_with_matches(known, demo):
    """The alert run has matched the notices against the watches: the SME's inbox lists the notice its watch
    found, with a mark and a star for each."""
    from greenbridge.matching.models import Match
    from greenbridge.matching.services import alerts_match

    alerts_match()
    assert Match.objects.filter(watch_id=known["watch"], notice_id=known["notice"]).exists()
    return f"/inbox/?org={known['sme']}", ("manager", "sme", "advisor"), {"matching:mark", "matching:star"}


def _meeting_held(known, demo):
    """The event's schedule run and published, and the SME's meeting an hour ago (the event under way): the SME
    marks it late or missed and tells how it went."""
    from greenbridge.events.models import Meeting
    from greenbridge.events.services import schedule_publish, schedule_run

    schedule_run(event=demo.event, time_limit=5)
    schedule_publish(event=demo.event)
    # No service moves time: the published slot is set an hour back, as tests/partnering's held_meeting does.
    past = timezone.now() - timedelta(hours=1)
    assert Meeting.objects.filter(pk=known["meeting"], published_starts__isnull=False).update(
        published_starts=past, starts=past
    )
    return f"/events/{known['event']}/me/", ("sme",), {"events:live", "events:outcome"}


def _interest_pending(known, demo):
    """Helios asks AquaPure about its offer: AquaPure accepts or declines, Helios may withdraw."""
    from greenbridge.partnering.models import Opportunity
    from greenbridge.partnering.services import interest_create

    interest_create(
        opportunity=Opportunity.objects.get(pk=known["opportunity"]),
        organisation=demo.orgs["other_sme"],
        user=demo.users["other_sme"],
        message="We install rooftop solar at water works: a partner for your containers?",
    )
    return f"/opportunities/{known['opportunity']}/", ("sme", "other_sme"), {"partnering:interest_respond"}


def _action_plan(known, demo):
    """An action in the assessment's plan: its status is changed by those who plan, the plan agreed by the
    company."""
    from greenbridge.assessments.models import Assessment
    from greenbridge.assessments.services import action_save

    action_save(
        assessment=Assessment.objects.get(pk=known["assessment"]),
        user=demo.users["advisor"],
        data={"title": "Map the customer data", "status": "planned"},
    )
    return (
        f"/assessments/{known['assessment']}/",
        ("manager", "sme"),
        {
            "assessments:action_status",
            "assessments:plan_agree",
        },
    )


def _ticket_resolved(known, demo):
    """The advisor resolves the ticket: its requester rates the answer."""
    from greenbridge.helpdesk.models import Ticket
    from greenbridge.helpdesk.services import change

    change(ticket=Ticket.objects.get(pk=known["ticket"]), user=demo.users["advisor"], status=Ticket.Status.RESOLVED)
    return f"/help/{known['ticket']}/", ("sme",), {"helpdesk:rate"}


def _cluster_to_verify(known, demo):
    """A cluster registered by a company's person, awaiting verification: an operator verifies or refuses it."""
    from greenbridge.orgs.models import Organisation
    from greenbridge.orgs.services import organisation_create

    organisation_create(
        name="Prut Valley Water Cluster", kind=Organisation.Kind.CLUSTER, country="MD", admin=demo.users["other_sme"]
    )
    return "/orgs/verification/", ("operator",), {"orgs:verification_decide"}


def _strategy_with_a_market(known, demo):
    """A country chosen from the cluster's target-market ranking: the strategy's editors remove it."""
    from greenbridge.market.ranking import rank_markets, ranker_for
    from greenbridge.strategy.models import Strategy
    from greenbridge.strategy.services import market_choose

    who = ranker_for(demo.orgs["cluster"])
    [first, *_] = rank_markets(who)
    strategy = Strategy.objects.get(pk=known["strategy"])
    market_choose(strategy=strategy, user=demo.users["manager"], who=who, row=first)
    return f"/strategies/{known['strategy']}/", ("manager",), {"strategy:market_remove"}


STATES = [
    pytest.param(_engagement_requested, id="portfolio: a request awaiting its answer"),
    pytest.param(_engagement_under_way, id="portfolio: an engagement under way"),
    pytest.param(_inbox_with_matches, id="matching: an inbox with matches"),
    pytest.param(_meeting_held, id="events: a scheduled meeting, past"),
    pytest.param(_interest_pending, id="partnering: an interest awaiting its answer"),
    pytest.param(_action_plan, id="assessments: an action plan"),
    pytest.param(_ticket_resolved, id="helpdesk: a ticket resolved"),
    pytest.param(_cluster_to_verify, id="orgs: a cluster awaiting verification"),
    pytest.param(_strategy_with_a_market, id="strategy: a target market"),
]


@pytest.mark.parametrize("state", STATES)
def test_forms_drawn_only_in_other_states_take_absurd_values(client_for, ids, demo, state):  # noqa: F811 (ids)
    """The page in that state, fuzzed as the first test fuzzes a page of the table; each view named is posted to
    (else its form is no longer drawn, and the case no longer tests it)."""
    page_url, roles, endpoints = state(ids, demo)
    fuzzed = _fuzz_as(client_for, page_url, roles)
    assert fuzzed is not None, f"GET {page_url}: not a page"
    assert not fuzzed.failures, _report(page_url, fuzzed)
    missing = sorted(set(endpoints) - fuzzed.posted)
    assert not missing, f"GET {page_url} as {', '.join(roles)}: no form posts to {missing}"
