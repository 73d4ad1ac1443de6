"""Each role lands on its own dashboard at / once signed in: an SME, a cluster's staff, a public buyer, an operator
(and a person with several roles sees each). Every section is checked with real data (exact values) and empty,
where it must say what to do next; the menus follow the roles; the number of queries stays flat."""

import re
from datetime import timedelta

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from greenbridge.dashboard.models import Visit
from greenbridge.events import services as events
from greenbridge.events.models import Event, Meeting
from greenbridge.matching import services as matching
from greenbridge.orgs.models import Membership, Organisation
from greenbridge.orgs.services import cluster_member_add, membership_set, organisation_create
from tests.conftest import make_notice
from tests.dashboard.lively import make_lively

pytestmark = pytest.mark.django_db


def page_of(client, url: str = "/") -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def section(page, heading_id: str) -> str:
    """The words of the section a heading id labels ("" when the page has none)."""
    found = page.xpath(f'//section[@aria-labelledby="{heading_id}"]')
    return text(found[0]) if found else ""


def items(page, heading_id: str) -> list[str]:
    """The items of a section's first list, each as its words."""
    found = page.xpath(f'//section[@aria-labelledby="{heading_id}"]//ol[@class="dash-list"]/li | '
                       f'//section[@aria-labelledby="{heading_id}"]//ul[contains(@class, "dash-list")]/li')  # fmt: skip
    return [text(li) for li in found]


def links(page, heading_id: str) -> list[str]:
    return page.xpath(f'//section[@aria-labelledby="{heading_id}"]//a/@href')


def menu(page) -> list[str]:
    return [text(a) for a in page.xpath('//nav[@class="site-nav"]//a')]


@pytest.fixture
def lively(demo):
    return make_lively(demo)


@pytest.fixture
def newcomer(db):
    """A person who just signed up, with no organisation."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="new@x.example", email="new@x.example", password="x")


def client_of(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# ---- who sees what ------------------------------------------------------------------------------------------


def test_visitors_keep_the_public_home_and_signed_in_people_get_their_dashboard(client_for):
    public = page_of(client_for("anonymous"))
    assert public.xpath('//form[@class="hero-search"]')
    assert not public.xpath('//*[contains(@class, "dash-panel")]')
    mine = page_of(client_for("sme"))
    assert text(mine.xpath("//h1")[0]) == "Hello, Ana Popescu"
    assert not mine.xpath('//form[@class="hero-search"]')
    assert mine.xpath('//form[@class="dash-search"][@action="/notices/"]')
    # The footer's data sources are a page of their own: signed in, the home page's section is not there.
    for page in (public, mine):
        assert page.xpath('//footer//a[normalize-space()="see data sources"]/@href') == ["/sources/"]
    sources = lxml.html.fromstring(client_for("sme").get("/sources/").content)
    assert "Prozorro" in text(sources.xpath('//section[@id="data-sources"]')[0])


@pytest.mark.parametrize(
    ("role", "panels"),
    [
        ("sme", ["AquaPure Systems SRL"]),
        ("other_sme", ["Helios Solar SRL"]),
        ("manager", ["Danube Green Tech Cluster"]),
        ("advisor", ["Danube Green Tech Cluster"]),
        ("procurer", ["Primăria Ungheni"]),
        ("operator", ["The platform"]),  # an administrator of the secretariat (a BSO), not its staff: no cluster panel
    ],
)
def test_each_role_lands_on_its_own_dashboard(client_for, role, panels):
    page = page_of(client_for(role))
    assert [text(h) for h in page.xpath('//section[@class="dash-panel"]/header/h2')] == panels


# The menu of each role, in order (the browser test of the dashboards checks the same).
CLUSTER_STAFF_MENU = [
    "Notices", "Markets", "Inbox", "Members", "Forward", "Assessments", "Events", "Opportunities", "Services",
    "Help desk",
]  # fmt: skip
MENUS = {
    "anonymous": ["Notices", "Markets", "Events", "Opportunities", "Services"],
    "sme": [
        "Notices",
        "Markets",
        "Inbox",
        "Watches",
        "Assessments",
        "Events",
        "Opportunities",
        "Services",
        "Help desk",
    ],
    "manager": CLUSTER_STAFF_MENU,
    "advisor": CLUSTER_STAFF_MENU,
    "procurer": ["Notices", "Markets", "Our needs", "Events", "Opportunities", "Services"],
    "operator": ["Notices", "Markets", "Events", "Opportunities", "Services", "Ingest", "Verification", "Admin"],
}  # fmt: skip


@pytest.mark.parametrize(("role", "items"), MENUS.items())
def test_the_menu_follows_the_role(client_for, orgs, role, items):
    page = page_of(client_for(role), "/notices/")
    assert menu(page) == items
    hrefs = dict(zip(menu(page), page.xpath('//nav[@class="site-nav"]//a/@href'), strict=True))
    expected = {
        "Inbox": "/inbox/",
        "Watches": "/watches/",
        "Members": f"/orgs/{orgs['cluster'].slug}/members/",
        "Forward": "/forward/",
        "Assessments": "/assessments/",
        "Our needs": "/opportunities/mine/",
        "Ingest": "/admin/tenders/ingestrun/",
        "Verification": "/orgs/verification/",
    }
    assert {k: v for k, v in hrefs.items() if k in expected} == {k: expected[k] for k in items if k in expected}
    if role != "anonymous":  # the person's name leads to their organisations
        assert page.xpath('//a[@class="site-tools__user"]/@href') == ["/orgs/"]


@pytest.mark.parametrize("role", ["sme", "manager", "procurer", "operator"])
def test_the_menu_is_the_same_on_every_main_page(client_for, demo, role):
    """A page's own context must not hide the menu's: the strategy page's list of roles once did."""
    from greenbridge.strategy.services import strategy_create

    owner = demo.orgs["cluster"]
    strategy = strategy_create(user=demo.users["manager"], owner=owner, title="Menu check", partnership=None)
    client = client_for(role)
    pages = ["/", "/notices/", "/market/", "/events/", "/opportunities/", "/services/", "/help/", "/orgs/"]
    if role == "manager":
        pages.append(f"/strategies/{strategy.pk}/")
    menus = {url: menu(page_of(client, url)) for url in pages}
    assert all(items == MENUS[role] for items in menus.values()), menus


