"""End to end in a real chromium: a newcomer signs up, registers a cluster (its lists picked with the list fields:
a language from the list, a CPV code from the picker, certifications one per line), confirms their e-mail address,
sees that the cluster awaits verification and cannot publish an event; an operator verifies it; then the event is
published and shows the cluster as verified."""

import re

import pytest
from django.core import mail

from greenbridge.events.models import Event
from greenbridge.orgs.models import Organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

EMAIL = "dana@nova-cluster.example"
PASSWORD = "a-long-pass-phrase-42"


def _fill_event(page) -> None:
    page.get_by_label("Title").fill("Nova water days")
    page.get_by_label(re.compile(r"^Status")).select_option("published")
    page.get_by_label(re.compile(r"^Starts")).fill("2030-03-10T09:00")
    page.get_by_label(re.compile(r"^Ends")).fill("2030-03-10T13:00")
    page.get_by_label(re.compile(r"^Time zone")).fill("Europe/Chisinau")


def test_a_new_cluster_waits_for_verification_before_it_publishes_an_event(
    page, live_server, screenshot, sign_in, demo
):
    # Sign up: allauth sends the address a confirmation link; the newcomer is signed in.
    page.goto(live_server.url + "/accounts/signup/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile(r"^sign up$", re.IGNORECASE)).click()
    page.wait_for_url(live_server.url + "/**")

    # Register a cluster; the lists are picked, not typed as text split on spaces.
    page.goto(live_server.url + "/orgs/new/")
    page.get_by_label("Name", exact=True).fill("Nova Water Cluster")
    page.get_by_label("Kind").select_option("cluster")
    page.get_by_label("Country").select_option("MD")
    page.get_by_label("Add a language").select_option("ro")
    languages = page.locator("#id_languages_chosen")
    languages.get_by_role("checkbox", name="Romanian").wait_for()
    assert page.get_by_label("Add a language").input_value() == ""  # back to "Choose…": sent once
    page.get_by_label("Find a CPV code to add").fill("sewage-treatment plant")
    page.locator("#id_cpv_codes_picker-options .picker__option[data-code='45252100']").click()
    page.locator("#id_cpv_codes_chosen").get_by_role("checkbox", name=re.compile(r"^45252100 ")).wait_for()
    page.get_by_label(re.compile(r"^Certifications")).fill("ISO 14001\nEMAS, registered 2019")
    screenshot("register-cluster")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("awaits verification by the platform operators").first.wait_for()
    org = Organisation.objects.get(name="Nova Water Cluster")
    assert (org.languages, org.cpv_codes, org.certifications) == (
        ["ro"],
        ["45252100"],
        ["ISO 14001", "EMAS, registered 2019"],
    )
    assert org.verification == "pending"
    page.get_by_text("Confirm your e-mail address first").wait_for()

    # Confirm the address with the link from the e-mail.
    (message,) = [m for m in mail.outbox if EMAIL in m.to]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    page.get_by_role("button", name="Confirm").click()
    page.goto(f"{live_server.url}/orgs/{org.slug}/")
    page.locator(".tag--verification-pending").get_by_text("Awaiting verification").wait_for()
    page.get_by_text("Nova Water Cluster is awaiting verification by the platform operators").wait_for()
    screenshot("cluster-awaiting-verification")

    # The event form says so, and publishing is refused; nothing is published.
    page.goto(live_server.url + "/events/new/")
    _fill_event(page)
    page.get_by_role("button", name="Save the event").click()
    page.locator("#error-summary").get_by_text("is awaiting verification by the platform operators").wait_for()
    screenshot("event-refused")
    assert not Event.objects.filter(title="Nova water days").exists()

    # An operator verifies the cluster from the verification page.
    sign_in(demo.users["operator"])
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Verification").click()
    page.get_by_text(EMAIL).wait_for()
    screenshot("operator-verification")
    page.get_by_role("button", name="Verify Nova Water Cluster").click()
    page.get_by_text("Nova Water Cluster is verified; its people were told by e-mail.").wait_for()
    assert [m.subject for m in mail.outbox if EMAIL in m.to][-1] == "Nova Water Cluster is verified on GreenBridge"

    # Back as the newcomer: the event is published, with the verified badge.
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile(r"^sign in$", re.IGNORECASE)).click()
    page.wait_for_url(live_server.url + "/**")
    page.goto(live_server.url + "/events/new/")
    _fill_event(page)
    page.get_by_role("button", name="Save the event").click()
    page.get_by_text("The event is saved.").wait_for()
    event = Event.objects.get(title="Nova water days")
    assert event.status == "published"
    page.goto(live_server.url + event.get_absolute_url())
    page.locator(".keyfacts .verified").get_by_text("Verified").wait_for()
    screenshot("event-published-verified")
