"""Every interface string is translated into each shipped language, and the compiled catalogues
match their sources (run `make messages` after changing strings)."""

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import timezone, translation

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]


def _messages(catalog) -> dict:
    """(context, id) -> translation; plural entries as tuples (the .po and .mo readers use lists and tuples).
    The context is part of the key: "Published" as an event status and as a publication date are two messages."""

    def key(value):
        return value if isinstance(value, str) else tuple(value)

    return {(m.context, key(m.id)): key(m.string) for m in catalog if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as fh:
        po = read_po(fh)
    untranslated = [m.id for m in po if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.po").open("rb") as po_file, (folder / "django.mo").open("rb") as mo_file:
        assert _messages(read_mo(mo_file)) == _messages(read_po(po_file))


@pytest.mark.parametrize(("language", "expected"), [("ro", "Anunțuri"), ("uk", "Оголошення"), ("fr", "Avis")])
def test_interface_speaks_the_language(language, expected):
    with translation.override(language):
        assert translation.gettext("Notices") == expected


@pytest.mark.parametrize(
    ("language", "status", "date", "cancelled_event", "cancelled_registration"),
    [
        ("ro", "Publicat", "Data publicării", "Anulat", "Anulată"),
        ("uk", "Опубліковано", "Дата публікації", "Скасовано", "Скасовано"),
        ("fr", "Publié", "Date de publication", "Annulé", "Annulée"),
    ],
)
def test_one_english_word_with_two_meanings_gets_two_translations(
    language, status, date, cancelled_event, cancelled_registration
):
    from greenbridge.events.models import Event, Registration

    with translation.override(language):
        assert str(Event.Status.PUBLISHED.label) == status  # was translated as "publication date"
        assert translation.pgettext("publication date", "Published") == date
        assert str(Event.Status.CANCELLED.label) == cancelled_event
        assert str(Registration.Status.CANCELLED.label) == cancelled_registration


def test_ukrainian_wordings_do_not_decline_names():
    """Names and titles cannot take Ukrainian case endings ("для Молдова", "на Danube days"): the wordings put
    them after a noun that takes the ending, or after a colon."""
    with (LOCALE / "uk" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        po = read_po(fh)
    preposition_then_name = re.compile(
        r"(?<![\w-])(для|на|у|в|з|із|зі|до|від|про|між) %\((name|title|organisation|cluster|country|person)\)s"
    )
    bad = []
    for m in po:
        for text in [m.string] if isinstance(m.string, str) else m.string:
            if preposition_then_name.search(text or ""):
                bad.append(text)
    assert bad == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_in_markup_stay_numbers_in_every_language(language):
    """A score is shown as the reader writes numbers (0,84 in Ukrainian), but the bar's value is markup: a decimal
    comma there would make it an empty bar."""
    from django.template.loader import render_to_string

    with translation.override(language):
        html = render_to_string("matching/_score.html", {"score": 0.84})
    assert 'value="0.84"' in html
    assert "0,84" in html or language == "en"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "9 December 2026"), ("fr", "9 décembre 2026"), ("ro", "9 decembrie 2026"), ("uk", "9 грудня 2026\u202fр.")],
)
def test_a_date_in_full_is_written_as_the_language_writes_it(language, expected):
    from datetime import UTC, datetime

    from greenbridge.core.templatetags.greenbridge import long_date

    with translation.override(language):
        assert long_date(datetime(2026, 12, 9, 8, 0, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("9 Dec 2026", "9 Dec 2026, 10:00", "9 Dec", "Wed 9 Dec", "Wed 9 Dec, 10:00", "9 Dec, 10:00 EET")),
        ("fr", ("9 déc. 2026", "9 déc. 2026, 10:00", "9 déc.", "mer. 9 déc.", "mer. 9 déc., 10:00",
                "9 déc., 10:00 EET")),
        ("ro", ("9 dec. 2026", "9 dec. 2026, 10:00", "9 dec.", "mie., 9 dec.", "mie., 9 dec., 10:00",
                "9 dec., 10:00 EET")),
        (
            "uk",
            ("9 груд. 2026\u202fр.", "9 груд. 2026\u202fр., 10:00", "9 груд.", "ср, 9 груд.", "ср, 9 груд., 10:00",
             "9 груд., 10:00 EET"),
        ),
    ],
)  # fmt: skip
def test_short_dates_are_written_as_the_language_writes_them(language, expected):
    """Django's abbreviated months are capitalised in French, Romanian and Ukrainian ("9 Déc 2026", "9 Гру 2026")."""
    from datetime import UTC, datetime

    from greenbridge.core.templatetags import greenbridge as tags

    when = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)  # 10:00 in Chișinău, the test settings' time zone
    with translation.override(language), timezone.override("Europe/Chisinau"):
        written = (
            tags.short_date(when),
            tags.short_date_time(when),
            tags.day_month(when),
            tags.weekday_day_month(when),
            tags.weekday_day_month_time(when),
            tags.day_month_time(when, "zone"),
        )
    assert written == expected


