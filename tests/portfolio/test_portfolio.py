"""The service portfolio through its pages, services and selectors, on the demo's two catalogues (Danube Green Tech
Cluster's and Prut Cleantech Cluster's) and AquaPure's two engagements: the delivered and rated "Data governance
clinic" and the requested "Automation and AI starter workshop"."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import icalendar
import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from greenbridge.assessments.models import Assessment
from greenbridge.core.errors import Refused
from greenbridge.orgs import recommend
from greenbridge.orgs.models import Membership, Organisation
from greenbridge.orgs.services import cluster_member_add, organisation_create
from greenbridge.portfolio import selectors, services
from greenbridge.portfolio.models import Engagement, Service, Session
from tests.conftest import form_data

from .conftest import ACTIVE, DMA, TENDER, person, signed_in


def doc(response):
    return lxml.html.fromstring(response.content.decode())


def text(response) -> str:
    """The page's text as a reader sees it, spaces collapsed."""
    return " ".join(doc(response).text_content().split())


def titles(response) -> list[str]:
    """The services listed on a page, in order."""
    return [" ".join(a.text_content().split()) for a in doc(response).xpath("//h3[@class='result__title']/a")]


def refused(message: str):
    """Expect a service to refuse with exactly this message."""
    return pytest.raises(Refused, match=f"^{re.escape(message)}$")