def test_a_person_with_several_roles_sees_each_dashboard_and_each_menu_item_once(users, orgs):
    maria = users["manager"]
    membership_set(user=maria, organisation=orgs["other_sme"], role=Membership.Role.ADMIN)
    maria.is_staff = True
    maria.save()
    page = page_of(client_of(maria))
    assert [text(h) for h in page.xpath('//section[@class="dash-panel"]/header/h2')] == [
        "Helios Solar SRL",
        "Danube Green Tech Cluster",
        "The platform",
    ]
    assert [text(a) for a in page.xpath('//nav[@class="dash-jump"]//a')] == [
        "Helios Solar SRL",
        "Danube Green Tech Cluster",
        "Platform",
    ]
    assert menu(page) == [
        "Notices", "Markets", "Inbox", "Watches", "Members", "Forward", "Assessments", "Events", "Opportunities",
        "Services",
        "Help desk", "Ingest", "Verification", "Admin",
    ]  # fmt: skip


def test_a_person_with_no_organisation_is_shown_where_to_start(newcomer):
    page = page_of(client_of(newcomer))
    start = section(page, "panel-welcome-title")
    assert "Register your organisation" in start
    assert "a cluster can invite your company by e-mail" in start
    assert "/orgs/new/" in links(page, "panel-welcome-title")
    assert menu(page) == ["Notices", "Markets", "Events", "Opportunities", "Services"]


# ---- an SME ------------------------------------------------------------------------------------------------


def test_sme_new_matches_with_score_top_reason_and_a_link_to_the_inbox(client_for, orgs, lively):
    page = page_of(client_for("sme"))
    slug = orgs["sme"].slug
    assert re.match(r"New matches in the last 7 days 4 ", section(page, f"matches-{slug}"))
    assert items(page, f"matches-{slug}") == [
        "Rehabilitation of the water mains of Soroca 0.92 0.92 Apă-Canal Soroca Moldova "
        + _deadline(lively.notices["mains"].deadline, "12 days left")
        + " CPV 45232150 Works related to water-distribution pipelines: the same code as yours",
        "Construction of a wastewater treatment plant in Cahul 0.83 0.83 Primăria Cahul Moldova "
        + _deadline(lively.notices["plant"].deadline, "5 days left")
        + " CPV 45252100 Sewage-treatment plant construction work: the same code as yours",
        "Supply of drinking-water filtration units 0.83 0.83 КП «Водоканал» м. Ізмаїл Ukraine "  # in English
        + _deadline(lively.notices["filters"].deadline, "3 days left")
        + " CPV 42912300 Machinery and apparatus for filtering or purifying water: the same code as yours",
        # An award: who won, after what one can still bid for.
        "Wastewater treatment plant of Ungheni: contract award 0.92 0.92 Primăria Ungheni Moldova "
        f"no deadline · published {timezone.localtime(lively.notices['awarded'].published):%-d %b %Y} "
        "CPV 45252100 Sewage-treatment plant construction work: the same code as yours",
    ]
    assert f"/inbox/?org={slug}" in links(page, f"matches-{slug}")
    assert "See all 4 in your inbox" in section(page, f"matches-{slug}")