def test_pages_and_e_mails_write_no_month_or_weekday_by_django_s_date_formats():
    """Django's month and weekday names are capitalised in French, Romanian and Ukrainian ("Déc", "Гру", "Mer"):
    templates write days with the CLDR filters above (a time and its zone too: `long_date_time:"zone"`), and use
    `date` for the time of day alone or a machine-readable date."""
    import re
    from pathlib import Path

    import greenbridge

    root = Path(greenbridge.__file__).parent
    uses = {
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in root.rglob("templates/**/*.*")
        for m in re.finditer(r"\|date(:\s*(\"[^\"]*\"|'[^']*'|\w+))?", path.read_text())
    }
    allowed = {'|date:"H:i"', "|date:'c'", '|date:"c"', "|date:'Y-m-d'", '|date:"Y-m-d"'}
    assert {u for u in uses if u.split(": ", 1)[1] not in allowed} == set()


def test_a_money_figure_in_a_narrow_tile_may_break_before_its_unit_only():
    """ "2,8 млрд EUR" is wider than a market figure's tile: it breaks before "EUR", never inside "2,8 млрд"."""
    from greenbridge.market.templatetags.market import eur

    with translation.override("uk"):
        assert eur(2.8e9) == "2,8\xa0млрд\xa0EUR"
        assert eur(2.8e9, "wrap") == "2,8\xa0млрд EUR"
    with translation.override("en"):
        assert eur(2.8e9, "wrap") == "€2.8B"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("December 2026", "Dec 2026")),
        ("fr", ("décembre 2026", "déc. 2026")),
        ("ro", ("decembrie 2026", "dec. 2026")),
        ("uk", ("грудень 2026\u202fр.", "груд. 2026\u202fр.")),
    ],
)
def test_a_month_is_written_as_the_language_writes_it(language, expected):
    from datetime import date

    from greenbridge.core.templatetags.greenbridge import month_year, short_month_year

    with translation.override(language):
        assert (month_year(date(2026, 12, 5)), short_month_year(date(2026, 12, 5))) == expected


def test_the_catalogues_do_not_take_the_admin_s_words():
    """Our French "Change" (a score's difference: "Évolution") was taken by every "Change" link of the Django admin,
    which comes after our catalogue; "All" of its filters read "Total". The admin's words that we use in another
    sense are ours only with a context."""
    from babel.messages.pofile import read_po
    from django.contrib import admin

    import greenbridge

    def catalog(path):
        with path.open("rb") as fh:
            return {m.id: m.string for m in read_po(fh) if isinstance(m.id, str) and not m.context and m.string}

    admin_locale = Path(admin.__file__).parent / "locale"
    for path in (Path(greenbridge.__file__).parent / "locale").glob("*/LC_MESSAGES/django.po"):
        theirs = catalog(admin_locale / path.parts[-3] / "LC_MESSAGES" / "django.po")
        ours = catalog(path)
        # Words whose meaning differs in the admin (a register or a spelling may differ: "Adăugați" / "Adaugă").
        for word in ("Change", "All"):
            assert ours.get(word, theirs.get(word)) == theirs.get(word), (path, word)


@pytest.mark.django_db
def test_the_sign_in_pages_speak_romanian_as_the_rest_does(client):
    """allauth's own Romanian has no diacritics and says "tu" ("Conecteaza-te", "Tine-ma minte"): GreenBridge's
    catalogue (core/allauth_messages.py) says it as every other page does."""
    from lxml import html

    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    words = " ".join(html.fromstring(page).xpath("//main")[0].text_content().split())
    assert "Rămâneți autentificat" in words
    for informal in ("Conecteaza", "Tine-ma", "te rugam", "inregistreaza"):
        assert informal not in words
    wrong = client.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "x"}, HTTP_ACCEPT_LANGUAGE="ro"
    ).content.decode()
    assert "Adresa de e-mail și/sau parola introduse nu sunt corecte." in wrong


