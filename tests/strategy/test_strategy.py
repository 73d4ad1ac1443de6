"""The joint internationalisation strategy: roles, each section's items (and the bad input they refuse), a target
market chosen from the ranking with its figures frozen, SWOT evidence, versions compared, comments, the change log
and the exports (DOCX read back with python-docx, PDF, .ics)."""

import io
from datetime import date

import pytest
from django.test import Client
from docx import Document
from icalendar import Calendar
from lxml import html

from greenbridge.orgs.models import Membership, Organisation
from greenbridge.partnering.models import Partnership
from greenbridge.strategy import sections
from greenbridge.strategy.models import Activity, Change, Member, Strategy, SwotItem, TargetMarket, Version
from greenbridge.strategy.rules import role_of
from greenbridge.strategy.services import strategy_create, version_publish
from tests.market.test_ranking import YEAR, get_user, sme  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(sme):  # noqa: F811
    """Owned by the SME's cluster-like partner: here the SME itself owns it; a partner cluster edits it."""
    cluster = Organisation.objects.create(name="Prut cluster", slug="prut", kind="cluster", country="MD")
    partnership = Partnership.objects.create(kind="joint_bid", title="Danube–Prut", date=date(YEAR, 1, 10))
    partnership.organisations.add(sme, cluster)
    owner = get_user(sme)
    return strategy_create(user=owner, owner=sme, title="Joint strategy", partnership=partnership)


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def owner_client(strategy) -> Client:
    owner = Membership.objects.filter(organisation__strategy_roles__strategy=strategy, user__username="u-apa-ro")
    return client_of(owner.first().user)


def test_roles_come_from_the_organisations(strategy):
    owner = Membership.objects.get(organisation__slug="apa-ro").user
    editor = get_user(Organisation.objects.get(slug="prut"))
    outsider = get_user(Organisation.objects.create(name="Other", slug="other", kind="cluster", country="RO"))
    assert (role_of(owner, strategy), role_of(editor, strategy), role_of(outsider, strategy)) == (
        "owner",
        "editor",
        None,
    )
    url = strategy.get_absolute_url()
    assert client_of(editor).get(url).status_code == 200
    assert client_of(outsider).get(url).status_code == 403
    assert client_of(outsider).post(f"{url}items/swot/", {"add-swot-quadrant": "threat"}).status_code == 403
    assert client_of(editor).post(f"{url}publish/").status_code == 403  # only an owner publishes
    Member.objects.filter(organisation__slug="prut").update(role="reader")
    assert (
        client_of(editor).post(f"{url}items/kpis/", {"add-kpis-indicator": "x", "add-kpis-target": "1"}).status_code
        == 403
    )
    assert client_of(editor).post(f"{url}comments/kpis/", {"text": "Readers comment"}).status_code == 302
    assert strategy.comments.get().text == "Readers comment"
    # Signed with the reader's name, not their e-mail address (Django's get_full_name knew no full_name).
    type(editor).objects.filter(pk=editor.pk).update(full_name="Ion Prut")
    page = client_of(editor).get(url).content.decode()
    assert "<strong>Ion Prut</strong>" in page
    assert f"<strong>{editor.email}</strong>" not in page


def test_the_strategy_page_keeps_the_persons_menu(strategy):
    """The page's own list of strategy roles once took the name of the menu's roles: a company's people lost
    their inbox and watches there (a cluster's staff their members and forwarding)."""
    page = html.fromstring(owner_client(strategy).get(f"/strategies/{strategy.pk}/").content)
    menu = [a.text_content().strip() for a in page.xpath('//nav[contains(@class, "site-nav")]//a')]
    assert {"Inbox", "Watches", "Assessments"} <= set(menu)