def _deadline(when, left: str) -> str:
    return f"{timezone.localtime(when):%-d %b %Y} {left}"


def test_sme_deadlines_of_the_next_7_days_say_why_each_is_followed(client_for, orgs, lively):
    page = page_of(client_for("sme"))
    notices = lively.notices
    assert items(page, f"deadlines-{orgs['sme'].slug}") == [
        "Water meters with remote reading for Bălți "
        + _deadline(notices["meters"].deadline, "2 days left")
        + " Starred",
        "Supply of drinking-water filtration units "
        + _deadline(notices["filters"].deadline, "3 days left")
        + " Matched",
        "Construction of a wastewater treatment plant in Cahul "
        + _deadline(notices["plant"].deadline, "5 days left")
        + " Will bid",
    ]  # the Soroca mains (forwarded) close in 12 days: not this week; the award has no deadline


def test_sme_deadlines_leave_out_what_it_marked_not_relevant(client_for, orgs, users, lively):
    matching.mark_set(
        organisation=orgs["sme"], notice=lively.notices["filters"], user=users["sme"], value="not_relevant"
    )
    page = page_of(client_for("sme"))
    assert [text(a) for a in page.xpath(f'//section[@aria-labelledby="deadlines-{orgs["sme"].slug}"]//a')] == [
        "Water meters with remote reading for Bălți",
        "Construction of a wastewater treatment plant in Cahul",
    ]


def test_sme_events_next_meetings_and_what_waits_for_its_answer(client_for, orgs, demo, lively):
    page = page_of(client_for("sme"))
    slug = orgs["sme"].slug
    starts = timezone.localtime(lively.meeting.published_starts, demo.event.tz)
    assert items(page, f"events-{slug}") == [
        f"{starts:%a %-d %b, %H:%M} · table 1 · Primăria Ungheni Danube Water & Energy Brokerage Event",
        "Danube Water & Energy Brokerage Event "
        + f"{timezone.localtime(demo.event.starts, demo.event.tz):%-d %b %Y, %H:%M}–17:30 (Europe/Chisinau) "
        "· Approved",
    ]
    assert items(page, f"waiting-{slug}") == [
        "Primăria Ungheni is interested in “Containerised drinking-water treatment for villages” · "
        + f"{timezone.localtime(lively.interest.created):%-d %b %Y}"
    ]
    assert f"/opportunities/{demo.opportunities['uv_offer'].pk}/#interests-title" in links(page, f"waiting-{slug}")


def test_sme_meeting_requests_wait_for_its_answer(client_for, orgs, demo):
    page = page_of(client_for("sme"))
    [request] = items(page, f"waiting-{orgs['sme'].slug}")
    assert request.startswith(
        "Primăria Ungheni asks you for a meeting Danube Water & Energy Brokerage Event · expires in "
    )
    assert f"/events/{demo.event.slug}/me/#received-title" in links(page, f"waiting-{orgs['sme'].slug}")


def test_sme_profile_gaps_each_with_a_link_to_fix_it(users, newcomer):
    org = organisation_create(name="Bare Water SRL", kind="sme", country="MD", admin=newcomer)
    page = page_of(client_of(newcomer))
    slug = org.slug
    assert items(page, f"gaps-{slug}") == [
        "No CPV codes: GreenBridge cannot tell which tenders you can supply. Add the codes of what you supply",
        "No description: buyers and partners do not see what you do. Describe your company",
        "No green sector: clusters and buyers cannot find you by sector. Choose your sectors",
        "No languages: partners abroad do not know which language to write in. Add the languages you speak",
        "No watch: nothing looks for new tenders for you. Create a watch from your profile",
        "Your e-mail address is not confirmed: alerts may not reach you, and you cannot publish. "
        "Confirm your e-mail address",
    ]
    assert links(page, f"gaps-{slug}") == [
        f"/orgs/{slug}/edit/#field-cpv_codes",
        f"/orgs/{slug}/edit/#field-description",
        f"/orgs/{slug}/edit/#field-green_sectors",
        f"/orgs/{slug}/edit/#field-languages",
        f"/watches/new/{slug}/",
        "/accounts/email/",
    ]