def said(response) -> list[str]:
    """The messages this response added (those of earlier requests wait in the client's cookie until a page shows
    them: they are left out)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


# -- the public portfolio ----------------------------------------------------------------------------------------


def test_the_portfolio_lists_the_active_services_with_their_provider(client, demo):
    response = client.get("/services/")
    assert response.status_code == 200
    assert titles(response) == ACTIVE  # not the draft "Circular design sprint"
    page = text(response)
    assert "6 services · from 2 organisations" in page
    cards = {
        " ".join(li.xpath(".//h3")[0].text_content().split()): " ".join(li.text_content().split())
        for li in doc(response).xpath("//li[contains(@class, 'service')]")
    }
    assert "Danube Green Tech Cluster · Free · 7 h · Romanian" in cards["Automation and AI starter workshop"]
    assert "Prut Cleantech Cluster · Free · 8 h" in cards["Digital strategy roadmap"]
    assert cards["Energy audit voucher"].startswith(
        "Green transition Members only Energy audit voucher Danube Green Tech Cluster · delivered by Prut Cleantech "
        "Cluster · €100 for members, €900 for others · 16 h · Romanian, English A certified auditor"
    )
    assert "Free for members, €450 for others · 6 h" in cards["Data governance clinic"]
    assert (
        "Export market scan: Moldova, Ukraine, Romania Prut Cleantech Cluster · €300 · 5 h"
        in cards["Export market scan: Moldova, Ukraine, Romania"]
    )
    assert "Improves: Data Management · Digital Readiness" in cards["Data governance clinic"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=data", ["Data governance clinic"]),
        ("q=DATA+governance", ["Data governance clinic"]),  # every word, any case
        ("q=plan+pilot", ["Automation and AI starter workshop"]),  # the roadmap has "plan" but not "pilot"
        ("q=prut", ["Digital strategy roadmap", "Export market scan: Moldova, Ukraine, Romania"]),  # the provider
        ("q=Andrei", ["Data governance clinic"]),  # the expert
        ("q=nothing-like-this", []),
        ("category=digital", ["Data governance clinic"]),
        ("category=green", ["Energy audit voucher"]),  # the draft sprint is green too
        ("provider={prut}", ["Digital strategy roadmap", "Export market scan: Moldova, Ukraine, Romania"]),
        (f"dimension={DMA}:data_management", ["Data governance clinic"]),
        (f"dimension={DMA}:automation_ai", ["Automation and AI starter workshop"]),
        ("format=on_site", ["Automation and AI starter workshop", "Energy audit voucher"]),
        ("language=uk", [TENDER]),
        ("language=ru", ["Digital strategy roadmap"]),
        ("free=on", ["Automation and AI starter workshop", "Digital strategy roadmap"]),
        ("country=RO", ACTIVE),  # the roadmap is open to Moldova and Romania
        ("country=UA", [s for s in ACTIVE if s != "Digital strategy roadmap"]),
        ("country=MD&free=on", ["Automation and AI starter workshop", "Digital strategy roadmap"]),
        ("country=UA&free=on", ["Automation and AI starter workshop"]),
        ("category=training&format=group&language=ro&free=on", ["Automation and AI starter workshop"]),
    ],
)
def test_search_and_filters(client, partner, query, expected):
    response = client.get(f"/services/?{query.format(prut=partner.slug)}")
    assert response.status_code == 200
    assert titles(response) == expected
    if not expected:
        assert "No service matches these filters." in text(response)


@pytest.mark.parametrize(
    "query",
    [
        "category=no-such-category",
        "q=" + "w" * 10_000,
        "page=abc",
        "page=99999",
        "page=-1",
        "dimension=nothing:at-all",
        "provider=../../etc",
        "country=ZZ",
        "language=" + "x" * 300,
    ],
)
def test_absurd_filters_give_a_plain_page(client, demo, query):
    response = client.get(f"/services/?{query}")
    assert response.status_code == 200
    assert titles(response) == ACTIVE  # the filter that cannot be read is not applied


def test_a_nul_character_in_a_filter_is_a_bad_request_in_plain_words(client, demo):
    response = client.get("/services/?format=%00")
    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()


def test_the_portfolio_pages(client, demo, partner):
    for n in range(30):
        Service.objects.create(
            provider=partner, name=f"Mentoring {n:02d}", category="advisory", summary="x", status="active"
        )
    first, second = client.get("/services/"), client.get("/services/?category=advisory&page=2")
    assert len(titles(first)) == 24
    assert "36 services" in text(first)
    assert titles(second) == [f"Mentoring {n:02d}" for n in range(23, 30)]  # 31 advisory: 24, then 7
    assert "Page 2 of 2" in text(second)
    assert 'href="?category=advisory&amp;page=1"' in second.content.decode()


def test_services_of_a_cluster_awaiting_verification_are_not_in_the_portfolio(client, demo):
    pending = organisation_create(name="Siret Valley Cluster", kind=Organisation.Kind.CLUSTER, country="RO")
    assert pending.verification == Organisation.Verification.PENDING
    Service.objects.create(provider=pending, name="Unchecked clinic", category="digital", summary="x", status="active")
    assert titles(client.get("/services/")) == ACTIVE
    assert [s.name for s in selectors.services_offered()] == ACTIVE


# -- a service's page --------------------------------------------------------------------------------------------


def test_an_eligible_sme_sees_the_request_form(client_for, svc, orgs):
    response = client_for("sme").get(f"/services/{svc['Data governance clinic'].pk}/")
    page = text(response)
    assert "For AquaPure Systems SRL" in page
    assert "Send the request" in page
    assert form_data(response.content.decode()) == {
        "csrfmiddlewaretoken": [response.context["csrf_token"]],
        "assessment": [""],
        "organisation": [str(orgs["sme"].pk)],
        "message": [""],
        "preferred_dates": [""],
    }
    # Its request for the workshop is already under way: it is shown, not asked again.
    workshop = client_for("sme").get(f"/services/{svc['Automation and AI starter workshop'].pk}/")
    assert "AquaPure Systems SRL already asked for it: requested. See it" in text(workshop)


def test_a_company_that_may_not_ask_is_told_why(demo, svc, users):
    big = organisation_create(
        name="Volta Grid SA", kind=Organisation.Kind.SME, country="UA", size_class=Organisation.Size.LARGE
    )
    volta = signed_in(person("olena@volta.example", organisation=big, role=Membership.Role.ADMIN))
    page = text(volta.get(f"/services/{svc['Energy audit voucher'].pk}/"))
    assert (
        "Your company cannot request this service: Only for members of Danube Green Tech Cluster. Only for "
        "companies of these sizes: Micro (fewer than 10 staff), Small (fewer than 50 staff), Medium (fewer than 250 "
        "staff)." in page
    )
    assert "Send the request" not in page
    roadmap = text(volta.get(f"/services/{svc['Digital strategy roadmap'].pk}/"))
    assert "Your company cannot request this service: Only for companies based in the countries listed." in roadmap
    # Helios is a member of the cluster (without sharing its data), and micro: it may ask for the voucher.
    helios = text(signed_in(users["other_sme"]).get(f"/services/{svc['Energy audit voucher'].pk}/"))
    assert "For Helios Solar SRL" in helios


def test_visitors_are_asked_to_sign_in_and_cluster_staff_cannot_request(client, client_for, svc):
    url = f"/services/{svc['Data governance clinic'].pk}/"
    page = text(client.get(url))
    assert "Sign in to request it" in page
    assert "Send the request" not in page
    staff = text(client_for("advisor").get(url))
    assert "Companies request services: you do not act for a company on GreenBridge." in staff
    assert "Edit" in staff


def test_a_draft_is_its_providers_only_and_cannot_be_requested(client_for, svc, orgs):
    draft = svc["Circular design sprint"]
    assert client_for("sme").get(f"/services/{draft.pk}/").status_code == 404
    response = client_for("sme").post(f"/services/{draft.pk}/request/", {"organisation": orgs["sme"].pk})
    assert response.status_code == 404
    assert "Not offered at the moment." in text(client_for("manager").get(f"/services/{draft.pk}/"))
    with refused("This service is not offered at the moment."):
        services.engagement_request(service=draft, organisation=orgs["sme"], user=None)


# -- a request, its answer, sessions, delivery and the rating ------------------------------------------------------


def test_the_whole_engagement_through_the_pages(
    client_for, svc, users, orgs, mailoutbox, django_capture_on_commit_callbacks
):
    sme, manager, advisor = client_for("sme"), client_for("manager"), client_for("advisor")
    tender = svc[TENDER]

    # The SME asks; the cluster's manager and advisor are told.
    with django_capture_on_commit_callbacks(execute=True):
        response = sme.post(
            f"/services/{tender.pk}/request/",
            {"organisation": orgs["sme"].pk, "message": "Our first bid in Moldova.", "preferred_dates": "March"},
        )
    engagement = Engagement.objects.get(service=tender)
    assert response.url == f"/services/engagements/{engagement.pk}/"
    assert said(response) == ["Request sent. Danube Green Tech Cluster will answer by e-mail."]
    assert (engagement.organisation, engagement.requested_by, engagement.status) == (
        orgs["sme"],
        users["sme"],
        "requested",
    )
    assert (engagement.message, engagement.preferred_dates) == ("Our first bid in Moldova.", "March")
    assert sorted(m.to[0] for m in mailoutbox) == ["andrei@demo.greenbridge.example", "maria@demo.greenbridge.example"]
    assert mailoutbox[0].subject == f"AquaPure Systems SRL asks for “{TENDER}”"
    assert "Ana Popescu of AquaPure Systems SRL asks for your service" in mailoutbox[0].body
    assert "“Our first bid in Moldova.”" in mailoutbox[0].body
    assert f"http://127.0.0.1:8000/services/engagements/{engagement.pk}/" in mailoutbox[0].body

    # A second open request for the same service is refused in words.
    again = sme.post(f"/services/{tender.pk}/request/", {"organisation": orgs["sme"].pk})
    assert again.url == f"/services/{tender.pk}/"
    assert said(again) == ["AquaPure Systems SRL already has a request for this service under way."]
    assert Engagement.objects.filter(service=tender).count() == 1

    url = f"/services/engagements/{engagement.pk}/"
    # The SME cannot answer its own request; the cluster's staff can.
    assert sme.post(f"{url}accept/", {"advisor": users["sme"].pk}).status_code == 403
    assert "Answer the request" not in text(sme.get(url))
    assert "Answer the request" in text(manager.get(url))
    # A decline needs a reason.
    for reason in ("", "   "):
        no_reason = manager.post(f"{url}decline/", {"reason": reason})
        assert said(no_reason) == ["Reason: This field is required."]
    with refused("Say why, so that the company knows what to do instead."):
        services.engagement_decline(engagement=engagement, user=users["manager"], reason=" \n ")
    # The advisor is one of the provider's staff.
    assert said(manager.post(f"{url}accept/", {"advisor": users["sme"].pk}))[0].startswith("Advisor: Select a valid")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = manager.post(f"{url}accept/", {"advisor": users["advisor"].pk})
    assert said(accepted) == ["Request accepted; the company is told."]
    engagement.refresh_from_db()
    assert (engagement.status, engagement.advisor) == ("planned", users["advisor"])
    assert [m.to for m in mailoutbox] == [["ana@demo.greenbridge.example"]]
    assert mailoutbox[0].subject == f"Your request for “{TENDER}” was accepted"
    assert (
        f"Danube Green Tech Cluster accepted your request for “{TENDER}”. Your advisor is Andrei Stan"
        in mailoutbox[0].body
    )
    assert said(manager.post(f"{url}decline/", {"reason": "Too late"})) == []  # answered: no longer theirs to answer
    assert manager.post(f"{url}decline/", {"reason": "Too late"}).status_code == 403

    # A session: the company is sent its calendar entry; the engagement is in progress.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        added = advisor.post(
            f"{url}sessions/",
            {"starts": "2027-01-12T10:00", "hours": "1.5", "notes": "Internal: their pricing is weak."},
        )
    assert said(added) == ["Session added; the company is sent the calendar entry."]
    engagement.refresh_from_db()
    assert engagement.status == "in_progress"
    (mail,) = mailoutbox
    assert mail.to == ["ana@demo.greenbridge.example"]
    assert mail.subject == f"“{TENDER}”: session on 12 Jan 2027, 10:00"
    assert "Internal" not in mail.body
    (name, content, mimetype) = mail.attachments[0]
    assert mimetype == "text/calendar"
    assert re.fullmatch(r"session-\d+\.ics", name)
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    # 10:00 where the advisor is (the cluster is in Romania: Europe/Bucharest, UTC+2 in January).
    assert event.decoded("dtstart") == datetime(2027, 1, 12, 8, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2027, 1, 12, 9, 30, tzinfo=UTC)
    assert str(event["summary"]) == f"{TENDER} · AquaPure Systems SRL"
    with django_capture_on_commit_callbacks(execute=True):
        advisor.post(
            f"{url}sessions/",
            {"starts": "2027-01-19T09:00", "hours": "2", "notes": "ESPD checklist done together.", "shared": "on"},
        )
    assert "ESPD checklist done together." in mailoutbox[-1].body
    # Absurd sessions are refused in words.
    bad = advisor.post(f"{url}sessions/", {"starts": "2027-01-20T09:00", "hours": "25"})
    assert said(bad) == ["The session was not added: Hours: Ensure this value is less than or equal to 24."]
    bad = advisor.post(f"{url}sessions/", {"starts": "9999-01-20T09:00", "hours": "1"})
    assert said(bad) == ["The session was not added: Starts: Choose a date from 1950 to 2100."]
    assert engagement.sessions.count() == 2

    # Internal notes are the cluster's: the SME reads only the shared ones.
    sme_page, staff_page = text(sme.get(url)), text(manager.get(url))
    assert "ESPD checklist done together." in sme_page
    assert "Internal: their pricing is weak." not in sme_page
    assert "Internal: their pricing is weak." in staff_page
    assert "internal note" in staff_page
    assert "Sessions · 3.50 h in all 12 Jan 2027, 10:00 · 1.50 h 19 Jan 2027, 09:00 · 2 h ESPD checklist" in sme_page
    calendar = icalendar.Calendar.from_ical(sme.get(f"{url}sessions.ics").content)
    assert [e.decoded("dtstart") for e in calendar.walk("VEVENT")] == [
        datetime(2027, 1, 12, 8, 0, tzinfo=UTC),
        datetime(2027, 1, 19, 7, 0, tzinfo=UTC),
    ]

    # Delivered once its sessions are held, not before.
    early = advisor.post(f"{url}close/", {"status": "delivered"})
    assert said(early) == [
        "A session is still to come (12 Jan 2027, 10:00): mark the engagement delivered once it has been held."
    ]
    held = engagement.sessions.last().starts - timezone.now() + timedelta(hours=1)  # time passes: both are held
    engagement.sessions.update(starts=F("starts") - held)
    # Delivered: the company is asked to rate it, with five signed links.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        closed = advisor.post(f"{url}close/", {"status": "delivered", "outcome": "First bid sent to MTender."})
    assert said(closed) == ["Engagement closed; the company is told."]
    engagement.refresh_from_db()
    assert (engagement.status, engagement.outcome) == ("delivered", "First bid sent to MTender.")
    (mail,) = mailoutbox
    assert mail.subject == f"How was “{TENDER}”?"
    links = re.findall(r"^(\d) ★ (\S+)$", mail.body, flags=re.MULTILINE)
    assert [stars for stars, _link in links] == ["1", "2", "3", "4", "5"]
    prefix = f"http://127.0.0.1:8000/services/engagements/{engagement.pk}/rate/"
    assert all(link.startswith(f"{prefix}{stars}/") for stars, link in links)
    four = links[3][1].removeprefix("http://127.0.0.1:8000")

    # Opening a link (anonymous: no sign-in needed) shows the stars chosen, and saves nothing.
    visitor = Client()
    opened = visitor.get(four)
    assert opened.status_code == 200
    checked = doc(opened).xpath("//input[@name='rating'][@checked]")
    assert [c.get("value") for c in checked] == ["4"]
    engagement.refresh_from_db()
    assert engagement.rating is None
    # Sending it saves the rating and the comment.
    sent = visitor.post(four, {"rating": "4", "comment": "  Clear and practical.  "})
    assert "Thank you: your rating is saved." in text(sent)
    engagement.refresh_from_db()
    assert (engagement.rating, engagement.rating_comment) == (4, "Clear and practical.")
    assert engagement.rated_at is not None
    assert visitor.post(four, {"rating": "9"}).status_code == 400
    # An altered token is refused.
    token = four.rstrip("/").rsplit("/", 1)[1]
    altered = visitor.get(four.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B")))
    assert altered.status_code == 403
    assert "This rating link is not valid any more" in text(altered)
    assert visitor.post(four.replace("/rate/4/", "/rate/4/x"), {"rating": "1"}).status_code == 403
    engagement.refresh_from_db()
    assert engagement.rating == 4
    # The SME changes its rating on the page; no one else rates it.
    assert client_for("other_sme").post(f"{url}rate/", {"rating": "1"}).status_code == 403
    assert manager.post(f"{url}rate/", {"rating": "1"}).status_code == 403
    rated = sme.post(f"{url}rate/", {"rating": "5", "comment": "Our bid won."})
    assert said(rated) == ["Thank you: your rating is saved."]
    engagement.refresh_from_db()
    assert (engagement.rating, engagement.rating_comment) == (5, "Our bid won.")
    assert said(sme.post(f"{url}rate/", {"rating": "0"})) == ["Choose from 1 to 5 stars."]
    assert "★★★★★ “Our bid won.”" in text(sme.get(url))


def test_a_rating_link_of_one_engagement_does_not_rate_another(client, demo, svc, orgs):
    from greenbridge.portfolio.mail import rating_token

    delivered = Engagement.objects.get(service=svc["Data governance clinic"])
    requested = Engagement.objects.get(service=svc["Automation and AI starter workshop"])
    token = rating_token(delivered)
    assert client.get(f"/services/engagements/{requested.pk}/rate/3/{token}/").status_code == 403
    # A link to an engagement not delivered (yet) opens nothing.
    assert client.get(f"/services/engagements/{requested.pk}/rate/3/{rating_token(requested)}/").status_code == 404
    # Stars off the scale open the page with none chosen.
    page = client.get(f"/services/engagements/{delivered.pk}/rate/9/{token}/")
    assert page.status_code == 200
    assert doc(page).xpath("//input[@name='rating'][@checked]") == []


def test_delivered_needs_a_session_and_a_closed_engagement_stays_closed(client_for, svc, users, orgs):
    manager = client_for("manager")
    workshop = Engagement.objects.get(service=svc["Automation and AI starter workshop"])
    url = f"/services/engagements/{workshop.pk}/"
    manager.post(f"{url}accept/", {"advisor": users["advisor"].pk})
    early = manager.post(f"{url}close/", {"status": "delivered"})
    assert said(early) == ["Log at least one session before marking it delivered."]
    workshop.refresh_from_db()
    assert workshop.status == "planned"
    assert said(manager.post(f"{url}close/", {"status": "requested"}))[0].startswith("Close as: Select a valid choice.")
    cancelled = manager.post(f"{url}close/", {"status": "cancelled", "outcome": "The workshop was called off."})
    assert said(cancelled) == ["Engagement closed; the company is told."]
    workshop.refresh_from_db()
    assert workshop.status == "cancelled"
    assert manager.post(f"{url}sessions/", {"starts": "2027-01-12T10:00", "hours": "1"}).status_code == 403
    with refused("Sessions are added to an engagement under way."):
        services.session_add(
            engagement=workshop, user=users["advisor"], starts=timezone.now(), hours=Decimal("1"), notes=""
        )
    with refused("A service is rated once it has been delivered."):
        services.engagement_rate(engagement=workshop, user=users["sme"], rating=3)


def test_the_sme_withdraws_its_request_and_the_cluster_is_told(
    client_for, svc, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = Engagement.objects.get(service=svc["Automation and AI starter workshop"])
    url = f"/services/engagements/{workshop.pk}/"
    assert client_for("manager").post(f"{url}withdraw/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("sme").post(f"{url}withdraw/")
    assert said(response) == ["Withdrawn; the cluster is told."]
    workshop.refresh_from_db()
    assert workshop.status == "cancelled"
    assert sorted(m.to[0] for m in mailoutbox) == ["andrei@demo.greenbridge.example", "maria@demo.greenbridge.example"]
    assert mailoutbox[0].subject == "“Automation and AI starter workshop” for AquaPure Systems SRL is cancelled"
    # Withdrawn, it may be asked for again.
    again = client_for("sme").post(
        f"/services/{workshop.service_id}/request/", {"organisation": workshop.organisation_id}
    )
    assert said(again) == ["Request sent. Danube Green Tech Cluster will answer by e-mail."]


def test_accepting_beyond_the_capacity_of_the_period_is_refused(client_for, svc, users, orgs):
    clinic = svc["Data governance clinic"]  # 4 companies a month; the demo's was accepted months ago
    Service.objects.filter(pk=clinic.pk).update(capacity=2)
    companies = [orgs["sme"], orgs["other_sme"]]
    third = organisation_create(name="Delta Biogas SRL", kind=Organisation.Kind.SME, country="RO")
    companies.append(third)
    requests = [services.engagement_request(service=clinic, organisation=org, user=None) for org in companies]
    manager = client_for("manager")
    assert selectors.places_left(Service.objects.get(pk=clinic.pk), timezone.localdate()) == 2
    for engagement in requests[:2]:
        response = manager.post(f"/services/engagements/{engagement.pk}/accept/", {"advisor": users["advisor"].pk})
        assert said(response) == ["Request accepted; the company is told."]
    full = manager.post(f"/services/engagements/{requests[2].pk}/accept/", {"advisor": users["advisor"].pk})
    assert said(full) == ["This service is fully booked for the period (2 companies). Raise its capacity or decline."]
    requests[2].refresh_from_db()
    assert requests[2].status == "requested"
    page = text(signed_in(person("dan@delta.example", organisation=third, role="admin")).get(f"/services/{clinic.pk}/"))
    assert "2 companies a month · 0 places left" in page
    # A place taken last month does not count this month (the middle of the month's first day, in the reader's
    # zone, less a day: late in a UTC evening the local date is already tomorrow's).
    first = timezone.localtime().replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    Engagement.objects.filter(pk=requests[0].pk).update(answered_at=first - timedelta(days=1))
    assert selectors.places_left(Service.objects.get(pk=clinic.pk), timezone.localdate()) == 1


@pytest.mark.parametrize(
    ("period", "today", "start"),
    [
        ("month", "2027-05-17", "2027-05-01"),
        ("quarter", "2027-05-17", "2027-04-01"),
        ("quarter", "2027-12-31", "2027-10-01"),
        ("quarter", "2027-01-01", "2027-01-01"),
        ("year", "2027-05-17", "2027-01-01"),
    ],
)
def test_the_capacity_period_starts(period, today, start):

    assert selectors.period_start(period, date.fromisoformat(today)) == date.fromisoformat(start)


# -- privacy -----------------------------------------------------------------------------------------------------


@pytest.fixture
def siret(demo):
    """A third cluster, verified, with a manager; AquaPure is not its member."""
    cluster = organisation_create(name="Siret Valley Cluster", kind=Organisation.Kind.CLUSTER, country="RO")
    Organisation.objects.filter(pk=cluster.pk).update(verification=Organisation.Verification.VERIFIED)
    cluster.refresh_from_db()
    return cluster, person("irina@siret.example", organisation=cluster, role=Membership.Role.MANAGER)


def test_an_engagement_is_private_to_the_company_its_sharing_clusters_and_the_provider(
    client_for, demo, svc, orgs, siret
):
    cluster, irina = siret
    delivered = Engagement.objects.get(service=svc["Data governance clinic"])
    Session.objects.create(
        engagement=delivered, starts=timezone.now(), hours=Decimal("1"), notes="Internal: follow up in spring."
    )
    url = f"/services/engagements/{delivered.pk}/"
    outsider = signed_in(irina)
    assert client_for("other_sme").get(url).status_code == 403
    assert outsider.get(url).status_code == 403
    assert client_for("other_sme").get(f"{url}sessions.ics").status_code == 403
    assert outsider.get(f"{url}sessions.ics").status_code == 403
    for client in (client_for("other_sme"), outsider):
        listed = text(client.get("/services/engagements/"))
        assert "Data governance clinic" not in listed
    # AquaPure shares with Siret too: its manager reads the engagement, but not the provider's internal notes, and
    # cannot answer or deliver it.
    cluster_member_add(cluster=cluster, member=orgs["sme"], shares_private_data=True)
    page = text(outsider.get(url))
    assert "First dashboard of the Iași plants' flows and energy use, fed weekly." in page
    assert "Internal: follow up in spring." not in page
    assert "Internal: follow up in spring." in text(client_for("advisor").get(url))
    assert "Internal: follow up in spring." not in text(client_for("sme").get(url))
    sessions = selectors.sessions_for(user=irina, engagement=delivered)
    assert [s.visible_notes for s in sessions][-1] == ""
    requested = Engagement.objects.get(service=svc["Automation and AI starter workshop"])
    answer = f"/services/engagements/{requested.pk}/accept/"
    assert outsider.post(answer, {"advisor": irina.pk}).status_code == 403
    assert client_for("sme").post(answer, {"advisor": irina.pk}).status_code == 403
    assert client_for("other_sme").post(f"{url}rate/", {"rating": "1"}).status_code == 403
    assert outsider.post(f"{url}rate/", {"rating": "1"}).status_code == 403
    delivered.refresh_from_db()
    assert delivered.rating == 5
    # Helios's people see their own engagements only; the provider's staff see those of its services.
    assert [e.organisation for e in selectors.engagements_for(user=demo.users["other_sme"])] == []
    assert len(selectors.engagements_for(user=demo.users["advisor"], role="provider")) == 2


def test_a_request_is_for_a_company_one_acts_for(client_for, svc, orgs):
    tender = svc[TENDER]
    # Helios's admin cannot ask in AquaPure's name: only its own companies are choices.
    response = client_for("other_sme").post(f"/services/{tender.pk}/request/", {"organisation": orgs["sme"].pk})
    assert response.status_code == 400
    assert "Select a valid choice." in text(response)
    assert not Engagement.objects.filter(service=tender).exists()
    assert client_for("anonymous").post(f"/services/{tender.pk}/request/", {}).status_code == 302


# -- the catalogue and the service form --------------------------------------------------------------------------


def service_post(**changes) -> dict:
    data = {
        "name": "Water reuse clinic",
        "category": "green",
        "summary": "Two sessions on reusing treated water in your plants.",
        "description": "",
        "status": "active",
        "formats": ["one_to_one", "online"],
        "hours": "4.5",
        "languages": ["ro", "en"],
        "expert": "",
        "delivered_by": "",
        "pricing": "member_price",
        "price": "250",
        "member_price": "50",
        "currency": "eur",
        "size_classes": ["micro", "small"],
        "countries": ["RO", "MD"],
        "sectors": ["water"],
        "dimensions": ["green-maturity-sme:water"],
        "capacity": "5",
        "capacity_period": "quarter",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_manager_adds_and_edits_a_service(client_for, orgs):
    manager = client_for("manager")
    new = f"/services/catalogue/{orgs['cluster'].slug}/new/"
    assert manager.get(new).status_code == 200
    response = manager.post(new, service_post())
    service = Service.objects.get(name="Water reuse clinic")
    assert response.url == f"/services/{service.pk}/"
    assert said(response) == ["Service saved."]
    assert (service.provider, service.status, service.category) == (orgs["cluster"], "active", "green")
    assert (service.hours, service.price, service.member_price, service.currency) == (
        Decimal("4.5"),
        Decimal("250"),
        Decimal("50"),
        "EUR",
    )
    assert (service.formats, service.languages, service.size_classes, service.countries, service.sectors) == (
        ["one_to_one", "online"],
        ["ro", "en"],
        ["micro", "small"],
        ["RO", "MD"],
        ["water"],
    )
    assert (service.dimensions, service.capacity, service.capacity_period) == (
        ["green-maturity-sme:water"],
        5,
        "quarter",
    )
    # The edit form, sent as drawn, changes nothing; then the hours and the price change.
    edit = f"/services/{service.pk}/edit/"
    drawn = form_data(manager.get(edit).content.decode())
    assert manager.post(edit, drawn).url == f"/services/{service.pk}/"
    assert Service.objects.get(pk=service.pk).hours == Decimal("4.5")
    manager.post(edit, {**drawn, "hours": "6", "pricing": "free"})
    service.refresh_from_db()
    assert (service.hours, service.pricing, service.price, service.member_price) == (Decimal("6"), "free", None, None)
    assert "Water reuse clinic" in titles(client_for("anonymous").get("/services/?category=green"))
    # A company cannot edit it.
    assert client_for("sme").post(edit, drawn).status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hours": "99999"}, "hours", "Ensure this value is less than or equal to 999.9."),
        ({"hours": "1000"}, "hours", "Ensure this value is less than or equal to 999.9."),
        ({"hours": "0"}, "hours", "Ensure this value is greater than or equal to 0.5."),
        (
            {"price": "1e30"},
            "price",
            "Enter an amount from 0 to 9,999,999,999,999.99, with at most two decimals.",
        ),
        ({"price": "-5"}, "price", "Enter an amount from 0 to 9,999,999,999,999.99, with at most two decimals."),
        ({"currency": "EURO"}, "currency", "Ensure this value has at most 3 characters (it has 4)."),
        ({"currency": "E1"}, "currency", "A currency is three letters, like EUR, MDL or UAH."),
        ({"capacity": "0"}, "capacity", "Ensure this value is greater than or equal to 1."),
        ({"capacity": "99999"}, "capacity", "Ensure this value is less than or equal to 10000."),
        ({"pricing": "fee", "price": ""}, "price", "Say the fee, or choose “Free”."),
        ({"category": "magic"}, "category", "Select a valid choice. magic is not one of the available choices."),
        (
            {"dimensions": ["nothing:here"]},
            "dimensions",
            "Select a valid choice. nothing:here is not one of the available choices.",
        ),
        ({"name": "x" * 161}, "name", "Ensure this value has at most 160 characters (it has 161)."),
        ({"countries": ["Atlantis"]}, "countries", "Not countries: Atlantis. Choose them from the list."),
    ],
)
def test_absurd_service_values_are_refused_and_nothing_is_saved(client_for, orgs, changes, field, message):
    before = Service.objects.count()
    response = client_for("manager").post(f"/services/catalogue/{orgs['cluster'].slug}/new/", service_post(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in text(response)
    assert Service.objects.count() == before


def test_an_unverified_cluster_or_an_unconfirmed_person_saves_drafts_only(demo, orgs):
    pending = organisation_create(name="Siret Valley Cluster", kind=Organisation.Kind.CLUSTER, country="RO")
    irina = signed_in(person("irina@siret.example", organisation=pending, role=Membership.Role.MANAGER))
    url = f"/services/catalogue/{pending.slug}/new/"
    response = irina.post(url, service_post())
    assert response.status_code == 400
    assert response.context["form"].errors["status"] == [
        "Siret Valley Cluster is awaiting verification by the platform operators: it can publish once they have "
        "checked that it is what it says. You can prepare drafts meanwhile."
    ]
    assert not Service.objects.filter(provider=pending).exists()
    draft = irina.post(url, service_post(status="draft"))
    assert draft.status_code == 302
    saved = Service.objects.get(provider=pending)
    assert saved.status == "draft"
    # Publishing it later is refused the same way.
    edit = irina.post(f"/services/{saved.pk}/edit/", service_post(status="active"))
    assert edit.status_code == 400
    assert Service.objects.get(pk=saved.pk).status == "draft"

    unconfirmed = signed_in(
        person("new@demo.greenbridge.example", organisation=orgs["cluster"], role="advisor", confirmed=False)
    )
    url = f"/services/catalogue/{orgs['cluster'].slug}/new/"
    response = unconfirmed.post(url, service_post(name="Unconfirmed"))
    assert response.context["form"].errors["status"] == [
        "Confirm your e-mail address first: open the link we sent when you signed up, or send it again from your "
        "account's e-mail addresses page."
    ]
    assert not Service.objects.filter(name="Unconfirmed").exists()
    assert unconfirmed.post(url, service_post(name="Unconfirmed", status="draft")).status_code == 302
    assert Service.objects.get(name="Unconfirmed").status == "draft"
    # A service already public stays editable by them (it is not published again).
    active = Service.objects.get(name="Data governance clinic")
    drawn = form_data(unconfirmed.get(f"/services/{active.pk}/edit/").content.decode())
    assert unconfirmed.post(f"/services/{active.pk}/edit/", {**drawn, "hours": "7"}).status_code == 302
    assert Service.objects.get(pk=active.pk).hours == Decimal("7")


def test_only_clusters_keep_a_catalogue(demo, orgs, users):
    with refused("Only clusters and business support organisations keep a service catalogue."):
        services.service_save(provider=orgs["sme"], user=users["sme"], data=service_post(status="draft"))


def test_the_catalogue_counts_requests_under_way_and_delivered(client_for, orgs):
    page = doc(client_for("manager").get(f"/services/catalogue/{orgs['cluster'].slug}/"))
    rows = {
        " ".join(tr.xpath("./td[1]//strong")[0].text_content().split()): [
            " ".join(td.text_content().split()) for td in tr.xpath("./td")[1:]
        ]
        for tr in page.xpath("//tbody/tr")
    }
    assert rows == {
        "Automation and AI starter workshop": ["Training", "Active", "Free", "1", "0", "0"],
        "Data governance clinic": ["Digital", "Active", "Free for members, €450 for others", "0", "0", "1"],
        "Energy audit voucher": ["Green transition", "Active", "€100 for members, €900 for others", "0", "0", "0"],
        TENDER: ["Procurement support", "Active", "€150 for members, €600 for others", "0", "0", "0"],
        "Circular design sprint": ["Green transition", "Draft", "Free", "0", "0", "0"],
    }
    assert "1 request to answer" in " ".join(page.text_content().split())


# -- recommendations ---------------------------------------------------------------------------------------------


def recommended_section(response) -> list[str]:
    (section,) = doc(response).xpath("//section[@id='recommended']")
    return [" ".join(li.text_content().split()) for li in section.xpath(".//li[contains(@class, 'service')]")]


def test_the_results_recommend_services_for_the_weakest_dimensions(client_for, demo):
    t1 = demo.assessments["aquapure_dma_t1"]
    response = client_for("sme").get(f"/assessments/{t1.pk}/")
    assert "Services for your weakest dimensions" in text(response)
    cards = recommended_section(response)
    # Weakest: automation 36, digital readiness 43.6, green digitalisation 50; the roadmap improves strategy (55)
    # and human-centric digitalisation (54.5): not among them.
    names = [" ".join(a.text_content().split()) for a in doc(response).xpath("//section[@id='recommended']//h3/a")]
    assert names == ["Automation and AI starter workshop", "Data governance clinic"]
    assert "Automation and AI starter workshop" in cards[0]
    assert "Automation and Artificial Intelligence 36/100, one of your weakest" in cards[0]
    assert "Data governance clinic" in cards[1]
    assert "Digital Readiness 44/100, one of your weakest" in cards[1]
    assert not any("Digital strategy roadmap" in c for c in cards)
    link = doc(response).xpath("//section[@id='recommended']//h3/a/@href")[0]
    assert (
        link
        == f"/services/{Service.objects.get(name='Automation and AI starter workshop').pk}/?assessment={t1.pk}#request"
    )


@pytest.mark.parametrize(
    ("restriction", "recommended"),
    [
        ({}, True),
        ({"size_classes": ["medium", "large"]}, False),
        ({"size_classes": ["small"]}, True),
        ({"countries": ["MD", "UA"]}, False),
        ({"members_only": True}, False),  # of Prut, which AquaPure is not a member of
        ({"sectors": ["wastewater"]}, True),
        ({"sectors": ["smart_city"]}, False),
        ({"status": "draft"}, False),
    ],
)
def test_an_ineligible_service_is_not_recommended(demo, partner, restriction, recommended):
    Service.objects.create(
        provider=partner,
        name="Sensors in the field",
        category="digital",
        summary="Remote monitoring of pumping stations.",
        status=restriction.pop("status", "active"),
        dimensions=[f"{DMA}:automation_ai"],
        **restriction,
    )
    found = selectors.recommended_services(assessment=demo.assessments["aquapure_dma_t1"], language="en")
    assert ("Sensors in the field" in [r.profile.key.name for r in found]) is recommended


def test_weakest_dimensions_and_the_cohort_in_the_reason(demo):
    from greenbridge.dashboard.demo_cohort import create_demo_cohort

    t1 = demo.assessments["aquapure_dma_t1"]
    assert selectors.weakest_dimensions(assessment=t1, language="en", cohort=None) == {
        f"{DMA}:automation_ai": {"name": "Automation and Artificial Intelligence", "score": 36.0, "percentile": None},
        f"{DMA}:digital_readiness": {"name": "Digital Readiness", "score": 43.57142857142858, "percentile": None},
        f"{DMA}:green_digitalisation": {"name": "Green Digitalisation", "score": 50.0, "percentile": None},
    }
    create_demo_cohort(demo.orgs["cluster"])
    weakest = selectors.weakest_dimensions(assessment=Assessment.objects.get(pk=t1.pk), language="en")
    assert {key: round(w["percentile"], 2) for key, w in weakest.items()} == {
        f"{DMA}:automation_ai": 26.92,
        f"{DMA}:digital_readiness": 34.62,
        f"{DMA}:green_digitalisation": 50.0,
    }
    found = selectors.recommended_services(assessment=t1, language="en")
    assert [(r.profile.key.name, r.score, r.described) for r in found] == [
        (
            "Automation and AI starter workshop",
            1.64,
            ["Automation and Artificial Intelligence 36/100, below the median of organisations like yours"],
        ),
        ("Data governance clinic", 1.564, ["Digital Readiness 44/100, below the median of organisations like yours"]),
    ]


def _profile(org, **fields):
    return recommend.Profile(key=org, organisation=org, cpv_codes=[], sectors=[], countries=frozenset(), **fields)


def test_the_recommender_ranks_the_weaker_need_first(orgs, partner):
    needs = {
        "q:data": {"name": "Data", "score": 20.0, "percentile": 10.0},
        "q:strategy": {"name": "Strategy", "score": 50.0, "percentile": 40.0},
        "q:green": {"name": "Green", "score": 60.0, "percentile": None},
    }
    me = _profile(orgs["sme"], needs=needs)
    strategy = _profile(orgs["cluster"], improves=frozenset({"q:strategy"}))
    data = _profile(partner, improves=frozenset({"q:data"}))
    both = recommend.score(me, _profile(partner, improves=frozenset({"q:strategy", "q:data", "q:other"})))
    assert recommend.score(me, strategy).score == 1.5  # 1 + (100 - 50) / 100
    assert recommend.score(me, data).score == 1.8
    assert both.score == 1.9  # the weaker need, and 0.1 for the second
    assert both.reasons == [{"kind": "need", "needs": [needs["q:data"], needs["q:strategy"]]}]
    assert recommend.score(me, _profile(partner, improves=frozenset({"q:other"}))).score == 0
    ranked = recommend.recommend(me, [strategy, data], limit=5)
    assert [r.profile for r in ranked] == [data, strategy]
    assert recommend.describe(both.reasons) == [
        "Data 20/100, in the bottom quarter of organisations like yours",
        "Strategy 50/100, below the median of organisations like yours",
    ]
    assert recommend.describe(recommend.score(me, _profile(partner, improves=frozenset({"q:green"}))).reasons) == [
        "Green 60/100, one of your weakest"
    ]
    # Nothing is recommended for needs one does not have, and never oneself.
    assert recommend.recommend(_profile(orgs["sme"]), [strategy, data]) == []
    assert recommend.recommend(me, [_profile(orgs["sme"], improves=frozenset({"q:data"}))]) == []


# -- the portfolio analysis --------------------------------------------------------------------------------------


def test_the_portfolio_analysis(client_for, demo, orgs, partner):
    from greenbridge.dashboard.demo_cohort import create_demo_cohort

    create_demo_cohort(orgs["cluster"])
    t1 = demo.assessments["aquapure_dma_t1"]
    analysis = selectors.portfolio_analysis(
        user=demo.users["manager"], cluster=orgs["cluster"], questionnaire=t1.questionnaire, language="en"
    )
    assert analysis.providers == [orgs["cluster"], partner]  # its own first
    rows = {r.key.split(":")[1]: r for r in analysis.rows}
    assert list(rows) == [
        "digital_business_strategy",
        "digital_readiness",
        "human_centric_digitalisation",
        "data_management",
        "automation_ai",
        "green_digitalisation",
    ]
    counts = {dim: [n for _org, n in r.cells] for dim, r in rows.items()}
    assert counts == {
        "digital_business_strategy": [0, 1],
        "digital_readiness": [1, 0],
        "human_centric_digitalisation": [0, 1],
        "data_management": [1, 0],
        "automation_ai": [1, 0],
        "green_digitalisation": [0, 0],
    }
    assert [dim for dim, r in rows.items() if r.gap] == ["green_digitalisation"]
    # Members' weakest dimensions: computed here from their latest submitted assessments.
    from greenbridge.orgs.models import ClusterMembership

    sharing = ClusterMembership.objects.filter(cluster=orgs["cluster"], shares_private_data=True).values("member")
    latest = {}
    for a in Assessment.objects.filter(
        organisation__in=sharing, questionnaire__slug=DMA, status=Assessment.Status.SUBMITTED
    ).order_by("taken_on", "id"):
        latest[a.organisation_id] = a
    weakest = {}
    for a in latest.values():
        low = min(rows, key=a.dimension_scores.get)  # a tie: the dimension first in the questionnaire
        weakest[low] = weakest.get(low, 0) + 1
    # One member is weakest in two dimensions at once: counted for the first (the same on SQLite and PostgreSQL,
    # whose jsonb stores the scores' keys in another order).
    lows = [sorted(a.dimension_scores.values())[:2] for a in latest.values()]
    assert sum(1 for first, second in lows if first == second) == 1
    assert analysis.assessed == len(latest) == 17  # 16 generated members that share their data, and AquaPure
    assert {dim: r.weakest for dim, r in rows.items()} == {dim: weakest.get(dim, 0) for dim in rows}
    assert {dim: r.weakest for dim, r in rows.items()} == {
        "digital_business_strategy": 4,
        "digital_readiness": 3,
        "human_centric_digitalisation": 1,
        "data_management": 5,
        "automation_ai": 2,
        "green_digitalisation": 2,
    }
    assert (rows["green_digitalisation"].unmet, analysis.gaps, analysis.unmet) == (True, 1, 1)
    assert rows["automation_ai"].median == 48.0

    # The page: the same matrix, the gap flagged, each count a link to those services.
    page = client_for("manager").get(f"/services/analysis/{orgs['cluster'].slug}/?questionnaire={DMA}")
    html = doc(page)
    assert [" ".join(th.text_content().split()) for th in html.xpath("//thead/th | //thead/tr/th")][3:] == [
        "Danube Green Tech Cluster",
        "Prut Cleantech Cluster",
        "All",
    ]
    green_row = html.xpath("//tbody/tr[th[contains(., 'Green Digitalisation')]]")[0]
    assert " ".join(green_row.xpath("./th")[0].text_content().split()) == "Green Digitalisation need without a service"
    assert [" ".join(td.text_content().split()) for td in green_row.xpath("./td")] == ["2", "50", "·", "·", "0"]
    assert f"?dimension={DMA}%3Adata_management&amp;provider={orgs['cluster'].slug}" in page.content.decode()
    assert "1 dimension no service covers · 1 of them where members are weakest · 17 members assessed" in text(page)
    # An SME does not see a cluster's analysis; nor does the staff of another cluster.
    assert client_for("sme").get(f"/services/analysis/{orgs['cluster'].slug}/").status_code == 403
    assert client_for("manager").get(f"/services/analysis/{partner.slug}/").status_code == 403


# -- the action plan names its service ---------------------------------------------------------------------------


def test_an_action_of_the_plan_with_a_service(client_for, demo, svc):
    t1 = demo.assessments["aquapure_dma_t1"]
    add = reverse("assessments:action_add", kwargs={"pk": t1.pk})
    workshop = svc["Automation and AI starter workshop"]
    client_for("advisor").post(
        add, {"title": "Pilot remote monitoring", "dimension": "automation_ai", "status": "planned",
              "service": workshop.pk},
    )  # fmt: skip
    action = t1.actions.get()
    assert action.service == workshop
    page = doc(client_for("sme").get(f"/assessments/{t1.pk}/"))
    (cell,) = page.xpath("//td[starts-with(normalize-space(.), 'Pilot remote monitoring')]")
    assert " ".join(cell.xpath("./span")[0].text_content().split()) == (
        "with Automation and AI starter workshop (Danube Green Tech Cluster)"
    )
    assert cell.xpath(".//a/@href") == [f"/services/{workshop.pk}/"]
    # A draft is not a service of the portfolio: the action is refused.
    client_for("advisor").post(
        add, {"title": "Redesign", "status": "planned", "service": svc["Circular design sprint"].pk}
    )
    assert t1.actions.count() == 1
