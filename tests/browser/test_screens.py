"""Every role's main pages at four widths, in a real chromium: no sideways scrolling of the page, nothing wider
than the screen outside a scroll box, the signed-in header on one line from 1366 px, and a full-page screenshot
of each for people to look at.

Screenshots go to the folder named by GREENBRIDGE_SCREENSHOTS (default: `screens` in pytest's temporary folder of
the run, such as /tmp/pytest-of-you/pytest-12/screens, printed at the end when pytest runs in one process), as
`<role>/<language>-<nn>-<page>-<width>.png`. `make test` runs it on its SQLite pass only: the layout does not
depend on the database, and every page runs on PostgreSQL in the permission table (set GREENBRIDGE_SCREENSHOTS
to run it there too). Run it alone with
`GREENBRIDGE_SCREENSHOTS=shots pytest tests/browser/test_screens.py` and open the folder.

One browser, one context per role (and language), each page loaded once and checked at every width."""

import os
import time
from collections import defaultdict
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.browser.conftest import full_page_png
from tests.conftest import DATA, take_snapshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WIDTHS = (390, 768, 1366, 1920)
HEIGHTS = {390: 844, 768: 1024, 1366: 768, 1920: 1080}
ONE_LINE_FROM = 1366  # the signed-in header fits on one line from this width up

# What a page must not do at a width, measured in the page. Elements that stick out of the screen are reported
# outermost first (not each of their children), with a short selector to find them.
CHECK = """
() => {
  const vw = window.innerWidth;
  const doc = document.documentElement;
  const out = {overflow: doc.scrollWidth > vw ? `the page scrolls sideways (${doc.scrollWidth} px wide)` : "",
               wide: [], header: ""};
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].slice(0, 2).map((c) => "." + c).join("");
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) parts.unshift(name(e));
    return parts.join(" > ");
  };
  const scrolls = (el) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
  const reported = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (r.left >= -1 && r.right <= vw + 1)) continue;
    let inside = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (reported.has(p)) { inside = true; break; }
      if (scrolls(p)) {
        const s = p.getBoundingClientRect();
        if (s.left >= -1 && s.right <= vw + 1) { inside = true; break; }
      }
    }
    if (inside) continue;
    reported.add(el);
    out.wide.push(`${path(el)} (${Math.round(r.left)}..${Math.round(r.right)} px)`);
  }
  const inner = document.querySelector(".site-header__inner");
  const nav = inner && inner.querySelector("nav");
  if (inner && nav) {
    const boxes = [...inner.children].map((c) => c.getBoundingClientRect()).filter((b) => b.height > 0);
    const top = Math.max(...boxes.map((b) => b.top)), bottom = Math.min(...boxes.map((b) => b.bottom));
    const link = nav.querySelector("a");
    const navBox = nav.getBoundingClientRect(), linkBox = link ? link.getBoundingClientRect() : navBox;
    const high = Math.round(inner.getBoundingClientRect().height);
    const hidden = [...nav.querySelectorAll("a")].filter((a) => {
      const b = a.getBoundingClientRect();
      return b.left < -1 || b.right > vw + 1;
    });
    if (vw <= 640) {  // phones: the menu wraps onto lines of its own, every item in sight
      if (hidden.length) out.header = `menu items out of sight: ${hidden.map((a) => a.textContent.trim()).join(", ")}`;
    }
    else if (top >= bottom) out.header = `the header's parts are on several rows (${high} px high)`;
    else if (navBox.height > 1.6 * linkBox.height) out.header = `the menu wraps (${Math.round(navBox.height)} px)`;
    else if (nav.scrollWidth > nav.clientWidth + 1) {
      out.header = `the menu needs ${nav.scrollWidth - nav.clientWidth} px more than its room`;
    }
  }
  return out;
}
"""


@dataclass
class Screen:
    name: str
    path: str