def test_sme_profile_gaps_of_watches_and_for_a_member_who_cannot_edit(users, orgs, client_for):
    slug = orgs["sme"].slug
    assert items(page_of(client_for("sme")), f"gaps-{slug}") == [
        "No watch: nothing looks for new tenders for you. Create a watch from your profile"
    ]
    watch = matching.watch_save(organisation=orgs["sme"], user=users["sme"], data={"keywords": ["pumps"]}, name="P")
    assert items(page_of(client_for("sme")), f"gaps-{slug}") == [
        "No target country: your watches look everywhere. Name the markets you aim at. Add countries to a watch"
    ]
    watch.active = False
    watch.save()
    assert items(page_of(client_for("sme")), f"gaps-{slug}") == [
        "Every watch is paused: no alert reaches you. Switch a watch on"
    ]
    # A plain member cannot edit the profile: they are sent to ask an administrator.
    from django.contrib.auth import get_user_model

    colleague = get_user_model().objects.create_user(username="c@aqua.example", email="c@aqua.example")
    membership_set(user=colleague, organisation=orgs["sme"], role=Membership.Role.MEMBER)
    organisation = orgs["sme"]
    organisation.description = ""
    organisation.save()
    gaps = items(page_of(client_of(colleague)), f"gaps-{slug}")
    assert (
        gaps[0]
        == "No description: buyers and partners do not see what you do. Ask an administrator of AquaPure Systems SRL"
    )


def test_sme_with_a_complete_profile_is_told_so(client_for, orgs, lively):
    gaps = section(page_of(client_for("sme")), f"gaps-{orgs['sme'].slug}")
    assert "Nothing: your profile and watches say what GreenBridge needs" in gaps


def test_sme_empty_states_say_what_to_do_next(newcomer):
    org = organisation_create(name="Bare Water SRL", kind="sme", country="MD", admin=newcomer)
    page = page_of(client_of(newcomer))
    slug = org.slug
    assert "No watch looks for tenders for you yet" in section(page, f"matches-{slug}")
    assert f"/watches/new/{slug}/" in links(page, f"matches-{slug}")
    assert "No deadline in the next 7 days among the notices you follow." in section(page, f"deadlines-{slug}")
    assert "You are not registered for any upcoming event." in section(page, f"events-{slug}")
    assert "/events/" in links(page, f"events-{slug}")
    assert "Nothing waits for your answer." in section(page, f"waiting-{slug}")
    assert "/opportunities/new/" in links(page, f"waiting-{slug}")
    matching.watch_save(organisation=org, user=newcomer, data={"keywords": ["pumps"]}, name="Pumps")
    page = page_of(client_of(newcomer))
    assert "No new match in this time. Widen a watch" in section(page, f"matches-{slug}")


def test_what_is_new_is_what_came_since_the_previous_visit(users, orgs, client_for, lively):
    client = client_for("sme")
    slug = orgs["sme"].slug
    page = page_of(client)  # the first visit: nothing is marked new
    assert not page.xpath(f'//section[@aria-labelledby="matches-{slug}"]//*[contains(@class, "tag--new")]')
    visit = Visit.objects.get(user=users["sme"])
    assert visit.previous is None
    page_of(client)  # a reload within the hour is the same visit
    assert Visit.objects.get(user=users["sme"]).previous is None
    # Ana was last here two days ago: the matches found since are new.
    Visit.objects.filter(pk=visit.pk).update(last=timezone.now() - timedelta(days=2))
    page = page_of(client)
    assert len(page.xpath(f'//section[@aria-labelledby="matches-{slug}"]//*[contains(@class, "tag--new")]')) == 4
    assert "Your last visit:" in text(page.xpath('//div[@class="dash-head"]')[0])
    # After three weeks away, the dashboard looks back to the previous visit (at most 30 days).
    Visit.objects.filter(pk=visit.pk).update(last=timezone.now() - timedelta(days=21))
    assert section(page_of(client), f"matches-{slug}").startswith("New matches in the last 21 days 4")


# ---- a cluster's staff ---------------------------------------------------------------------------------------


