"""End to end in a real chromium: a cluster manager opens a country profile, ranks the markets of a member company
for the cluster's strategy, adds the top market, cites its figures in a SWOT item, and exports the strategy as a
Word document."""

import io

import pytest
from docx import Document

from tests.browser.test_market_flow import history  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_rank_a_members_markets_add_the_top_one_cite_it_and_export(history, page, live_server, sign_in, screenshot):  # noqa: F811
    from django.contrib.auth import get_user_model

    from greenbridge.orgs.models import Membership, Organisation
    from greenbridge.orgs.services import cluster_member_add
    from greenbridge.strategy.services import strategy_create

    cluster = Organisation.objects.create(name="Danube cluster", slug="danube", kind="cluster", country="RO")
    company = Organisation.objects.create(
        name="Apa RO", slug="apa-ro", kind="sme", country="RO", cpv_codes=["45232400"], languages=["ro"]
    )
    cluster_member_add(cluster=cluster, member=company, shares_private_data=True)
    manager = get_user_model().objects.create_user(username="maria", email="maria@danube.example")
    Membership.objects.create(user=manager, organisation=cluster, role=Membership.Role.MANAGER)
    strategy_create(user=manager, owner=cluster, title="Danube strategy 2027")
    sign_in(manager)

    page.goto(f"{live_server.url}/market/countries/MD/")
    page.get_by_role("heading", name="Moldova").wait_for()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Strategies").first.click()
    page.get_by_role("link", name="Danube strategy 2027").click()
    page.get_by_role("link", name="Choose from the target-market ranking").click()
    page.get_by_text("Rank for…").click()
    page.get_by_role("link", name="Apa RO").click()
    page.get_by_role("heading", name="Countries ranked").wait_for()
    screenshot("choose-markets")
    top = page.locator(".ranking__row").first
    country = top.locator(".ranking__country").inner_text()
    top.get_by_role("button", name="Add to the strategy").click()
    page.locator(".message--success").get_by_text(f"{country} added to the target markets").wait_for()
    markets = page.locator("#section-markets .strategy-market h3 a")
    assert markets.all_inner_texts() == [country]

    swot = page.locator("#section-swot")
    swot.get_by_text("Add a SWOT item").click()
    swot.get_by_label("Quadrant").select_option("opportunity")
    swot.get_by_label("Item").fill("Buyers there award our kind of works to foreign firms")
    evidence = swot.get_by_label("Evidence")
    labels = [o for o in evidence.locator("option").all_inner_texts() if o.startswith(f"{country}:")]
    evidence.select_option(label=labels[0])
    swot.get_by_role("button", name="Add", exact=True).click()
    page.locator(".swot__quadrant--opportunity").get_by_text(labels[0]).wait_for()
    screenshot("strategy")

    page.get_by_text("Versions and exports").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Word document (DOCX)").click()
    assert download.value.suggested_filename == "danube-strategy-2027.docx"
    doc = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert country in text
    assert f"[{labels[0]}]" in doc.tables[0].cell(1, 0).text