def _screens_data() -> dict:
    """The demo as `greenbridge demo_setup` makes it, plus a crowded brokerage event: fourteen more companies
    (some with long names) with accepted meetings, scheduled, so that registrations and the schedule grid are
    as wide as at a real event."""
    from greenbridge.dashboard.demo import create_demo
    from greenbridge.events.models import Meeting, MeetingRequest
    from greenbridge.events.services import (
        meeting_create,
        meeting_request_accept,
        registration_create,
        schedule_publish,
        schedule_run,
    )
    from greenbridge.matching.models import Watch
    from greenbridge.matching.services import notice_forward, watch_save
    from greenbridge.orgs.models import Organisation
    from greenbridge.orgs.services import cluster_member_add, organisation_create
    from greenbridge.partnering.models import Partnership
    from greenbridge.tenders.models import Notice
    from greenbridge.tenders.services import notices_ingest

    call_command("demo_setup", data=str(DATA), stdout=StringIO())
    # Real notices in nine languages, and a watch in words, so that the inbox has matches to show.
    notices_ingest(connector="eforms", location=str(DATA / "eforms" / "real_more"), source="ted")
    demo = create_demo(password="greenbridge-demo")
    event, orgs, users = demo.event, demo.orgs, demo.users
    User = users["sme"].__class__
    names = [
        "Societatea Comercială Apă-Canal Întreprinderea Municipală Bălți SRL",
        "EcoVolt Renewable Energy Engineering and Consulting GmbH",
        "Товариство з обмеженою відповідальністю «Водоочисні технології Поділля»",
        "BioGaz Moldova",
        "Circular Plastics Recovery Cooperative",
        "Smart Street Lighting Solutions Ltd",
        "Aqua Metering Systems",
        "Danube Wetlands Consulting",
        "Green Roofs & Facades Ltd",
        "Heat Pump Installers Association",
        "Waste-to-Energy Plants SA",
        "Rain Water Harvesting SRL",
        "E-Mobility Chargers Ukraine",
        "Compost Kyiv",
    ]
    registrations = list(event.registrations.all())
    for i, name in enumerate(names):
        org = organisation_create(
            name=name, kind=Organisation.Kind.SME, country=["MD", "UA", "RO", "DE"][i % 4], green_sectors=["water"]
        )
        cluster_member_add(cluster=orgs["cluster"], member=org, shares_private_data=i % 2 == 0)
        user = User.objects.create(username=f"p{i}@demo.example", email=f"p{i}@demo.example", full_name=f"Person {i}")
        registrations.append(
            registration_create(
                event=event, user=user, organisation=org, offer=f"What {name} offers.", seeking="Partners."
            )
        )
    for request in MeetingRequest.objects.filter(event=event, status=MeetingRequest.Status.PENDING):
        meeting_request_accept(request=request)
    for i, first in enumerate(registrations):
        for second in registrations[i + 1 : i + 4]:
            if (
                not Meeting.objects.of(first).filter(first=second).exists()
                and not Meeting.objects.of(first).filter(second=second).exists()
            ):
                meeting_create(event=event, first=first, second=second)
    schedule_run(event=event, time_limit=5)
    schedule_publish(event=event)
    watch_save(
        organisation=orgs["sme"],
        user=users["sme"],
        data={
            "keywords": ["water", "wastewater", "drinking water", "sewage"],
            "green_sectors": ["water", "wastewater"],
        },
        name="Water and wastewater, in words",
    )
    # The notice with the most lots, and the most codes among those: the widest notice page.
    notice = max(Notice.objects.filter(source="ted"), key=lambda n: (len(n.lots or []), len(n.cpv_codes or [])))
    notice_forward(
        cluster=orgs["cluster"], members=[orgs["sme"]], notice=notice, user=users["manager"], note="Worth a look."
    )
    return {
        "demo": demo,
        "notice": notice.pk,
        "event": event.slug,
        "sme": orgs["sme"].slug,
        "other_sme": orgs["other_sme"].slug,
        "cluster": orgs["cluster"].slug,
        "procurer": orgs["procurer"].slug,
        "sme_watch": Watch.objects.filter(organisation=orgs["sme"]).first().pk,
        "other_watch": Watch.objects.filter(organisation=orgs["other_sme"]).first().pk,
        "cluster_watch": Watch.objects.filter(organisation=orgs["cluster"]).first().pk,
        "water_need": demo.opportunities["water_need"].pk,
        "uv_offer": demo.opportunities["uv_offer"].pk,
        "solar_need": demo.opportunities["solar_need"].pk,
        "partnership": Partnership.objects.first().pk,
        "assessment": demo.assessments["aquapure_dma_t1"].pk,
        "assessment_draft": demo.assessments["aquapure_intl_t0"].pk,
        **_portfolio_ids(orgs),
        "strategy": _strategy_id(demo, orgs, users),
    }


def _strategy_id(demo, orgs, users) -> int:
    from greenbridge.dashboard.demo import PARTNER_CLUSTER
    from greenbridge.orgs.models import Organisation
    from greenbridge.strategy.demo import create_demo_strategy

    partner = Organisation.objects.filter(name=PARTNER_CLUSTER["name"]).first()
    return create_demo_strategy(cluster=orgs["cluster"], partner=partner, users=users, event=demo.event).pk


def _portfolio_ids(orgs) -> dict:
    from greenbridge.portfolio.models import Engagement, Service

    delivered = Engagement.objects.get(organisation=orgs["sme"], status=Engagement.Status.DELIVERED)
    return {
        "service": Service.objects.get(name="Data governance clinic").pk,
        "engagement": delivered.pk,
        "request": Engagement.objects.get(organisation=orgs["sme"], status=Engagement.Status.REQUESTED).pk,
    }


