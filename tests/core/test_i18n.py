"""Every interface string is translated into each shipped language, and the compiled catalogues
match their sources (run `make messages` after changing strings)."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]


def _messages(catalog) -> dict:
    """id -> translation; plural entries as tuples (the .po and .mo readers use lists and tuples)."""

    def key(value):
        return value if isinstance(value, str) else tuple(value)

    return {key(m.id): key(m.string) for m in catalog if m.id}


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