def test_each_section_takes_its_items_and_refuses_bad_input(strategy):
    client = owner_client(strategy)
    url = strategy.get_absolute_url()
    client.post(f"{url}text/context/", {"context-context": "Why we go abroad", "context-objectives": "Six contracts"})
    posts = {
        "swot": {"add-swot-quadrant": "strength", "add-swot-text": "Certified products"},
        "partners": {"add-partners-name": "Apă-Canal Chișinău", "add-partners-country": "MD",
                     "add-partners-side": "target", "add-partners-role": "Pilot buyer"},
        "roadmap": {"add-roadmap-kind": "trade_mission", "add-roadmap-title": "Mission to Chișinău",
                    "add-roadmap-starts": f"{YEAR + 1}-03-01", "add-roadmap-ends": f"{YEAR + 1}-03-04",
                    "add-roadmap-budget": "12 000", "add-roadmap-status": "planned"},
        "finance": {"add-finance-label": "Coordination", "add-finance-amount": "40000",
                    "add-finance-source": "Interreg"},
        "communication": {"add-communication-audience": "Members", "add-communication-channels": "Newsletter",
                          "add-communication-message": "Buyers abroad need you"},
        "kpis": {"add-kpis-indicator": "Contracts won abroad", "add-kpis-target": "6", "add-kpis-by": str(YEAR + 3)},
    }  # fmt: skip
    for section, data in posts.items():
        assert client.post(f"{url}items/{section}/", data).status_code == 302
    strategy.refresh_from_db()
    texts = sections.text_of(strategy)
    assert texts["context"] == "Context\nWhy we go abroad\n\nObjectives\nSix contracts"
    assert texts["swot"] == "Strength\n- Certified products"
    assert texts["partners"] == "- Apă-Canal Chișinău (In a target country, Moldova): Pilot buyer"
    assert texts["roadmap"] == (
        f"- 1\u2009–\u20094 Mar {YEAR + 1} · Trade mission · Mission to Chișinău · €12,000 · Planned"  # CLDR's span
    )
    assert texts["finance"] == "- Coordination: €40,000 (Interreg)\nTotal: €40,000"
    assert texts["kpis"] == f"- Contracts won abroad: 6 ({YEAR + 3})"

    bad = [
        ("roadmap", posts["roadmap"] | {"add-roadmap-ends": f"{YEAR + 1}-02-01"}, "must not be before the start"),
        ("roadmap", posts["roadmap"] | {"add-roadmap-budget": "1e309"}, "Enter an amount from 0 to"),
        ("roadmap", posts["roadmap"] | {"add-roadmap-starts": "3026-01-01"}, "Choose a date from 1950 to 2100."),
        # A typo of 1950 made the chart 930 months wide, and the Word export never answered.
        ("roadmap", posts["roadmap"] | {"add-roadmap-starts": "1950-01-01"},
         f"Give a date from 1 Jan {YEAR - 5} to 31 Dec {YEAR + 15}: the years a roadmap plans."),
        ("finance", posts["finance"] | {"add-finance-amount": "-5"}, "Enter an amount from 0 to"),
        ("kpis", posts["kpis"] | {"add-kpis-by": "99999"}, "less than or equal to 2100"),
        ("partners", {"add-partners-side": "target", "add-partners-role": "x"}, "write the partner's name"),
        ("swot", {"add-swot-quadrant": "nonsense", "add-swot-text": "x"}, "Select a valid choice"),
    ]  # fmt: skip
    for section, data, message in bad:
        page = client.post(f"{url}items/{section}/", data, follow=True).content.decode()
        assert message in html.fromstring(page).text_content(), (section, message)
    # What was typed comes back in the refused form, once: not lost to one wrong date.
    page = html.fromstring(client.post(f"{url}items/roadmap/", bad[0][1], follow=True).content)
    assert page.get_element_by_id("id_add-roadmap-title").value == posts["roadmap"]["add-roadmap-title"]
    assert page.get_element_by_id("id_add-roadmap-ends").value == f"{YEAR + 1}-02-01"
    page = html.fromstring(client.get(url).content)
    assert not page.get_element_by_id("id_add-roadmap-title").value
    assert Activity.objects.filter(strategy=strategy).count() == 1  # nothing else was added
    assert client.post(f"{url}items/nonsense/", {}).status_code == 404
    activity = strategy.activities.get()
    # Changed in place: the page shows the item's form filled in; a wrong end is said there, a good one is saved.
    edit = f"{url}items/roadmap/{activity.pk}/edit/"
    page = html.fromstring(client.get(edit).content)
    assert page.get_element_by_id("id_edit-roadmap-title").value == "Mission to Chișinău"
    fields = {k.replace("add-", "edit-"): v for k, v in posts["roadmap"].items()}
    refused = client.post(edit, fields | {"edit-roadmap-ends": f"{YEAR + 1}-02-01"})
    assert "must not be before the start" in refused.content.decode()
    assert client.post(edit, fields | {"edit-roadmap-ends": f"{YEAR + 1}-03-06"}).status_code == 302
    activity.refresh_from_db()
    assert activity.ends == date(YEAR + 1, 3, 6)
    assert client.get(f"{url}items/roadmap/999999/edit/").status_code == 404
    # An activity of years ago keeps its dates when only its title changes.
    Activity.objects.filter(pk=activity.pk).update(starts=date(YEAR - 9, 1, 1), ends=date(YEAR - 9, 1, 2))
    old = {"edit-roadmap-starts": f"{YEAR - 9}-01-01", "edit-roadmap-ends": f"{YEAR - 9}-01-02"}
    assert client.post(edit, fields | old | {"edit-roadmap-title": "Mission, 2017"}).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.starts) == ("Mission, 2017", date(YEAR - 9, 1, 1))
    client.post(f"{url}items/roadmap/{activity.pk}/remove/")
    assert not strategy.activities.exists()
    summaries = list(Change.objects.filter(strategy=strategy).values_list("summary", flat=True))
    assert "Removed: Mission, 2017" in summaries
    assert {"Changed: Mission to Chișinău", "Changed: Mission, 2017"} <= set(summaries)
    assert "Edited: context, objectives" in summaries