def _pages(ids: dict) -> dict[str, list[Screen]]:
    """The main pages of each role, in the order a person of that role would go through them."""
    e = ids["event"]
    home, search = Screen("home", "/"), Screen("search", "/notices/?q=water")
    notice = Screen("notice", f"/notices/{ids['notice']}/")
    events, event = Screen("events", "/events/"), Screen("event", f"/events/{e}/")
    opportunities = Screen("opportunities", "/opportunities/")
    services, service = Screen("services", "/services/"), Screen("service", f"/services/{ids['service']}/")
    partnerships, inbox, watches = (
        Screen("partnerships", "/partnerships/"),
        Screen("inbox", "/inbox/"),
        Screen("watches", "/watches/"),
    )
    return {
        "anonymous": [
            home,
            search,
            notice,
            events,
            event,
            opportunities,
            Screen("opportunity", f"/opportunities/{ids['water_need']}/"),
            services,
            service,
            Screen("organisation", f"/orgs/{ids['sme']}/"),
            Screen("sign-in", "/accounts/login/"),
            Screen("market", "/market/?country=MD&country=UA&country=RO"),
            Screen("country-profile", "/market/countries/MD/"),
        ],
        "sme": [
            home,
            search,
            notice,
            inbox,
            watches,
            Screen("watch-editor", f"/watches/{ids['sme_watch']}/"),
            Screen("watch-matches", f"/inbox/watch/{ids['sme_watch']}/"),
            events,
            Screen("my-event", f"/events/{e}/me/"),
            Screen("participants", f"/events/{e}/participants/"),
            Screen("agenda", f"/events/{e}/agenda/"),
            opportunities,
            Screen("my-opportunity", f"/opportunities/{ids['uv_offer']}/"),
            Screen("opportunity-form", f"/opportunities/{ids['uv_offer']}/edit/"),
            partnerships,
            Screen("partnership", f"/partnerships/{ids['partnership']}/"),
            Screen("assessments", "/assessments/"),
            Screen("assessment-page", f"/assessments/{ids['assessment_draft']}/page/3/"),
            Screen("assessment-results", f"/assessments/{ids['assessment']}/"),
            services,
            service,
            Screen("engagements", "/services/engagements/"),
            Screen("engagement", f"/services/engagements/{ids['engagement']}/"),
            Screen("organisation", f"/orgs/{ids['sme']}/"),
            Screen("organisation-form", f"/orgs/{ids['sme']}/edit/"),
            Screen("my-organisations", "/orgs/"),
            Screen("target-markets", f"/market/ranking/{ids['sme']}/"),
        ],
        "other_sme": [
            home,
            inbox,
            watches,
            Screen("watch-editor", f"/watches/{ids['other_watch']}/"),
            event,
            Screen("register", f"/events/{e}/register/"),
            Screen("opportunity", f"/opportunities/{ids['solar_need']}/"),
            Screen("interest", f"/opportunities/{ids['solar_need']}/interest/"),
            Screen("organisation", f"/orgs/{ids['other_sme']}/"),
        ],
        "manager": [
            home,
            notice,
            inbox,
            watches,
            Screen("watch-editor", f"/watches/{ids['cluster_watch']}/"),
            Screen("forward", f"/inbox/{ids['cluster']}/forward/{ids['notice']}/"),
            Screen("members", f"/orgs/{ids['cluster']}/members/"),
            Screen("members-assessments", f"/assessments/cluster/{ids['cluster']}/"),
            Screen("catalogue", f"/services/catalogue/{ids['cluster']}/"),
            Screen("service-form", f"/services/{ids['service']}/edit/"),
            Screen("portfolio-analysis", f"/services/analysis/{ids['cluster']}/"),
            Screen("request", f"/services/engagements/{ids['request']}/"),
            Screen("cluster", f"/orgs/{ids['cluster']}/"),
            Screen("market-water", "/market/?sector=water&sector=wastewater&year_from=2019"),
            Screen("countries", "/market/countries/"),
            Screen("target-markets", f"/market/ranking/{ids['cluster']}/"),
            Screen("strategy", f"/strategies/{ids['strategy']}/"),
            Screen("strategy-versions", f"/strategies/{ids['strategy']}/versions/"),
            events,
            Screen("registrations", f"/events/{e}/manage/"),
            Screen("participants", f"/events/{e}/participants/"),
            Screen("schedule", f"/events/{e}/manage/schedule/"),
            Screen("check-in", f"/events/{e}/manage/check-in/"),
            Screen("outcomes", f"/events/{e}/manage/outcomes/"),
            Screen("event-form", f"/events/{e}/manage/edit/"),
            opportunities,
            partnerships,
        ],
        "advisor": [
            home,
            inbox,
            Screen("member-watch", f"/watches/{ids['sme_watch']}/"),
            Screen("members", f"/orgs/{ids['cluster']}/members/"),
            Screen("member", f"/orgs/{ids['sme']}/"),
            Screen("registrations", f"/events/{e}/manage/"),
            Screen("helpdesk-reports", "/help/reports/"),
            Screen("helpdesk", "/help/"),
        ],
        "procurer": [
            home,
            notice,
            event,
            Screen("my-event", f"/events/{e}/me/"),
            opportunities,
            Screen("own-need", f"/opportunities/{ids['water_need']}/"),
            Screen("need-form", "/opportunities/new/"),
            partnerships,
            Screen("organisation", f"/orgs/{ids['procurer']}/"),
        ],
        "operator": [
            home,
            search,
            notice,
            Screen("verification", "/orgs/verification/"),
            Screen("admin", "/admin/"),
            Screen("admin-notices", "/admin/tenders/notice/"),
            Screen("admin-ingest", "/admin/tenders/ingestrun/"),
        ],
    }