def test_cluster_members_and_their_activity(client_for, orgs, lively):
    page = page_of(client_for("manager"))
    slug = orgs["cluster"].slug
    rows = [
        [text(c) for c in tr.xpath("th|td")]
        for tr in page.xpath(f'//section[@aria-labelledby="members-{slug}"]//tbody/tr')
    ]
    assert rows == [
        # new matches and bids: AquaPure shares its private data; Helios does not
        ["AquaPure Systems SRL Romania", "4", "1", "1", "2"],
        ["Helios Solar SRL Moldova", "not shared", "0", "1"],
    ]
    assert f"/inbox/?org={orgs['sme'].slug}" in links(page, f"members-{slug}")
    assert "The member directory (2 members)" in section(page, f"members-{slug}")


def test_cluster_notices_worth_forwarding(client_for, orgs, lively):
    page = page_of(client_for("manager"))
    slug = orgs["cluster"].slug
    notices = lively.notices
    assert items(page, f"forward-{slug}") == [
        "Photovoltaic plant for the Orhei district hospital Spitalul Raional Orhei Moldova "
        + _deadline(notices["solar"].deadline, "20 days left")
        + " 0.94 0.94 Helios Solar SRL CPV 09331200 Solar photovoltaic modules: the same code as yours Forward",
        "Supply of drinking-water filtration units КП «Водоканал» м. Ізмаїл Ukraine "
        + _deadline(notices["filters"].deadline, "3 days left")
        + " 0.83 0.83 AquaPure Systems SRL CPV 42912300 Machinery and apparatus for filtering or purifying water: "
        "the same code as yours Forward",
        "Construction of a wastewater treatment plant in Cahul Primăria Cahul Moldova "
        + _deadline(notices["plant"].deadline, "5 days left")
        + " 0.83 0.83 AquaPure Systems SRL CPV 45252100 Sewage-treatment plant construction work: the same code as "
        "yours Forward",
    ]  # not the Soroca mains (forwarded to AquaPure already), nor the award, nor the meters (they fit no profile)
    assert f"/inbox/{slug}/forward/{notices['solar'].pk}/?next=/" in links(page, f"forward-{slug}")
    forward_page = page_of(client_for("manager"), f"/forward/?cluster={slug}&days=30")
    assert len(forward_page.xpath('//li[contains(@class, "dash-forward")]')) == 3


def test_cluster_forwarding_leaves_out_plans_of_years_ago_and_dates_a_notice_without_deadline(client_for, orgs, lively):
    """A notice without a deadline (a plan, a prior information notice) is worth forwarding while it is news: a
    publisher's plan of years ago, loaded today, is not. The card gives its publication date instead."""
    now = timezone.now()
    for source_id, title, published in (
        ("plan-old", "Sewage plant plan of 2018", now.replace(year=2018)),
        ("plan-new", "Sewage plant plan of this year", now - timedelta(days=10)),
    ):
        make_notice(
            source_id,
            title=title,
            language="en",
            notice_type="planning",
            status="planned",
            buyer_country="MD",
            cpv_codes=["45252100"],
            published=published,
            deadline=None,
        )
    texts = items(page_of(client_for("manager")), f"forward-{orgs['cluster'].slug}")
    assert not any("plan of 2018" in t for t in texts)
    (recent,) = [t for t in texts if "plan of this year" in t]
    day = timezone.localtime(now - timedelta(days=10))  # the reader's day (late at night in UTC, the next one)
    assert f"no deadline · published {day:%-d %b %Y}" in recent


def test_cluster_events_needing_action_from_registrations_to_outcomes(client_for, orgs, users, demo):
    lively = make_lively(demo, schedule=False)
    slug, event = orgs["cluster"].slug, demo.event

    def actions():
        return [text(li) for li in page_of(client_for("manager")).xpath(
            f'//section[@aria-labelledby="cluster-events-{slug}"]//ul[@class="dash-actions"]/li')]  # fmt: skip

    assert actions() == ["1 registration to approve", "1 meeting to schedule: run the schedule"]
    events.registrations_set_status(registrations=[lively.registration], status="approved")
    events.schedule_run(event=event, time_limit=5)
    assert actions() == ["1 change not published: publish the schedule"]
    events.schedule_publish(event=event)
    assert actions() == []
    assert "Nothing to do for your events now." in section(page_of(client_for("manager")), f"cluster-events-{slug}")
    # The event took place: the organisers collect how the meetings went.
    Event.objects.filter(pk=event.pk).update(
        starts=timezone.now() - timedelta(days=3), ends=timezone.now() - timedelta(days=3, hours=-8)
    )
    Meeting.objects.filter(pk=lively.meeting.pk).update(published_starts=timezone.now() - timedelta(days=3))
    assert actions() == ["Outcomes to collect: 2 of 2 answers missing"]
    meeting = Meeting.objects.get(pk=lively.meeting.pk)
    events.outcome_save(meeting=meeting, registration=meeting.first, held="held", interest="follow_up", note="")
    assert actions() == ["Outcomes to collect: 1 of 2 answers missing"]