def test_a_target_market_from_the_ranking_keeps_its_figures(strategy):
    client = owner_client(strategy)
    url = strategy.get_absolute_url()
    page = html.fromstring(client.get(f"{url}markets/choose/").content)
    assert page.xpath('//li[@id="rank-UA"]//form//button/text()') == ["Add to the strategy"]
    assert client.post(f"{url}markets/", {"for": "apa-ro", "country": "UA"}).status_code == 302
    market = TargetMarket.objects.get(strategy=strategy)
    assert (market.country.code, market.rank, market.market) == ("UA", 1, {"cpv": ["452324"], "sectors": []})
    assert market.figures["foreign_winner_share"] == 0.5
    assert market.figures["explanation"].startswith("Ukraine ranks no. 1: €3M in notices for your CPV codes")
    assert [f["label"] for f in market.figures["factors"]][:2] == ["Market size", "Growth"]
    # Frozen: the market changes, the strategy's figures do not; today's are one link away.
    from greenbridge.market.services import refresh_facts
    from tests.market.test_ranking import notice

    notice("ua-9", "UA", YEAR, value=50_000_000)
    refresh_facts()
    market.refresh_from_db()
    assert market.figures["value_eur_total"] == 3_000_000
    page = html.fromstring(client.get(url).content)
    assert page.xpath('//section[@id="section-markets"]//a[text()="Today\'s figures"]/@href') == [
        "/market/?country=UA&cpv=452324"
    ]
    # Read in another language, its explanation and factors are in that language (kept in each when chosen).
    market_section = '//section[@id="section-markets"]'
    page = html.fromstring(client.get(url, HTTP_ACCEPT_LANGUAGE="uk").content)
    assert page.xpath(f"{market_section}//article/p/text()")[0].startswith("Україна посідає місце № 1: ")
    labels = page.xpath(f"{market_section}//details//th/text()")
    assert len(labels) == 7
    assert "Market size" not in labels
    page = html.fromstring(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content)
    assert page.xpath(f"{market_section}//article/p/text()")[0].startswith("Ukraine ")
    assert "ranks no." not in page.xpath(f"{market_section}//article/p/text()")[0]
    # A target market kept before the languages were (one language only) still reads as it was written.
    figures = {k: v for k, v in market.figures.items() if k != "languages"}
    TargetMarket.objects.filter(pk=market.pk).update(figures=figures)
    page = html.fromstring(client.get(url, HTTP_ACCEPT_LANGUAGE="uk").content)
    assert page.xpath(f"{market_section}//article/p/text()")[0].startswith("Ukraine ranks no. 1: ")
    # A SWOT item cites it.
    form = html.fromstring(client.get(url).content)
    options = {
        o.text: o.get("value") for o in form.xpath('//select[@name="add-swot-evidence"]/option') if o.get("value")
    }
    key = options["Ukraine: 50% of awards won by foreign firms"]
    client.post(
        f"{url}items/swot/", {"add-swot-quadrant": "opportunity", "add-swot-text": "Open", "add-swot-evidence": key}
    )
    item = SwotItem.objects.get(strategy=strategy)
    assert (item.evidence_label, item.evidence_url) == (
        "Ukraine: 50% of awards won by foreign firms",
        "/market/?country=UA&cpv=452324",
    )
    assert client.post(f"{url}markets/", {"for": "apa-ro", "country": "ZZ"}).status_code == 302
    assert TargetMarket.objects.filter(strategy=strategy).count() == 1


