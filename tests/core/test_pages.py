"""Every page renders with the Django test client, shows what it is for, and keeps its number of
queries flat however many rows it lists."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from greenbridge.core.templatetags import greenbridge as tags
from greenbridge.orgs.models import Membership, Organisation
from greenbridge.orgs.services import cluster_member_add, membership_set, organisation_create
from greenbridge.tenders.models import Notice
from tests.conftest import form_data, make_notice

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=", re.IGNORECASE)


def assert_in_layout(page: str) -> None:
    """The page is in GreenBridge's layout and keeps to the Content-Security-Policy plan."""
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert 'src="/static/greenbridge/js/htmx.min.js" defer' in page
    assert 'src="/static/greenbridge/js/greenbridge.js" defer' in page
    assert "see data sources" in page
    assert not INLINE_SCRIPT.search(page), "inline <script>"
    assert not STYLE_ATTR.search(page), "style= attribute"


@pytest.fixture
def notices():
    now = timezone.now()
    return {
        "uman": make_notice(
            "ua-1",
            title="Реконструкція системи водопостачання м. Умань",
            language="uk",
            titles={
                "uk": "Реконструкція системи водопостачання м. Умань",
                "en": "Reconstruction of the water supply system of Uman",
            },
            buyer_name="Уманська міська рада",
            buyer_country="UA",
            cpv_codes=["45232150", "65100000"],
            green_sectors=["water"],
            deadline=(now + timedelta(days=5)).replace(hour=12, minute=0),  # 5 calendar days, whatever the hour
            value_amount=Decimal("2500000"),
            value_currency="UAH",
            procedure_type="aboveThresholdUA",
            url="https://prozorro.gov.ua/tender/UA-2025-0001",
            published=now - timedelta(days=2),
            description="Реконструкція мереж.\nТермін: 12 місяців.",
            lots=[
                {
                    "id": "1",
                    "title": "Мережі водопостачання",
                    "cpv_codes": ["45232150"],
                    "value_amount": "1500000",
                    "value_currency": "UAH",
                    "deadline": (now + timedelta(days=5)).isoformat(),
                }
            ],
        ),
        "ungheni": make_notice(
            "md-1",
            title="Reabilitarea rețelelor de apă potabilă în or. Ungheni",
            language="ro",
            buyer_name="Primăria Ungheni",
            buyer_country="MD",
            cpv_codes=["45232410"],
            green_sectors=["water", "wastewater"],
            deadline=now + timedelta(days=40),
            value_amount=Decimal("900000.50"),
            value_currency="MDL",
            published=now - timedelta(days=1),
        ),
        "awarded": make_notice(
            "md-2",
            title="Servicii de colectare a deșeurilor",
            notice_type="award",
            status="awarded",
            buyer_name="Primăria Cahul",
            buyer_country="MD",
            cpv_codes=["90511000"],
            green_sectors=["waste_recycling"],
            deadline=now - timedelta(days=30),
            awards=[
                {
                    "supplier_name": "EcoSal SRL",
                    "supplier_country": "MD",
                    "value_amount": "410000",
                    "value_currency": "MDL",
                    "number_of_tenderers": 3,
                    "date": (now - timedelta(days=3)).isoformat(),
                    "lot_ids": ["1"],
                }
            ],
        ),
        "planned": make_notice(
            "fr-1",
            title="Fourniture de compteurs d'eau",
            notice_type="planning",
            status="planned",
            buyer_country="FR",
            cpv_codes=["38421100"],
        ),
    }


# ---- layout, home, errors -------------------------------------------------------------------


