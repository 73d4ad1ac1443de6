"""End to end in a real chromium: a visitor opens the market figures, narrows them to a country and a sector,
follows a figure to the notices behind it, and opens a country profile."""

import pytest

from tests.conftest import DATA

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def history():
    from greenbridge.market.history import create_demo_history
    from greenbridge.tenders.services import notices_ingest

    notices_ingest(connector="eforms", location=str(DATA / "ted_r209"), source="ted")
    return create_demo_history(600)


def test_market_figures_to_the_notices_behind_them_and_a_country_profile(history, page, live_server, screenshot):
    assert history == 600
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Markets").click()
    page.get_by_role("heading", name="Market figures").wait_for()
    screenshot("market")
    page.locator("#country-MD").check()
    page.locator("#sector-water").check()
    page.get_by_role("button", name="Show the figures").click()
    page.wait_for_url("**/market/?*country=MD*")
    screenshot("moldova-water")
    notices = int(page.locator(".market-figures .stat").first.locator("dd").inner_text())
    assert notices > 0
    assert page.get_by_role("heading", name="Competition and integrity indicators").is_visible()
    assert page.locator("svg.bars").count() == 3
    page.locator(".market-figures .stat").first.get_by_role("link").click()
    page.get_by_role("heading", name="The notices behind a figure").wait_for()
    screenshot("notices-behind")
    assert page.locator(".results__list .result").count() == min(notices, 50)
    assert "[Generated]" in page.locator(".result__title").first.inner_text()
    page.goto(f"{live_server.url}/market/countries/")
    page.get_by_role("link", name="Moldova").click()
    page.get_by_role("heading", name="Moldova").wait_for()
    screenshot("country-profile")
    assert page.get_by_text("Romanian").is_visible()
    assert page.get_by_role("link", name="MTender").is_visible()
    with page.expect_download() as download:
        page.goto(f"{live_server.url}/market/")
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "market.csv"


def test_a_company_ranks_its_target_markets_and_weighs_the_factors(history, page, live_server, sign_in, screenshot):
    from greenbridge.orgs.models import Membership, Organisation
    from tests.market.test_ranking import get_user

    company = Organisation.objects.create(
        name="Apa RO", slug="apa-ro", kind="sme", country="RO", cpv_codes=["45232400"], languages=["ro"]
    )
    user = get_user(company)
    assert Membership.objects.filter(user=user, organisation=company).exists()
    sign_in(user)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Target markets").click()
    page.get_by_role("heading", name="Countries ranked").wait_for()
    screenshot("target-markets")
    rows = page.locator(".ranking__row")
    assert rows.count() >= 15  # the partner countries at least
    first = rows.first.locator(".ranking__country").inner_text()
    assert rows.first.locator(".ranking__why").inner_text().startswith(f"{first} ranks no. 1: ")
    rows.first.get_by_text("Factors").click()
    assert rows.first.locator("tbody tr").count() == 7
    # The map: the first country is a link to its row.
    code = rows.first.get_attribute("id").removeprefix("rank-")
    page.locator(f'svg path[data-country="{code}"]').click()
    page.wait_for_url(f"**#rank-{code}")
    # Only proximity counts: Moldova (Romanian spoken there) comes first.
    for name in ("size", "growth", "openness", "competition", "integrity", "funding"):
        page.locator(f"#id_{name}").fill("0")
    page.locator("#id_proximity").fill("100")
    page.get_by_role("button", name="Save the weights").click()
    page.locator(".message--success").get_by_text("Your weights are saved").wait_for()
    assert page.locator(".ranking__row").first.locator(".ranking__country").inner_text() == "Moldova"
    screenshot("target-markets-proximity")