def test_versions_compare_section_by_section(strategy):
    client = owner_client(strategy)
    url = strategy.get_absolute_url()
    strategy.objectives = "Six contracts"
    strategy.save()
    page = client.get(url).content.decode()  # asked twice: the button opens what publishing does
    assert "The strategy as it reads now becomes version 1, for every member to read and compare" in page
    assert client.post(f"{url}publish/").status_code == 302
    strategy.objectives = "Six contracts\nA desk in Chișinău"
    strategy.save()
    version_publish(strategy=strategy, user=None)
    assert list(strategy.versions.values_list("number", flat=True)) == [2, 1]
    assert Version.objects.get(strategy=strategy, number=1).sections["context"] == "Objectives\nSix contracts"
    page = html.fromstring(client.get(f"{url}versions/?a=1&b=2").content)
    assert page.xpath('//section[@id="compare-context"]//ins/text()') == ["A desk in Chișinău"]
    assert page.xpath('//section[@id="compare-swot"]//span[@class="hint"]/text()') == ["unchanged"]
    assert sections.compare("a\nb", "a\nc") == [("same", "a"), ("removed", "b"), ("added", "c")]

    # Version 2 was published in English: read in French, the draft is compared with it in English, so that only
    # what changed shows ("Objectifs" is not "Objectives"); two versions in two languages are said to differ so.
    assert Version.objects.get(strategy=strategy, number=2).language == "en"
    page = html.fromstring(client.get(f"{url}versions/?a=2&b=draft", HTTP_ACCEPT_LANGUAGE="fr").content)
    assert page.xpath('//section[@id="compare-context"]//span[@class="hint"]/text()') == ["inchangée"]
    Version.objects.filter(strategy=strategy, number=1).update(language="fr")
    page = client.get(f"{url}versions/?a=1&b=2", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "publiées dans des langues différentes" in page


def test_exports_docx_pdf_and_the_roadmap_calendar(strategy):
    client = owner_client(strategy)
    url = strategy.get_absolute_url()
    for i, (starts, ends) in enumerate(
        ((date(YEAR + 1, 1, 10), date(YEAR + 1, 1, 12)), (date(YEAR + 1, 3, 1), date(YEAR + 1, 4, 15)))
    ):
        Activity.objects.create(strategy=strategy, kind="fair", title=f"Fair {i}", starts=starts, ends=ends)
    SwotItem.objects.create(strategy=strategy, quadrant="threat", text="Currency risk", evidence_label="UAH")
    response = client.get(f"{url}strategy.docx")
    assert response["Content-Disposition"] == 'attachment; filename="joint-strategy.docx"'
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    # The roadmap's days as the reader's language writes a span of them, not ISO dates.
    assert f"10\u2009–\u200912 Jan {YEAR + 1}" in "\n".join(p.text for p in doc.paragraphs)
    assert [str(t) for t in sections.SECTIONS.values()] == [h for h in headings if h != "Joint strategy"]
    romanian = Document(io.BytesIO(client.get(f"{url}strategy.docx", HTTP_ACCEPT_LANGUAGE="ro").content))
    assert f"1 mar.\u2009–\u200915 apr. {YEAR + 1}" in "\n".join(p.text for p in romanian.paragraphs)
    swot, gantt = doc.tables
    assert "Currency risk [UAH]" in swot.cell(1, 1).text
    assert [c.text for c in gantt.rows[0].cells] == ["Activity", f"01/{(YEAR + 1) % 100}", f"02/{(YEAR + 1) % 100}",
                                                     f"03/{(YEAR + 1) % 100}", f"04/{(YEAR + 1) % 100}"]  # fmt: skip
    shaded = [[bool(c._tc.xpath("./w:tcPr/w:shd")) for c in row.cells[1:]] for row in gantt.rows[1:]]
    assert shaded == [[True, False, False, False], [False, False, True, True]]
    pdf = client.get(f"{url}strategy.pdf")
    assert pdf.content.startswith(b"%PDF")
    cal = Calendar.from_ical(client.get(f"{url}roadmap.ics").content)
    events = sorted(str(e["summary"]) for e in cal.walk("VEVENT"))
    assert events == ["Fair: Fair 0", "Fair: Fair 1"]
    chart = sections.gantt(list(strategy.activities.all()))
    assert chart["bars"][0]["x"] == pytest.approx(sections.LABEL_W + 9 / 31 * sections.MONTH_W, abs=0.1)
    # One stored before the rule (or by the admin) decades back: the chart and the table stay within the window.
    Activity.objects.create(
        strategy=strategy, kind="fair", title="Typo", starts=date(1950, 1, 1), ends=date(1950, 1, 2)
    )
    chart = sections.gantt(list(strategy.activities.all()))
    assert len(chart["ticks"]) == (YEAR + 1 - (YEAR - 5)) * 12 + 4  # from January five years back to the last end
    assert chart["bars"][0]["x"] == sections.LABEL_W  # drawn at the edge
    assert len(Document(io.BytesIO(client.get(f"{url}strategy.docx").content)).tables[1].columns) == 1 + len(
        chart["ticks"]
    )


def test_a_strategy_without_a_partnership_and_its_members(strategy):
    client = owner_client(strategy)
    url = strategy.get_absolute_url()
    other = Organisation.objects.create(name="Black Sea BSO", slug="bs-bso", kind="bso", country="GE")
    Organisation.objects.create(name="Chișinău water", slug="chisinau-water", kind="procurer", country="MD")
    choices = html.fromstring(client.get(url).content).xpath('//select[@name="organisation_slug"]/option/@value')
    assert {"bs-bso", "prut", "apa-ro"} <= set(choices)  # clusters and BSOs, and the members
    assert "chisinau-water" not in choices  # public buyers do not write strategies
    client.post(f"{url}members/", {"organisation_slug": "bs-bso", "role": "reader"})
    assert Member.objects.get(strategy=strategy, organisation=other).role == "reader"
    # The last owner cannot step down.
    client.post(f"{url}members/", {"organisation_slug": "apa-ro", "role": "editor"})
    assert Member.objects.get(strategy=strategy, organisation__slug="apa-ro").role == "owner"
    assert Strategy.objects.get(pk=strategy.pk).members.count() == 3
