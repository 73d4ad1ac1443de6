"""Codes in words: a CPV or NACE code is shown with its label in the reader's language (core/_code.html), on every
page where a code reaches a person."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load greenbridge %}" + source).render(Context(context))


def test_cpv_code_is_a_chip_with_its_label_and_the_whole_label_in_the_title():
    assert render('{% cpv "45232150" %}') == (
        '<span class="code-chip code-chip--cpv" title="45232150 Works related to water-distribution pipelines">'
        '<span class="code-chip__code">45232150</span> '
        '<span class="code-chip__label">Works related to water-distribution pipelines</span></span>'
    )


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("ro", "Lucrări pentru conducte de alimentare cu apă"),
        ("uk", "Роботи, пов’язані з прокладанням водорозподільних трубопроводів"),
        ("fr", "Travaux relatifs aux conduites d'alimentation en eau"),
    ],
)
def test_cpv_label_is_in_the_reader_language(language, label):
    with translation.override(language):
        html = render('{% cpv "45232150-8" %}')  # the check digit as sources write it
    assert f'<span class="code-chip__label">{escape(label)}</span>' in html
    assert '<span class="code-chip__code">45232150</span>' in html


def test_romanian_labels_write_s_and_t_with_a_comma_below_as_romanian_does():
    """The official labels have the cedilla letters (ş, ţ) of Turkish; they are shown as Romanian writes them."""
    from greenbridge.reference.models import CpvCode, NaceCode

    for model in (CpvCode, NaceCode):
        labels = [label for label in model.objects.values_list("labels__ro", flat=True) if label]
        assert len(labels) > 500
        assert not [label for label in labels if set(label) & set("ŞşŢţ")]
    with translation.override("ro"):
        assert "Lucrări de construcții de stații de epurare" in render('{% cpv "45252100" %}')


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("uk", "Відновлення відсортованих відходів"),  # KVED-2010, Ukraine's NACE Rev. 2
        ("ro", "Recuperarea materialelor reciclabile sortate"),
        ("en", "Recovery of sorted materials"),
    ],
)
def test_nace_label_is_in_the_reader_language(language, label):
    """Organisation pages showed English activity names in the Ukrainian interface: there were no Ukrainian NACE
    labels. Every code has one now."""
    from greenbridge.reference.lexicon import nace_label
    from greenbridge.reference.models import NaceCode

    assert nace_label("38.32", language) == label
    assert NaceCode.objects.exclude(labels__has_key="uk").count() == 0
    assert NaceCode.objects.count() == 996
    assert nace_label("36.00", "uk") == "Забір, очищення та постачання води"


def test_unknown_code_is_shown_alone_without_a_title():
    assert render('{% cpv "99999999" %}') == (
        '<span class="code-chip code-chip--cpv"><span class="code-chip__code">99999999</span></span>'
    )


def test_cpv_link_leads_to_the_notices_under_the_code():
    html = render('{% cpv "90400000" link=True %}')
    assert html.startswith('<a class="code-chip code-chip--cpv" href="/notices/?cpv=90400000" title="90400000 Sewage')
    assert html.endswith("</a>")


def test_cpv_list_shows_the_first_codes_and_how_many_more():
    html = render("{% cpv_codes codes limit=2 %}", codes=["45232150", "90400000", "38421100", "50000000"])
    assert re.findall(r'code-chip__label">([^<]+)<', html) == [
        "Works related to water-distribution pipelines",
        "Sewage services",
    ]
    assert '<li class="code-chips__more">+2 more</li>' in html
    assert render("{% cpv_codes codes %}", codes=[]) == ""


def test_nace_code_is_a_chip_with_its_label():
    html = render('{% nace "36.00" %}')
    assert html == (
        '<span class="code-chip code-chip--nace" title="36.00 Water collection, treatment and supply">'
        '<span class="code-chip__code">36.00</span> '
        '<span class="code-chip__label">Water collection, treatment and supply</span></span>'
    )
    with translation.override("ro"):
        assert "Colectarea și epurarea apelor uzate" in render("{% nace_codes codes %}", codes=["37.00"])


def test_watch_list_says_what_each_watch_looks_for_in_words(client_for, orgs, users):
    from greenbridge.matching.services import watch_save

    watch_save(
        organisation=orgs["sme"],
        user=users["sme"],
        data={"cpv_codes": ["45232150", "90400000"], "keywords": ["water meters"], "countries": ["MD", "EAP"]},
        name="Water networks",
    )
    html = client_for("sme").get("/watches/").content.decode()
    assert 'title="45232150 Works related to water-distribution pipelines"' in html
    assert '<span class="code-chip__label">Sewage services</span>' in html
    assert "“water meters”" in html
    assert "Moldova, Eastern Partnership" in html
    # One organisation: one button for it; a cluster's staff choose among their own and the members that share.
    assert "New watch for AquaPure Systems SRL" in html
    manager = client_for("manager").get("/watches/").content.decode()
    assert "New watch for…" in manager
    assert re.findall(r'href="/watches/new/([\w-]+)/"', manager) == [
        orgs["cluster"].slug,
        orgs["sme"].slug,  # shares its data with the cluster; Helios Solar does not
    ]


def test_search_card_and_inbox_show_the_main_code_in_words(client_for, orgs, users):
    from greenbridge.matching.services import watch_save
    from tests.conftest import make_notice

    make_notice("w1", title="Water meters for Ungheni", buyer_country="MD", cpv_codes=["38421100", "45232150"])
    watch_save(organisation=orgs["sme"], user=users["sme"], data={"keywords": ["water meters"]}, name="Meters")
    for url in ("/notices/?q=meters", "/inbox/"):
        html = client_for("sme").get(url).content.decode()
        assert (
            '<span class="code-chip__code">38421100</span> <span class="code-chip__label">Water meters</span>' in html
        )
        assert '<li class="code-chips__more">+1 more</li>' in html


def test_opportunity_filter_picks_a_country_by_name_and_says_the_code_in_words(client, demo):
    html = client.get("/opportunities/?country=MD&cpv=3842").content.decode()
    assert '<input id="country"' not in html
    options = re.findall(r'<option value="(\w\w)"( selected)?>([^<]+)</option>', html)
    assert options == [("MD", " selected", "Moldova"), ("RO", "", "Romania"), ("UA", "", "Ukraine")]
    assert 'title="38420000 Instruments for measuring flow, level and pressure of liquids and gases"' in html
    assert "Water meters and pipe rehabilitation in two districts of Ungheni" in html
