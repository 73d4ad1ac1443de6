"""In a real chromium: each demo role signs in and lands on its own dashboard, whose menu follows the role and whose
signed-in header stays on one line at 1366 px; screenshots at 390 and 1366 px of each (test-artifacts/). Then a
cluster manager invites a company by e-mail, and its director follows the link, signs up and joins."""

import re

import pytest
from django.core import mail

from greenbridge.orgs.models import ClusterMembership, Invitation
from tests.browser.conftest import ARTIFACTS
from tests.dashboard.lively import make_lively
from tests.dashboard.test_dashboards import MENUS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ROLES = {  # role: (the greeting, the panels, the menu)
    "sme": ("Hello, Ana Popescu", ["AquaPure Systems SRL"], MENUS["sme"]),
    "manager": ("Hello, Maria Ionescu", ["Danube Green Tech Cluster"], MENUS["manager"]),
    "procurer": ("Hello, Olga Ceban", ["Primăria Ungheni"], MENUS["procurer"]),
    "operator": ("Hello, Platform Operator", ["The platform"], MENUS["operator"]),
}


def _header_is_one_line(page) -> bool:
    """The brand, the last menu item and the sign-out button sit on one row."""
    boxes = [
        page.locator(selector).bounding_box()
        for selector in (".brand", ".site-nav li:last-child a", ".site-tools .button--ghost")
    ]
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    return max(middles) - min(middles) < 12


def test_a_person_signs_in_and_lands_on_their_dashboard(page, live_server, demo, screenshot):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill("ana@demo.greenbridge.example")
    page.locator("#id_password").fill(demo.password)
    page.locator("main").get_by_role("button", name=re.compile(r"^sign in$", re.IGNORECASE)).click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Hello, Ana Popescu"
    assert page.get_by_role("heading", name="What your profile lacks").is_visible()
    screenshot("signed-in")


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_sees_its_dashboard_at_390_and_1366_px(page, live_server, demo, sign_in, screenshot, role):
    make_lively(demo)
    sign_in(demo.users[role])
    greeting, panels, menu = ROLES[role]
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + "/")
        assert page.locator("h1").inner_text() == greeting
        assert page.locator(".dash-panel > header h2").all_inner_texts() == panels
        assert page.locator(".site-nav a").all_inner_texts() == menu
        if width == 1366:
            assert _header_is_one_line(page), f"{role}: the signed-in header wraps at 1366 px"
        # Nothing is wider than the window (tables scroll inside their card).
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(f"{role}-{width}")


def test_a_manager_invites_a_company_whose_director_signs_up_and_joins(page, live_server, demo, sign_in, screenshot):
    sign_in(demo.users["manager"])
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")
    page.locator(".dash-tools").get_by_role("link", name="Members", exact=True).click()
    page.get_by_label("Name").fill("aqua")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert page.locator("table tbody th a").all_inner_texts() == ["AquaPure Systems SRL"]
    screenshot("directory-search")
    page.get_by_role("link", name="Invite a company").first.click()
    page.get_by_label(re.compile(r"^E-mail address")).fill("director@verde-pipes.example")
    page.get_by_label(re.compile(r"^Company")).fill("Verde Pipes SRL")
    page.get_by_label(re.compile(r"^Message")).fill("Join us for the Moldova mission in March.")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("The invitation is on its way to director@verde-pipes.example").wait_for()
    screenshot("invitations")
    invitation = Invitation.objects.get()
    # The one e-mail to that address (the demo's own steps sent theirs to the demo accounts).
    [message] = [m for m in mail.outbox if m.to == ["director@verde-pipes.example"]]
    link = re.search(r"http://127\.0\.0\.1:8000(/orgs/invitations/\S+/)", message.body).group(1)
    assert link == f"/orgs/invitations/{invitation.token}/"

    # The director, in another browser: not signed in, follows the link, signs up and comes back to join.
    director = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    other = director.new_page()
    other.goto(live_server.url + link)
    other.locator("main").get_by_role("link", name="Sign up").click()
    other.locator("#id_email").fill("director@verde-pipes.example")
    other.locator("#id_password1").fill("a-long-pass-phrase-42")
    other.locator("#id_password2").fill("a-long-pass-phrase-42")
    other.locator("main").get_by_role("button", name=re.compile(r"^sign up$", re.IGNORECASE)).click()
    other.wait_for_url(live_server.url + link)
    other.get_by_label("Name of your organisation").fill("Verde Pipes SRL")
    other.get_by_label("Country").select_option("MD")
    ARTIFACTS.mkdir(exist_ok=True)  # the fixture screenshots the manager's page; this one is the director's
    other.screenshot(path=str(ARTIFACTS / "test_a_manager_invites_a_company-director-390.png"), full_page=True)
    other.get_by_role("button", name="Join Danube Green Tech Cluster").click()
    other.get_by_text("Verde Pipes SRL is now a member of Danube Green Tech Cluster.").wait_for()
    director.close()
    link_row = ClusterMembership.objects.get(member__name="Verde Pipes SRL")
    assert (link_row.cluster.name, link_row.shares_private_data) == ("Danube Green Tech Cluster", False)

    page.goto(live_server.url + f"/orgs/{demo.orgs['cluster'].slug}/members/invitations/")
    assert "Accepted" in page.locator("table tbody tr").first.inner_text()
    screenshot("invitation-accepted")
