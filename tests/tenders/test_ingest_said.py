"""Why an item was rejected, and why a run failed, are kept as data as well as in English, and said in the reader's
language where they are shown (the operator's dashboard); the English text stays as it was (the command line, the
logs, older runs)."""

import json
import pickle
from unittest import mock

import lxml.html
import pytest
from django.utils import translation
from django.utils.translation import gettext_noop

from greenbridge.tenders.ingest import types
from greenbridge.tenders.ingest.safexml import XmlError, parse_xml
from greenbridge.tenders.ingest.types import IngestError, RejectedItem, Said, say
from greenbridge.tenders.models import IngestRun
from greenbridge.tenders.services import notices_ingest
from greenbridge.tenders.templatetags.tenders import rejections_shown, said
from tests.conftest import DATA

# Real files the ingestion refuses: an eForms example without identifier and title, a Paraguay record with only
# linked releases (data/SOURCES.md), and an eForms XML file given as OCDS JSON.
EMPTY_EFORMS = DATA / "eforms" / "sdk_examples" / "INVALID_cn_24_empty.xml"
LINKED_ONLY_RECORD = (
    DATA / "ocds" / "real_more" / "ocp_sample_data_2017" / "paraguay_sample" / "records" / "284453.json"
)
PROZORRO = DATA / "ocds" / "ukraine" / "prozorro_release_package_2_releases.json"

INCOMPLETE = "incomplete eForms notice: it has no notice identifier (BT-701) and no title (BT-21)"
LINKED_ONLY = "a record with only linked releases and no compiled release: nothing to read"
NOT_JSON = "this looks like XML or HTML, not JSON"

# What the Romanian catalogue would say (these tests do not depend on the catalogue's state).
ROMANIAN = {
    INCOMPLETE: "notificare eForms incompletă: nu are identificator (BT-701) și nici titlu (BT-21)",
    LINKED_ONLY: "o înregistrare doar cu versiuni legate și fără versiune compilată: nimic de citit",
    NOT_JSON: "pare XML sau HTML, nu JSON",
    "%(where)s is not a JSON object (found %(found)s)": "%(where)s nu este un obiect JSON (s-a găsit %(found)s)",
    "a number": "un număr",
}


def romanian(message: str) -> str:
    """gettext, with the translations above when Romanian is active."""
    return ROMANIAN.get(message, message) if translation.get_language() == "ro" else message


@pytest.fixture
def in_romanian():
    with mock.patch.object(types, "gettext", side_effect=romanian) as gettext:
        yield gettext


# ---- the messages --------------------------------------------------------------------------------------------------


def test_the_english_text_is_as_it_was_and_the_message_and_its_values_are_kept():
    error = RejectedItem(gettext_noop("line %(number)s: not valid JSON: %(error)s"), number=7, error="Expecting value")
    assert str(error) == "line 7: not valid JSON: Expecting value"
    assert error.args == ("line 7: not valid JSON: Expecting value",)
    assert (error.message, error.params) == (
        "line %(number)s: not valid JSON: %(error)s",
        {"number": 7, "error": "Expecting value"},
    )
    assert repr(RejectedItem(gettext_noop("the release has no ocid"))) == "RejectedItem('the release has no ocid')"
    # A value that is not a number or a text is kept as its text (a library's exception: its own English).
    assert RejectedItem("could not be read: %(error)s", error=KeyError("tag")).params == {"error": "'tag'"}


def test_a_phrase_of_ours_in_a_sentence_is_kept_as_data_too():
    try:
        parse_xml(b"")
    except XmlError as e:
        empty = e
    error = IngestError(gettext_noop("%(location)s is %(problem)s"), location="notice.xml", problem=empty)
    assert str(error) == "notice.xml is empty"
    assert error.as_json() == {
        "message": "%(location)s is %(problem)s",
        "params": {"location": "notice.xml", "problem": {"message": "empty", "params": {}}},
    }
    # An input's error become one item's rejection (a damaged archive in a folder) says the same.
    assert RejectedItem(error).as_json() == error.as_json()
    assert str(RejectedItem(error)) == "notice.xml is empty"


def test_an_error_sent_from_another_process_keeps_its_message_and_values():
    error = IngestError(gettext_noop("could not read %(name)s: %(error)s"), name="a.json", error="disk on fire")
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes it made itself
    assert (type(again), str(again), again.as_json()) == (IngestError, str(error), error.as_json())


# ---- saying them ---------------------------------------------------------------------------------------------------


def test_a_stored_message_is_said_through_gettext_with_its_values():
    stored = {
        "message": "%(where)s is not a JSON object (found %(found)s)",
        "params": {"where": "releases[2]", "found": {"message": "a number", "params": {}}},
    }
    with mock.patch.object(types, "gettext", side_effect=lambda m: f"«{m}»") as gettext:
        assert say(stored, "english") == "«releases[2] is not a JSON object (found «a number»)»"
    assert [c.args for c in gettext.call_args_list] == [
        ("a number",),
        ("%(where)s is not a JSON object (found %(found)s)",),
    ]
    assert Said("%(where)s has no ocid", where="releases[0]").said() == "releases[0] has no ocid"