def test_cluster_tools_are_one_click_from_the_top(client_for, orgs):
    slug = orgs["cluster"].slug
    for role, invite in (("manager", True), ("advisor", False)):
        page = page_of(client_for(role))
        tools = page.xpath(f'//section[@id="panel-{slug}"]//ul[@class="dash-tools"]//a')
        assert [(text(a), a.get("href")) for a in tools] == [
            ("Members", f"/orgs/{slug}/members/"),
            *([("Invite a company", f"/orgs/{slug}/members/invitations/")] if invite else []),
            ("Forward", f"/forward/?cluster={slug}"),
            ("Members' assessments", f"/assessments/cluster/{slug}/"),
            ("Services 1", f"/services/catalogue/{slug}/"),  # 1: AquaPure's request, to answer
            ("Portfolio analysis", f"/services/analysis/{slug}/"),
            ("Target markets", f"/market/ranking/{slug}/"),
            ("Strategies", "/strategies/"),
            ("Partnerships", "/partnerships/"),
            ("Country profiles", "/market/countries/"),
            # 2: AquaPure's question on EU funding, past its first-response target; Helios's by e-mail
            ("Help desk 2", "/help/"),
            ("Help articles", f"/help/articles/{slug}/manage/"),
            ("Help-desk reports", "/help/reports/"),
            ("Events", "/events/"),
            ("New event", "/events/new/"),
            ("Inbox", f"/inbox/?org={slug}"),
        ]
        assert page.xpath(f'//section[@id="panel-{slug}"]/header//span[@class="verified"]')


def test_cluster_requests_waiting(client_for, orgs, users, demo):
    from greenbridge.partnering.services import interest_create

    interest_create(
        opportunity=demo.opportunities["research"], organisation=orgs["sme"], user=users["sme"], message="We pilot."
    )
    slug = orgs["cluster"].slug
    [row] = items(page_of(client_for("advisor")), f"cluster-waiting-{slug}")
    assert row.startswith(
        "AquaPure Systems SRL is interested in “Partners for a Horizon Europe proposal on nature-based"
    )


def test_cluster_empty_states_and_an_unverified_cluster(newcomer):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)
    cluster = organisation_create(name="Prut Cluster", kind="cluster", country="MD", admin=newcomer)
    page = page_of(client_of(newcomer))
    slug = cluster.slug
    assert "Prut Cluster is awaiting verification by the platform operators" in section(page, f"forward-{slug}")
    assert page.xpath(f'//section[@id="panel-{slug}"]//span[contains(@class, "tag--verification-pending")]')
    Organisation.objects.filter(pk=cluster.pk).update(verification="verified")
    page = page_of(client_of(newcomer))
    assert "Your cluster has no member on GreenBridge yet. Invite your first companies by e-mail" in section(
        page, f"members-{slug}"
    )
    assert "No new notice of the last 7 days fits your members' profiles." in section(page, f"forward-{slug}")
    assert f"/watches/new/{slug}/" in links(page, f"forward-{slug}")
    assert "Nothing to do for your events now." in section(page, f"cluster-events-{slug}")
    assert "No request waits for the cluster's answer" in section(page, f"cluster-waiting-{slug}")


# ---- a public buyer ----------------------------------------------------------------------------------------


