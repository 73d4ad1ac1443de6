"""Country and language names as sources write them, to ISO codes."""

import gettext
from pathlib import Path

import pycountry
import pytest

from greenbridge.reference import normalise
from greenbridge.reference.normalise import normalise_country, normalise_language


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("MD", "MD"),
        ("UKR", "UA"),
        ("EL", "GR"),
        ("Paraguay", "PY"),
        ("Україна", "UA"),  # an extra spelling
        ("Republica Moldova", "MD"),
        ("Tunisie", "TN"),  # French: only in the translated table
        ("Deutschland", "DE"),
        ("Armenia", "AM"),
        ("Nowhere", ""),
        ("", ""),
    ],
)
def test_normalise_country(value, code):
    assert normalise_country(value) == code


def test_english_names_answer_as_the_whole_table_does():
    whole = normalise._country_names()
    english = normalise._english_country_names()
    assert len(whole) > 30_000
    assert {key: whole[key] for key in english} == english


@pytest.mark.parametrize(
    ("value", "code"),
    [("HY", "hy"), ("EN", "en"), ("ENG", "en"), ("rum", "ro"), ("en-GB", "en"), ("English", "en"), ("xx", "")],
)
def test_normalise_language(value, code):
    assert normalise_language(value) == code


def test_mo_reader_reads_what_gettext_reads():
    catalogues = sorted(Path(pycountry.LOCALES_DIR).glob("*/LC_MESSAGES/iso3166-1.mo"))
    assert len(catalogues) > 100
    for path in catalogues:
        with open(path, "rb") as f:
            expected = {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if isinstance(k, str)}
        assert normalise._mo_messages(path) == expected, path