def test_languages_in_a_list_are_written_as_a_sentence_writes_them():
    """ "Румунська, Англійська": Ukrainian, Romanian and French do not capitalise language names inside a list."""
    from greenbridge.core.templatetags.greenbridge import language_names

    with translation.override("uk"):
        assert language_names(["ro", "en"]) == "Румунська, англійська"
    with translation.override("fr"):
        assert language_names(["ro", "en", ""]) == "Roumain, anglais"
    with translation.override("en"):
        assert language_names(["ro", "en"]) == "Romanian, English"
    assert language_names(None) == ""


@pytest.mark.parametrize(("language", "name"), [("en", "Palestine"), ("fr", "Palestine"), ("uk", "Палестина")])
def test_country_names_read_in_a_sentence(language, name):
    """django-countries' "Палестина, Держава" made "Палестина, Держава посідає місце № 14"."""
    from django_countries import countries

    with translation.override(language):
        assert str(countries.name("PS")) == name


def test_a_country_list_is_named_and_sorted_in_the_readers_language():
    """The invitation's country list was built when the module was imported, in English ("Afghanistan", "Bahamas
    (The)") whatever the page's language; Ukrainian was sorted in English order; Romanian wrote ş and ţ."""
    from greenbridge.orgs.forms import InvitationAcceptForm

    with translation.override("ro"):
        names = [label for _code, label in InvitationAcceptForm().fields["country"].choices]
        assert "Afganistan" in names
        assert "Franța" in names
        assert "Croația" in names
        assert "Republica Congo" in names
        assert "Republica Democrată Congo" in names
    with translation.override("uk"):
        names = [label for code, label in InvitationAcceptForm().fields["country"].choices if code]
        assert names.index("Австралія") < names.index("Велика Британія") < names.index("Японія")


def test_a_label_and_its_text_are_separated_as_each_language_does():
    """French puts a (non-breaking) space before the colon: "Fin : La fin ne peut pas précéder le début"."""
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load greenbridge %}Fin{% colon %}x")
    with translation.override("fr"):
        assert template.render(Context()) == "Fin\u00a0: x"
    with translation.override("ro"):
        assert template.render(Context()) == "Fin: x"


def test_a_message_shows_its_addresses_as_readable_links_and_its_text_escaped():
    """An article's address pasted in a reply was 300 characters of percent signs, and no link."""
    from django.template import Context, Template

    text = "Vedeți https://gb.example/kb/%D1%81%D1%82%D0%B0%D1%82%D1%82%D1%8F/\n<b>Mulțumim</b>"
    html = Template("{% load greenbridge %}{{ text|text_with_links }}").render(Context({"text": text}))
    assert html == (
        'Vedeți <a href="https://gb.example/kb/%D1%81%D1%82%D0%B0%D1%82%D1%82%D1%8F/" rel="nofollow">'
        "https://gb.example/kb/стаття/</a><br>&lt;b&gt;Mulțumim&lt;/b&gt;"
    )


def test_django_own_words_that_its_ukrainian_gets_wrong_are_ours():
    """Django's Ukrainian said "Зробить коректний вибір" (a typo) for a choice not in the list."""
    from django import forms
    from django.utils import translation

    field = forms.ChoiceField(choices=[("a", "A")])
    with translation.override("uk"):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("zz")
        assert refused.value.messages == ["Виберіть варіант зі списку: zz серед них немає."]  # said as it is read


def test_a_link_never_shows_a_control_character_its_address_hides():
    """A right-to-left override made ".../fdp.exe" read ".../exe.pdf"; a new line broke the text inside the link."""
    from django.template import Context, Template

    text = "https://a.example/%E2%80%AEfdp.exe and https://a.example/x%0Ay%2Fz?q=%D0%B0"
    html = Template("{% load greenbridge %}{{ text|text_with_links }}").render(Context({"text": text}))
    assert ">https://a.example/%E2%80%AEfdp.exe</a>" in html
    assert ">https://a.example/x%0Ay%2Fz?q=а</a>" in html


def test_a_page_in_another_language_leaves_the_test_in_its_own(client):
    """The page's LocaleMiddleware activates the page's language in the test's thread; the test client puts the
    test's back (tests/conftest.py), so that what a test makes or compares after a request is in its language."""
    assert translation.get_language() == settings.LANGUAGE_CODE
    assert "Увійти" in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert translation.get_language() == settings.LANGUAGE_CODE
    with translation.override("ro"):
        client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="uk")
        assert translation.get_language() == "ro"