def test_buyer_needs_interests_suppliers_and_events(client_for, orgs, demo, lively):
    page = page_of(client_for("procurer"))
    slug = orgs["procurer"].slug
    expires = f"{demo.opportunities['solar_need'].expires:%-d %b %Y}"
    assert items(page, f"needs-{slug}") == [
        f"Solar power for the town hall and three kindergartens open until {expires} · tender planned for "
        f"{demo.opportunities['solar_need'].planned_for:%b %Y} · 1 interest 1 to answer",
        f"Water meters and pipe rehabilitation in two districts of Ungheni open until {expires} · tender planned for "
        f"{demo.opportunities['water_need'].planned_for:%b %Y} · 1 interest",
    ]
    day = f"{timezone.localdate():%-d %b %Y}"
    assert items(page, f"buyer-interests-{slug}") == [
        "AquaPure Systems SRL Contact accepted in “Water meters and pipe rehabilitation in two districts of Ungheni” · "
        + day,
        f"Helios Solar SRL Waiting for an answer in “Solar power for the town hall and three kindergartens” · {day}",
    ]
    assert items(page, f"suppliers-{slug}") == [
        "AquaPure Systems SRL Romania Same line of work: 45232150 Works related to water-distribution pipelines · "
        "They offer what you look for: water, remote, monitoring · Both in Water · A supplier for your needs",
        "Helios Solar SRL Moldova Same line of work: 09331200 Solar photovoltaic modules · They offer what you look "
        "for: Rooftop, solar, monitoring, photovoltaic · Both in Renewable energy · A supplier for your needs",
    ]
    starts = timezone.localtime(lively.meeting.published_starts, demo.event.tz)
    assert items(page, f"buyer-events-{slug}")[0] == (
        f"{starts:%a %-d %b, %H:%M} · table 1 · AquaPure Systems SRL {demo.event.title}"
    )
    # No bid tracking for buyers: no deadlines, no marks.
    assert not page.xpath(f'//section[@aria-labelledby="deadlines-{slug}"]')
    assert "Will bid" not in text(page.xpath("//main")[0])


def test_buyer_b2p_sessions_to_join_and_empty_states(newcomer, orgs):
    buyer = organisation_create(name="Primăria Cahul", kind="procurer", country="MD", admin=newcomer)
    page = page_of(client_of(newcomer))
    slug = buyer.slug
    assert "You have published no procurement need." in section(page, f"needs-{slug}")
    assert "/opportunities/new/?kind=procurement_need" in links(page, f"needs-{slug}")
    assert "Confirm your e-mail address first" in section(page, f"needs-{slug}")  # before it may publish a need
    assert "No supplier has expressed interest yet." in section(page, f"buyer-interests-{slug}")
    assert "No supplier to suggest yet" in section(page, f"suppliers-{slug}")
    assert "No upcoming event for you." in section(page, f"buyer-events-{slug}")
    now = timezone.now()
    b2p = Event.objects.create(
        slug="b2p-chisinau", title="B2P: water utilities meet suppliers", kind=Event.Kind.B2P, status="published",
        starts=now + timedelta(days=30), ends=now + timedelta(days=30, hours=4), timezone="Europe/Chisinau",
    )  # fmt: skip
    b2p.organisers.add(orgs["cluster"])
    page = page_of(client_of(newcomer))
    assert items(page, f"buyer-events-{slug}")[0].startswith("B2P: water utilities meet suppliers ")


def test_buyer_opportunity_form_opens_on_a_procurement_need(client_for):
    page = page_of(client_for("procurer"), "/opportunities/new/?kind=procurement_need")
    assert page.xpath('//select[@name="kind"]/option[@selected]/@value') == ["procurement_need"]


# ---- an operator -------------------------------------------------------------------------------------------


def test_operator_sees_ingest_and_alert_runs_what_waits_for_verification_and_counts(client_for, lively):
    page = page_of(client_for("operator"))
    stats = [" ".join(t.strip() for t in d.itertext()) for d in page.xpath('//dl[contains(@class, "dash-stats")]/div')]
    assert stats == [
        "notices open for bids 5", "notices in total 6", "buyer countries 2", "SMEs 2", "clusters and BSOs 4",
        "public buyers 1", "people 6", "active watches 2", "matches in 7 days 5", "upcoming events 1",
        "open opportunities 6",
    ]  # fmt: skip
    assert items(page, "op-verification") == [
        f"Prut Valley Water Cluster Cluster Moldova registered on {timezone.localdate():%-d %b %Y}"
    ]
    run = lively.ingest_run
    rows = [
        " ".join(" ".join(tr.itertext()).split())
        for tr in page.xpath('//section[@aria-labelledby="op-ingest"]//tbody/tr')
    ]
    started = f"{timezone.localtime(run.started):%-d %b, %H:%M}"
    assert (
        rows
        == [  # read 1: new 0, updated 0, unchanged 0, rejected 1
            f"paraguay-sample OCDS (JSON) · {run.location[:47]}… {started} Done 1 0 0 0 1",
            f"Rejected {run.location}:records[0]: a record with only linked releases and no compiled release: nothing "
            "to read",
        ]
    )
    alert = lively.alert_run
    rows = [text(tr) for tr in page.xpath('//section[@aria-labelledby="op-alerts"]//tbody/tr')]
    assert rows == [
        # One watch matched (the other skipped); AquaPure's matches were found on saving.
        f"{timezone.localtime(alert.started):%-d %b, %H:%M} 1 6 0 0 1 0",
        f"watch {lively.alert_run.problems[0].split()[1]} (Old solar): keywords: must be a list",
    ]
    assert "/orgs/verification/" in links(page, "op-verification")