@pytest.mark.parametrize(
    "stored",
    [
        {"position": "x", "reason": "old text"},  # a rejection stored before reasons were kept as data
        {"message": "%(a)s", "params": {}},  # damaged: its value is missing
        {"message": "%(a)s"},
        {"message": "", "params": {}},  # gettext("") is the catalogue's header
        {"message": 5, "params": {}},
        {"message": "%(a)s", "params": ["x"]},
        {"message": "%(a)s is %(b)s", "params": {"a": "x", "b": {"message": "%(c)s", "params": {}}}},
        {},
        None,
        "a text",
    ],
)
def test_an_old_or_damaged_row_is_said_in_its_english(stored):
    assert say(stored, "old text") == "old text"
    assert said(stored, "old text") == "old text"


def test_a_translation_whose_placeholders_do_not_fit_is_said_in_english():
    with mock.patch.object(types, "gettext", return_value="%(other)s"):
        assert say({"message": "%(a)s", "params": {"a": "x"}}, "x (in English)") == "x (in English)"


# ---- stored with the run, shown on the operator's dashboard ---------------------------------------------------------


@pytest.mark.django_db
def test_a_real_rejection_is_stored_in_english_and_as_data_and_said_in_romanian(in_romanian):
    run = notices_ingest(connector="eforms", location=str(EMPTY_EFORMS))
    assert run.rejections == [{"position": str(EMPTY_EFORMS), "reason": INCOMPLETE}]  # as it was
    assert run.rejections_said == [{"message": INCOMPLETE, "params": {}}]
    stored = IngestRun.objects.get(pk=run.pk)
    assert (stored.rejections, stored.rejections_said) == (run.rejections, run.rejections_said)
    assert rejections_shown(stored) == [{"position": str(EMPTY_EFORMS), "reason": INCOMPLETE}]
    with translation.override("ro"):
        assert rejections_shown(stored) == [{"position": str(EMPTY_EFORMS), "reason": ROMANIAN[INCOMPLETE]}]
    in_romanian.assert_any_call(INCOMPLETE)


@pytest.mark.django_db
def test_a_rejection_with_values_keeps_them_and_its_phrases(tmp_path, in_romanian):
    package = json.loads(PROZORRO.read_text())
    package["releases"].append(5)  # not a release at all: rejected alone
    path = tmp_path / "typos.json"
    path.write_text(json.dumps(package))
    run = notices_ingest(connector="ocds", location=str(path), source="prozorro")
    assert run.rejections == [
        {"position": f"{path}:releases[2]", "reason": "releases[2] is not a JSON object (found a number)"}
    ]
    assert run.rejections_said == [
        {
            "message": "%(where)s is not a JSON object (found %(found)s)",
            "params": {"where": "releases[2]", "found": {"message": "a number", "params": {}}},
        }
    ]
    with translation.override("ro"):
        assert run.rejections_shown() == [
            {"position": f"{path}:releases[2]", "reason": "releases[2] nu este un obiect JSON (s-a găsit un număr)"}
        ]


@pytest.mark.django_db
def test_the_error_that_failed_a_run_is_stored_in_english_and_as_data(in_romanian):
    run = notices_ingest(connector="ocds", location=str(EMPTY_EFORMS))
    assert (run.status, run.error) == (IngestRun.Status.FAILED, NOT_JSON)
    assert IngestRun.objects.get(pk=run.pk).error_said == {"message": NOT_JSON, "params": {}}
    with translation.override("ro"):
        assert said(run.error_said, run.error) == ROMANIAN[NOT_JSON]
    ok = notices_ingest(connector="ocds", location=str(PROZORRO), source="prozorro")
    assert (ok.error, ok.error_said, ok.rejections_said) == ("", {}, [])


@pytest.mark.django_db
def test_the_operators_dashboard_says_rejections_and_errors_in_the_readers_language(client_for, in_romanian):
    rejected = notices_ingest(connector="ocds", location=str(LINKED_ONLY_RECORD), source="paraguay-sample")
    failed = notices_ingest(connector="ocds", location=str(EMPTY_EFORMS))
    # A run stored before reasons were kept as data: its English is shown.
    old = IngestRun.objects.create(
        connector="ocds",
        source="old",
        location="old.json",
        rejected=1,
        rejections=[{"position": "x", "reason": "old text"}],
    )
    IngestRun.objects.filter(pk__in=[rejected.pk, failed.pk, old.pk]).update(started=rejected.started)

    def words(language: str) -> str:
        response = client_for("operator").get("/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        page = lxml.html.fromstring(response.content.decode())
        return " ".join(page.xpath('//section[@aria-labelledby="op-ingest"]')[0].text_content().split())

    english, romanian = words("en"), words("ro")
    assert f"Rejected {LINKED_ONLY_RECORD}:records[0]: {LINKED_ONLY}" in english
    assert NOT_JSON in english
    assert LINKED_ONLY not in romanian
    assert f"{LINKED_ONLY_RECORD}:records[0]: {ROMANIAN[LINKED_ONLY]}" in romanian
    assert ROMANIAN[NOT_JSON] in romanian
    assert "x: old text" in romanian


def test_an_amount_of_bytes_is_grouped_as_the_reader_writes_numbers_a_line_number_is_not():
    """The count "1,048,576 bytes" read in Romanian, where the comma is the decimal mark, looked like a fraction."""
    from django.utils import translation

    from greenbridge.tenders.ingest.types import Said

    said = Said("line %(number)s: %(bytes)s bytes", number=12345, bytes=1048576)
    assert str(said) == "line 12345: 1,048,576 bytes"
    with translation.override("ro"):
        assert said.said() == "line 12345: 1.048.576 bytes"