def test_home_shows_search_stats_and_notices_closing_soon(client, notices):
    response = client.get("/")
    page = html(response)
    assert response.status_code == 200
    assert_in_layout(page)
    assert '<html lang="en">' in page
    assert '<form class="hero-search" action="/notices/" method="get"' in page
    assert "Closing soon" in page
    closing = page.split('id="closing-title"')[1].split("</section>")[0]
    assert "Reconstruction of the water supply system of Uman" in closing  # the reader's language
    assert "Reabilitarea rețelelor de apă potabilă" in closing
    assert "Servicii de colectare" not in closing  # closed a month ago
    assert "5 days left" in closing
    assert re.search(r'open=on&amp;sort=deadline">2</a>', page)  # open for bids
    assert re.search(r'<a href="/notices/">4</a>', page)  # notices in total
    assert 'id="data-sources"' in page


def test_home_without_notices_says_so(client):
    page = html(client.get("/"))
    assert "No notice is open for bids right now." in page


def test_layout_for_visitors_offers_sign_in_and_language_switch(client):
    page = html(client.get("/"))
    assert 'href="/accounts/login/"' in page
    assert 'href="/accounts/signup/"' in page
    assert 'action="/i18n/setlang/" method="post"' in page
    for code in ("en", "ro", "uk", "fr"):
        assert f'<option value="{code}" lang="{code}"' in page
    assert "My organisations" not in page
    assert 'data-csrf-token="' in page


def test_layout_in_ukrainian_marks_the_language(client):
    page = html(client.get("/", headers={"accept-language": "uk"}))
    assert '<html lang="uk">' in page
    assert '<option value="uk" lang="uk" selected>' in page


def test_layout_for_a_member_has_my_organisations_and_a_sign_out_form(client_for):
    page = html(client_for("sme").get("/"))
    assert 'href="/orgs/"' in page
    assert re.search(
        r'<form class="inline-form" action="/accounts/logout/" method="post">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken"',
        page,
    )
    assert 'href="/admin/"' not in page


def test_layout_for_the_operator_links_the_admin(client_for):
    assert 'href="/admin/"' in html(client_for("operator").get("/"))


def test_404_page_is_in_the_layout(client):
    response = client.get("/notices/999999/")
    assert response.status_code == 404
    page = html(response)
    assert "This page does not exist" in page
    assert_in_layout(page)


def test_403_page_is_in_the_layout(client_for, orgs):
    response = client_for("other_sme").get(f"/orgs/{orgs['sme'].slug}/edit/")
    assert response.status_code == 403
    page = html(response)
    assert "You may not open this page" in page
    assert_in_layout(page)