# In Romanian and Ukrainian (longer words, another script), a few pages of each role.
TRANSLATED = {
    "anonymous": ["search", "notice"],
    "sme": ["inbox", "watch-editor", "services", "engagement"],
    "other_sme": ["home", "register"],
    "manager": ["registrations", "schedule", "portfolio-analysis", "request"],
    "advisor": ["home", "members", "helpdesk-reports", "helpdesk"],
    "procurer": ["own-need", "my-event"],
    "operator": ["home", "verification"],
}


# The roles in four tests of about the same length (the pages of each), so that the test processes share them.
ROLE_GROUPS = [("sme",), ("anonymous",), ("manager", "operator"), ("other_sme", "procurer", "advisor")]


@pytest.fixture(scope="session")
def screens_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The screens' data, built once per test process (about 10 s) and written back for each group of roles."""
    return take_snapshot(_screens_data, django_db_blocker, tmp_path_factory)


@pytest.fixture
def screenshots_dir(tmp_path_factory) -> Path:
    """One folder for every group of roles, whichever test process takes it (each role has its own folder in it)."""
    folder = os.environ.get("GREENBRIDGE_SCREENSHOTS")
    if folder:
        path = Path(folder)
    else:
        run = tmp_path_factory.getbasetemp()
        path = (run.parent if os.environ.get("PYTEST_XDIST_WORKER") else run) / "screens"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and not os.environ.get("GREENBRIDGE_SCREENSHOTS"),
    reason="the layout is the same on every database: checked on the SQLite pass (every page runs on this one in "
    "the permission table)",
)
@pytest.mark.parametrize("roles", ROLE_GROUPS, ids="+".join)
def test_every_role_main_pages_fit_every_width(roles, browser, live_server, screenshots_dir, screens_snapshot, capsys):
    started = time.monotonic()
    ids = screens_snapshot.restore()
    prepared = time.monotonic()
    users = ids["demo"].users
    pages = {role: screens for role, screens in _pages(ids).items() if role in roles}
    problems: list[str] = []
    count = 0
    for role, screens in pages.items():
        for language in ("en", "ro", "uk"):
            wanted = screens if language == "en" else [s for s in screens if s.name in TRANSLATED[role]]
            widths = WIDTHS if language == "en" else (390, 1366)
            context = browser.new_context(locale="en-GB")
            context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
            if role != "anonymous":
                client = Client()
                client.force_login(users[role])
                session = client.cookies["sessionid"].value
                context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            folder = screenshots_dir / role
            folder.mkdir(exist_ok=True)
            for number, screen in enumerate(wanted, start=1):
                page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHTS[WIDTHS[0]]})
                response = page.goto(live_server.url + screen.path)
                where = f"{role} {language} {screen.name} ({screen.path})"
                if response is None or response.status != 200:
                    problems.append(f"{where}: status {response.status if response else 'none'}")
                    continue
                for width in widths:
                    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
                    found = page.evaluate(CHECK)
                    at = f"{where} at {width} px"
                    if found["overflow"]:
                        problems.append(f"{at}: {found['overflow']}")
                    problems.extend(f"{at}: wider than the screen: {w}" for w in found["wide"][:5])
                    if width >= ONE_LINE_FROM and found["header"]:
                        problems.append(f"{at}: {found['header']}")
                    full_page_png(page, folder / f"{language}-{number:02d}-{screen.name}-{width}.png")
                    count += 1
            context.close()
            problems.extend(f"{role} {language}: JavaScript error {e}" for e in errors)
    with capsys.disabled():
        setup, pages_time = prepared - started, time.monotonic() - prepared
        print(f"\n{count} screenshots in {screenshots_dir} (data {setup:.0f} s, pages {pages_time:.0f} s)")
    assert not problems, "\n".join(problems)


def test_the_role_groups_hold_every_role_once():
    roles = [role for group in ROLE_GROUPS for role in group]
    assert sorted(roles) == sorted(_pages(defaultdict(str)))
