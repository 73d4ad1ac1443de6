"""Browser tests: Playwright's sync API driving Debian's chromium (never `playwright install`)
against pytest-django's live server. Each test saves a screenshot of every page it visits into
test-artifacts/ (gitignored), so people can look at them."""

import base64
import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of fixtures and of the
# live server are still synchronous, which Django would otherwise refuse next to a running loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None:
        # On CI a missing browser is a failure, not a reason to pass without the browser tests.
        message = f"{CHROMIUM} is not installed (make system-deps installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (1280×900, English); JavaScript errors on the page fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


FULL_SIZE = """() => { const d = document.documentElement, b = document.body || d;
  return [Math.max(d.scrollWidth, b.scrollWidth), Math.max(d.scrollHeight, b.scrollHeight)]; }"""


def _full_size(page) -> tuple[int, int]:
    """The page's whole width and height, once the document a click may just have navigated to has loaded.
    Playwright's own screenshot waits the same way; without it a screenshot taken right after a form's submit button
    can read a document whose body is not parsed yet (seen once on CI)."""
    from playwright.sync_api import Error

    page.wait_for_load_state()
    try:
        return page.evaluate(FULL_SIZE)
    except Error:  # a navigation committed during the evaluation: measure the new document once it has loaded
        page.wait_for_load_state()
        return page.evaluate(FULL_SIZE)


def full_page_png(page, path: Path) -> None:
    """The whole page as PNG, the same pixels as Playwright's `page.screenshot(full_page=True)` (compared by hand on
    2026-12-06) in about 55% of its time: chromium's own capture (DevTools Protocol, Page.captureScreenshot) asked
    to favour speed over size, a faster PNG encoding (files about 20% larger). The screens test takes some 450."""
    width, height = _full_size(page)
    cdp = page.context.new_cdp_session(page)
    try:
        shot = cdp.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
    finally:
        cdp.detach()
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.fixture
def screenshot(page, request):
    """screenshot("home") -> test-artifacts/<test name>-01-home.png (the whole page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)
    count = 0

    def take(name: str) -> Path:
        nonlocal count
        count += 1
        path = ARTIFACTS / f"{test_name}-{count:02d}-{name}.png"
        full_page_png(page, path)
        return path

    return take


@pytest.fixture
def sign_in(page, live_server):
    """sign_in(user): the page's browser is signed in as that user (a session made by Django's test client)."""
    from django.test import Client

    def sign(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])

    return sign