def test_operator_empty_states(client_for):
    page = page_of(client_for("operator"))
    assert "No organisation waits for verification." in section(page, "op-verification")
    assert "No notices were ingested yet." in section(page, "op-ingest")
    assert "No alert run yet" in section(page, "op-alerts")


# ---- queries -----------------------------------------------------------------------------------------------


def _queries(client, url: str = "/") -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(demo, users, n: int, start: int) -> None:
    """More of everything a dashboard lists: members (sharing), their matches, bids and offers; notices that fit
    them; events of the cluster with registrations to approve."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from greenbridge.partnering.services import opportunity_save

    cluster = demo.orgs["cluster"]
    now = timezone.now()
    for i in range(start, start + n):
        member = organisation_create(
            name=f"Member {i}", kind="sme", country="MD", cpv_codes=["45232150"], green_sectors=["water"],
            description="Pipes.", languages=["ro"],
        )  # fmt: skip
        person = get_user_model().objects.create_user(username=f"m{i}@x.example", email=f"m{i}@x.example")
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        membership_set(user=person, organisation=member, role=Membership.Role.ADMIN)
        cluster_member_add(cluster=cluster, member=member, shares_private_data=True)
        notice = make_notice(
            f"grow-{i}", title=f"Water mains {i}", buyer_country="MD", cpv_codes=["45232150"],
            green_sectors=["water"], deadline=now + timedelta(days=3 + i % 4),
        )  # fmt: skip
        matching.watch_save(
            organisation=member, user=None, data={"cpv_codes": ["45232150"], "countries": ["MD"]}, name="W"
        )
        matching.mark_set(organisation=member, notice=notice, user=None, value="will_bid")
        matching.star_toggle(user=users["sme"], notice=notice)
        opportunity_save(
            organisation=member, user=person,
            data={"kind": "business_offer", "title": f"Pipes {i}", "summary": "Pipes.", "cpv_codes": ["45232150"],
                  "expires": timezone.localdate() + timedelta(days=90)},
        )  # fmt: skip
        event = Event.objects.create(
            slug=f"grow-{i}", title=f"Event {i}", starts=now + timedelta(days=10),
            ends=now + timedelta(days=10, hours=4), status="published", approval_required=True,
        )  # fmt: skip
        event.organisers.add(cluster)
        events.registration_create(event=event, user=users["procurer"], organisation=demo.orgs["procurer"])


@pytest.mark.parametrize(("role", "most"), [("sme", 23), ("manager", 34), ("procurer", 30), ("operator", 24)])
def test_dashboard_queries_do_not_grow_with_what_they_list(
    client_for, demo, users, lively, django_assert_max_num_queries, role, most
):
    client = client_for(role)
    _grow(demo, users, 3, 0)
    client.get("/")  # the first visit records it; the label caches fill
    baseline = _queries(client)
    _grow(demo, users, 12, 3)
    with django_assert_max_num_queries(baseline):
        client.get("/")
    assert baseline <= most, f"{role}: {baseline} queries"


def test_sme_new_matches_put_the_notices_one_can_still_bid_for_first(client_for, orgs, lively):
    mains = lively.notices["mains"]  # the best match, now closed: a real tender of the past
    mains.deadline = timezone.now() - timedelta(days=3)
    mains.save(update_fields=["deadline"])
    titles = [item.split(" 0.")[0] for item in items(page_of(client_for("sme")), f"matches-{orgs['sme'].slug}")]
    assert titles == [
        "Construction of a wastewater treatment plant in Cahul",
        "Supply of drinking-water filtration units",
        # Closed since, and an award (who won): after those one can still bid for.
        "Rehabilitation of the water mains of Soroca",
        "Wastewater treatment plant of Ungheni: contract award",
    ]
