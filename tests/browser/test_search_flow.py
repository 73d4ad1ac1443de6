"""End to end in a real chromium: from the home page to a notice's deadline, through the search
filters (words, country, a CPV code picked in the picker), with htmx and without JavaScript."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import make_notice

# The live server needs committed data, so these tests are transactional (tests/conftest.py writes back
# the CPV codes that the migrations load once the flush after a transactional test has emptied them).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def notices():
    now = timezone.now()
    return [
        make_notice(
            "md-1",
            title="Water supply network rehabilitation in Ungheni",
            buyer_name="Primăria Ungheni",
            buyer_country="MD",
            cpv_codes=["45232150"],
            green_sectors=["water"],
            deadline=(now + timedelta(days=12)).replace(hour=12, minute=0),  # 12 calendar days, whatever the hour
            value_amount=Decimal("9000000"),
            value_currency="MDL",
            published=now - timedelta(days=1),
        ),
        make_notice(
            "md-2",
            title="Supply of water meters for Cahul",
            buyer_name="Apă-Canal Cahul",
            buyer_country="MD",
            cpv_codes=["38421100"],
            green_sectors=["water"],
            deadline=now + timedelta(days=20),
            published=now - timedelta(days=2),
        ),
        make_notice(
            "md-3",
            title="Water treatment chemicals",
            buyer_name="Apă-Canal Chișinău",
            buyer_country="MD",
            cpv_codes=["24962000"],
            deadline=now + timedelta(days=8),
            published=now - timedelta(days=3),
        ),
        make_notice(
            "ua-1",
            title="Water supply pumps for Uman",
            buyer_name="Уманська міська рада",
            buyer_country="UA",
            cpv_codes=["42122000"],
            green_sectors=["water"],
            deadline=now + timedelta(days=15),
            published=now - timedelta(days=4),
        ),
        make_notice(
            "ro-1",
            title="Street lighting modernisation",
            buyer_name="Primăria Galați",
            buyer_country="RO",
            cpv_codes=["45316110"],
            deadline=now + timedelta(days=30),
            published=now - timedelta(days=5),
        ),
    ]


def count_text(page) -> str:
    return page.locator(".results__count").inner_text().strip()


def wait_for_count(page, text: str) -> None:
    page.wait_for_function("t => (document.querySelector('.results__count') || {}).textContent.trim() === t", arg=text)


def test_search_filter_and_open_a_notice(live_server, page, screenshot, notices):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Public tenders abroad for green businesses"
    screenshot("home")

    # A word from the home page's search box.
    page.fill("#home-q", "water")
    page.click("form.hero-search button[type=submit]")
    page.wait_for_url("**/notices/?q=water")
    assert count_text(page) == "4 notices"
    assert page.locator("#id_q").input_value() == "water"
    screenshot("search-water")

    # A country: htmx updates the results and the address, without reloading the page.
    page.evaluate("window.notReloaded = true")
    page.check("#country-MD")
    wait_for_count(page, "3 notices")
    assert page.url.endswith("/notices/?q=water&country=MD")
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("[data-filter-count]").inner_text() == "1 active"
    screenshot("country-md")

    # A CPV code from the picker: search by its first digits, click the code, a chip appears.
    page.fill("#cpv-picker", "45232")
    option = page.locator("#cpv-picker-options .picker__option[data-code='45232000']")
    option.wait_for()
    screenshot("cpv-picker-options")
    option.click()
    wait_for_count(page, "1 notice")
    assert page.url.endswith("/notices/?q=water&country=MD&cpv=45232000")
    chip = page.locator("#cpv-chips .chip")
    assert chip.count() == 1
    assert "45232000" in chip.inner_text()
    assert page.locator("#results-status").inner_text() == "1 notice found"
    assert page.locator("[data-filter-count]").inner_text() == "2 active"
    screenshot("cpv-chip")

    # Removing the chip widens the search again.
    chip.locator("[data-chip-remove]").click()
    wait_for_count(page, "3 notices")
    assert page.url.endswith("/notices/?q=water&country=MD")
    page.fill("#cpv-picker", "45232")
    page.locator("#cpv-picker-options .picker__option[data-code='45232000']").click()
    wait_for_count(page, "1 notice")

    # The notice: its deadline with the days left, and the calendar file.
    page.click("text=Water supply network rehabilitation in Ungheni")
    page.wait_for_url(f"**/notices/{notices[0].pk}/")
    assert page.locator("h1").inner_text() == "Water supply network rehabilitation in Ungheni"
    deadline = page.locator(".keyfacts__deadline")
    assert "12 days left" in deadline.inner_text()
    ics = page.locator("a.ics-link")
    assert ics.inner_text() == "Add deadline to calendar (.ics)"
    assert ics.get_attribute("href") == f"/notices/{notices[0].pk}/deadline.ics"
    screenshot("notice")
    response = page.request.get(live_server.url + ics.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in response.text()

    # Back to the results, as they were.
    page.go_back()
    page.wait_for_url("**/notices/?q=water&country=MD&cpv=45232000")
    assert count_text(page) == "1 notice"
    assert page.locator("#country-MD").is_checked()


def test_search_works_without_javascript(live_server, browser, notices):
    from tests.browser.conftest import ARTIFACTS

    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/notices/")
        assert count_text(page) == "5 notices"
        page.fill("#id_q", "water")
        page.check("#country-UA")
        page.click(".searchbar button[type=submit]")
        page.wait_for_url("**/notices/?q=water*country=UA*")
        assert count_text(page) == "1 notice"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "test_search_works_without_javascript-01-results-390.png"), full_page=True)
    finally:
        context.close()