def test_500_page_renders_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    page = html(response)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert '<a class="skip-link" href="#main">' in page
    assert 'action="/accounts/logout/"' not in page


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_account_pages_use_the_greenbridge_layout(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = html(response)
    assert_in_layout(page)
    assert '<main id="main" tabindex="-1" class="wrap wrap--narrow account">' in page


# ---- notice search --------------------------------------------------------------------------


def test_notice_list_shows_count_results_and_filters(client, notices):
    response = client.get("/notices/")
    page = html(response)
    assert response.status_code == 200
    assert_in_layout(page)
    assert "4 notices" in page
    assert 'hx-get="/notices/" hx-target="#results" hx-swap="outerHTML" hx-push-url="true"' in page
    assert 'method="get" action="/notices/"' in page
    assert '<button class="button" type="submit">Search</button>' in page  # works without JavaScript
    # Filters: countries that have notices, green sectors, types, statuses, CPV picker.
    assert 'name="country" value="MD" id="country-MD"' in page
    assert 'name="country" value="UA" id="country-UA"' in page
    assert 'name="country" value="DE"' not in page
    assert '<label for="sector-water">Water</label>' in page
    assert 'name="type" value="award"' in page
    assert 'name="status" value="active"' in page
    assert 'hx-get="/codes/cpv/"' in page
    assert 'form="cpv-lookup"' in page
    # A result: link, buyer, country, deadline, value, CPV, type, sector badge.
    assert f'href="/notices/{notices["ungheni"].pk}/">Reabilitarea rețelelor de apă potabilă în or. Ungheni</a>' in page
    assert "Primăria Ungheni" in page
    assert 'src="/static/flags/md.gif"' in page
    assert "40 days left" in page
    assert "900,000.50" in page
    assert "MDL" in page
    assert '<span class="code-chip__code">45232410</span> <span class="code-chip__label">Sewerage work</span>' in page
    assert "closed" in page
    assert 'data-sector="wastewater">Wastewater</li>' in page


def test_notice_list_filters_stay_checked(client, notices):
    page = html(client.get("/notices/?country=MD&sector=water&open=on&type=competition"))
    assert "1 notice" in page
    assert 'id="country-MD" checked' in page
    assert 'id="sector-water" checked' in page
    assert 'id="id_open" checked' in page
    assert 'id="type-competition" checked' in page
    assert 'id="country-UA" checked' not in page
    assert 'data-active-filters="4"' in page


def test_notice_list_for_htmx_returns_only_the_results(client, notices):
    response = client.get("/notices/?q=водопостачання", headers={"hx-request": "true"})
    page = html(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="results"')
    assert "<html" not in page
    assert "1 notice" in page
    assert 'data-results-status="1 notice found"' in page
    # Nothing found is announced as such to a screen reader, not as filters that could not be used.
    page = html(client.get("/notices/?q=quokkas", headers={"hx-request": "true"}))
    assert 'data-results-status="0 notices found"' in page


def test_notice_list_cpv_filter_shows_removable_chips(client, notices):
    page = html(client.get("/notices/?cpv=45232000&country=MD"))
    assert "1 notice" in page
    assert '<input type="hidden" name="cpv" value="45232000">' in page
    assert '<span class="chip__label">Ancillary works for pipelines and cables</span>' in page
    assert 'href="?country=MD" data-chip-remove' in page


def test_notice_list_invalid_filters_are_explained(client, notices):
    response = client.get("/notices/?cpv=water&value_min=10&value_max=5")
    page = html(response)
    assert response.status_code == 200
    assert "Some filters could not be used" in page
    assert "Not a CPV code: water. A CPV code has 8 digits, like 90400000 or 90400000-1." in page
    assert "The upper value must not be below the lower value." in page
    assert "notices</h2>" not in page


def test_notice_list_empty_search_gives_advice(client, notices):
    page = html(client.get("/notices/?q=zzzyxw"))
    assert "0 notices" in page
    assert "No notice matches this search." in page
    assert 'href="/notices/">Show all notices</a>' in page


def test_notice_list_pagination_keeps_the_filters(client):
    for i in range(25):
        make_notice(f"md-{i}", buyer_country="MD", published=timezone.now() - timedelta(hours=i))
    page = html(client.get("/notices/?country=MD&sort=-published"))
    assert "25 notices" in page
    assert "showing 1–20" in page
    assert 'href="?country=MD&amp;sort=-published&amp;page=2"' in page
    assert 'rel="next"' in page
    page2 = html(client.get("/notices/?country=MD&sort=-published&page=2"))
    assert "showing 21–25" in page2
    assert 'rel="prev" href="?country=MD&amp;sort=-published&amp;page=1"' in page2


# ---- notice page ----------------------------------------------------------------------------


def test_notice_page_shows_everything_a_bidder_needs(client, notices):
    notice = notices["uman"]
    response = client.get(f"/notices/{notice.pk}/")
    page = html(response)
    assert response.status_code == 200
    assert_in_layout(page)
    assert '<h1 id="notice-title" lang="uk">Реконструкція системи водопостачання м. Умань</h1>' in page
    assert '<dd lang="en">Reconstruction of the water supply system of Uman</dd>' in page
    assert "Уманська міська рада" in page
    assert "Ukraine" in page
    assert "5 days left" in page
    assert f'href="/notices/{notice.pk}/deadline.ics"' in page
    assert "Add deadline to calendar (.ics)" in page
    assert "UAH\xa02,500,000" in page
    assert "aboveThresholdUA" in page
    assert "45232150-8" in page  # CPV with its check digit
    assert "Works related to water-distribution pipelines" in page  # ... and its label
    assert "Мережі водопостачання" in page  # lots table
    assert "UAH\xa01,500,000" in page
    assert "<p>Реконструкція мереж.<br>Термін: 12 місяців.</p>" in page  # description, line breaks
    assert 'href="https://prozorro.gov.ua/tender/UA-2025-0001"' in page
    assert "View the original notice" in page
    assert 'data-sector="water">Water</li>' in page
    assert "ua-1" in page  # identifier at the source


def test_notice_page_labels_cpv_codes_in_the_reader_language(client, notices):
    page = html(client.get(f"/notices/{notices['uman'].pk}/", headers={"accept-language": "ro"}))
    assert '<html lang="ro">' in page
    assert "Lucrări pentru conducte de alimentare cu apă" in page


def test_notice_page_of_an_award_shows_the_awards(client, notices):
    page = html(client.get(f"/notices/{notices['awarded'].pk}/"))
    assert "EcoSal SRL" in page
    assert "410,000" in page
    assert ">3</td>" in page
    assert "closed" in page


def test_notice_page_without_deadline_has_no_calendar_link(client, notices):
    page = html(client.get(f"/notices/{notices['planned'].pk}/"))
    assert "no deadline given" in page
    assert "deadline.ics" not in page
    assert "The notice gives no CPV code." not in page


def test_every_real_sample_notice_renders(client, real_notices):
    assert Notice.objects.count() >= 10
    for notice in Notice.objects.all():
        response = client.get(f"/notices/{notice.pk}/")
        assert response.status_code == 200, notice.source_id
        assert notice.source_id in html(response)
    assert client.get("/notices/?q=water").status_code == 200


# ---- organisations --------------------------------------------------------------------------


def test_organisation_profile_for_its_admin(client_for, orgs):
    sme = orgs["sme"]
    page = html(client_for("sme").get(f"/orgs/{sme.slug}/"))
    assert_in_layout(page)
    assert "AquaPure Systems SRL" in page
    assert f'href="/orgs/{sme.slug}/edit/"' in page
    assert "45252100-9" in page
    assert "Sewage-treatment plant construction work" in page
    assert "36.00" in page
    assert "Romanian" in page
    assert "French" in page
    assert "ISO 14001" in page
    assert "Danube Green Tech Cluster" in page  # its cluster
    assert "Ana Popescu" in page  # people, for members


def test_organisation_profile_for_a_visitor_has_no_edit_link_nor_people(client, orgs):
    sme = orgs["sme"]
    response = client.get(f"/orgs/{sme.slug}/")
    page = html(response)
    assert response.status_code == 200
    assert "AquaPure Systems SRL" in page
    assert "/edit/" not in page
    assert "Ana Popescu" not in page


def test_organisation_form_has_code_pickers(client_for, orgs):
    sme = orgs["sme"]
    response = client_for("sme").get(f"/orgs/{sme.slug}/edit/")
    page = html(response)
    assert response.status_code == 200
    assert_in_layout(page)
    assert 'method="post"' in page
    assert "csrfmiddlewaretoken" in page
    # Each code a ticked box with its label (untick to remove); the pickers add more as ticked boxes.
    assert form_data(page)["cpv_codes"] == ["45252100", "42912300", "45232150"]
    assert (
        '<input type="checkbox" name="nace_codes" value="37.00" checked> <span class="chip__code">37.00</span> '
        '<span class="chip__label" title="Sewerage">Sewerage</span>'
    ) in page
    assert 'data-mode="list" data-target="id_cpv_codes_chosen" data-name="cpv_codes"' in page
    assert 'data-mode="list" data-target="id_nace_codes_chosen" data-name="nace_codes"' in page
    assert 'hx-get="/codes/cpv/"' in page
    assert 'hx-get="/codes/nace/"' in page
    assert '<input type="text" id="id_cpv_codes_add" name="cpv_codes_typed"' in page  # typed codes, without JS


def test_organisation_form_explains_errors(client_for, orgs):
    sme = orgs["sme"]
    response = client_for("sme").post(
        f"/orgs/{sme.slug}/edit/",
        {
            "name": sme.name,
            "kind": sme.kind,
            "country": "RO",
            "cpv_codes": "123, 45252100",
        },
    )
    page = html(response)
    assert response.status_code == 200
    assert "The profile was not saved" in page
    assert "Not CPV codes: 123." in page
    assert 'href="#field-cpv_codes"' in page


def test_my_organisations_lists_orgs_and_staffed_clusters(client_for, orgs):
    page = html(client_for("manager").get("/orgs/"))
    assert_in_layout(page)
    assert "Danube Green Tech Cluster" in page
    assert f'href="/orgs/{orgs["cluster"].slug}/members/"' in page
    page = html(client_for("sme").get("/orgs/"))
    assert "AquaPure Systems SRL" in page
    assert "/members/" not in page


def test_cluster_directory_lists_members_sharing_and_people(client_for, orgs):
    page = html(client_for("manager").get(f"/orgs/{orgs['cluster'].slug}/members/"))
    assert_in_layout(page)
    assert "2 member organisations." in page
    row_sme = page.split("AquaPure Systems SRL")[1].split("</tr>")[0]
    row_other = page.split("Helios Solar SRL")[1].split("</tr>")[0]
    assert "tag--yes" in row_sme
    assert "Ana Popescu" in row_sme
    assert "Administrator" in row_sme
    assert "tag--no" in row_other
    assert "Ion Rusu" in row_other


# ---- code picker partial ----------------------------------------------------------------------


def test_code_options_lists_codes_to_pick(client):
    page = html(client.get("/codes/cpv/?q=45232"))
    assert 'class="picker__option" data-code="45232000"' in page
    assert "45232000-2" in page
    assert "<html" not in page
    page = html(client.get("/codes/nace/?q=36"))
    assert 'data-code="36.00"' in page


def test_code_options_says_when_nothing_matches(client):
    assert "No CPV code matches “qqqzz”." in html(client.get("/codes/cpv/?q=qqqzz"))


# ---- template helpers -------------------------------------------------------------------------


def test_days_left_counts_calendar_days():
    now = timezone.now().replace(hour=10, minute=0)
    assert tags.days_left(None, now) is None
    assert tags.days_left(now + timedelta(hours=3), now) == 0
    assert tags.days_left(now + timedelta(days=1), now) == 1
    assert tags.days_left(now - timedelta(minutes=1), now) == -1
    assert tags.days_left((now + timedelta(days=2)).isoformat(), now) == 2


def test_money_in_the_reader_format():
    with translation.override("en"):
        assert tags.money(Decimal("110000"), "UAH") == "UAH\xa0110,000"
        assert tags.money("1234.5", "eur") == "€1,234.50"
        assert tags.money(None, "EUR") == ""
        assert tags.money(Decimal("5000"), "") == "5,000"
    with translation.override("uk"):
        assert tags.money(Decimal("110000"), "UAH") == "110\xa0000\xa0₴"


def test_country_and_language_names_follow_the_reader():
    assert tags.country_name("md") == "Moldova"
    assert tags.country_name("") == ""
    with translation.override("fr"):
        assert tags.language_name("ro") == "Roumain"


# ---- query counts: the number of queries does not grow with the number of rows ----------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_notice_list_queries_do_not_grow_with_results(client, django_assert_max_num_queries):
    def add(n, start):
        for i in range(start, start + n):
            make_notice(
                f"q-{i}",
                buyer_country="MD",
                cpv_codes=["45232150"],
                green_sectors=["water"],
                deadline=timezone.now() + timedelta(days=i + 1),
                value_amount=Decimal(1000 + i),
                value_currency="MDL",
                lots=[{"id": "1", "title": "x"}],
            )

    url = "/notices/?q=notice&country=MD&cpv=45232000&sector=water"
    add(5, 0)
    baseline = _queries(client, url)
    add(25, 5)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert "30 notices" in html(response)


def test_cluster_directory_queries_do_not_grow_with_members(client_for, orgs, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    cluster = orgs["cluster"]
    user_model = get_user_model()

    def add(n, start):
        for i in range(start, start + n):
            member = organisation_create(
                name=f"Member {i}", kind=Organisation.Kind.SME, country="MD", green_sectors=["water"]
            )
            cluster_member_add(cluster=cluster, member=member, shares_private_data=i % 2 == 0)
            for j in range(2):
                person = user_model.objects.create(username=f"p{i}-{j}", email=f"p{i}-{j}@example.org")
                membership_set(user=person, organisation=member, role=Membership.Role.MEMBER)

    client = client_for("manager")
    url = f"/orgs/{cluster.slug}/members/"
    add(3, 0)  # 5 members with the demo's two
    baseline = _queries(client, url)
    add(25, 3)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert "30 member organisations." in html(response)


def test_my_organisations_queries_do_not_grow_with_organisations(client_for, users, django_assert_max_num_queries):
    user = users["manager"]

    def add(n, start):
        for i in range(start, start + n):
            kind = Organisation.Kind.CLUSTER if i % 2 else Organisation.Kind.SME
            org = organisation_create(name=f"Org {i}", kind=kind, country="RO", green_sectors=["water"])
            role = Membership.Role.MANAGER if i % 2 else Membership.Role.ADMIN
            membership_set(user=user, organisation=org, role=role)

    client = client_for("manager")
    add(4, 0)  # 5 with the demo cluster
    baseline = _queries(client, "/orgs/")
    add(25, 4)
    with django_assert_max_num_queries(baseline):
        response = client.get("/orgs/")
    # 30 organisations; 15 of them are clusters this manager staffs (the demo's and 14 added).
    assert html(response).count('class="card"') == 30 + 15


def test_signed_in_members_get_a_search_for_their_capabilities(client_for):
    page = client_for("sme").get("/notices/").content.decode()
    assert "Open notices for what AquaPure Systems SRL supplies" in page
    assert "cpv=45252100&amp;cpv=42912300&amp;cpv=45232150&amp;open=on" in page
    assert "Open notices for what" not in client_for("anonymous").get("/notices/").content.decode()


def test_a_new_user_registers_an_organisation_and_becomes_its_admin(db, client):
    user = get_user_model().objects.create_user(username="new@example.org", email="new@example.org", password="x")
    client.force_login(user)
    response = client.post(
        "/orgs/new/",
        {
            "name": "Nova Water SRL",
            "kind": "sme",
            "country": "MD",
            "city": "Bălți",
            "size_class": "micro",
            "cpv_codes": "45252100, 42912300-5",
            "nace_codes": "36.00",
            "green_sectors": ["water"],
            "languages": ["ro", "EN"],
        },
    )
    org = Organisation.objects.get(name="Nova Water SRL")
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{org.slug}/"
    assert (org.cpv_codes, org.languages, org.green_sectors) == (["45252100", "42912300"], ["ro", "en"], ["water"])
    assert Membership.objects.get(user=user, organisation=org).role == "admin"
    assert user.has_perm("orgs.change_organisation", org)


def test_registering_with_a_wrong_code_explains_it(db, client):
    user = get_user_model().objects.create_user(username="n2@example.org", email="n2@example.org", password="x")
    client.force_login(user)
    page = client.post(
        "/orgs/new/", {"name": "X", "kind": "sme", "country": "MD", "cpv_codes": "9999"}
    ).content.decode()
    assert "Not CPV codes: 9999" in page
