"""Procedure types in words: the values real notices carry (OCDS procurementMethod, eForms BT-105 codes, and a
publisher's own words) are shown as translated labels, never as "neg-w-call"."""

import csv

import pytest

from greenbridge.tenders.models import Notice
from greenbridge.tenders.procedures import PROCEDURES, procedure_hint, procedure_label
from greenbridge.tenders.services import notices_ingest
from tests.conftest import DATA

pytestmark = pytest.mark.django_db

# What procedure_type holds after ingesting every real file of data/, and what a reader sees for it.
LABELS = {
    "open": "Open procedure",
    "selective": "Selective procedure",
    "limited": "Limited procedure",
    "direct": "Direct award",
    "neg-w-call": "Negotiated procedure with a prior call for competition",
    # Taiwan publishes its procurementMethod in words: shown as they are.
    "公開招標": "公開招標",
    "公開取得報價單或企劃書": "公開取得報價單或企劃書",
    "選擇性招標(個案)": "選擇性招標(個案)",
    "限制性招標(經公開評選或公開徵求)": "限制性招標(經公開評選或公開徵求)",
    "限制性招標(未經公開評選或公開徵求)": "限制性招標(未經公開評選或公開徵求)",
}


@pytest.fixture
def all_real_notices(db):
    for folder in ("ukraine", "other", "real_more"):
        notices_ingest(connector="ocds", location=str(DATA / "ocds" / folder), source=f"ocds-{folder}")
    for folder in ("sdk_examples", "real_more"):
        notices_ingest(connector="eforms", location=str(DATA / "eforms" / folder), source="ted")


def test_every_procedure_value_of_the_real_data_reads_as_words(all_real_notices):
    values = set(Notice.objects.exclude(procedure_type="").values_list("procedure_type", flat=True))
    assert values == set(LABELS)
    assert {value: procedure_label(value) for value in values} == LABELS
    assert Notice.objects.filter(procedure_type="").count() == 110  # no procedure given: nothing shown


def test_labels_and_who_may_bid():
    assert procedure_label("neg-wo-call") == "Negotiated procedure without a prior call for competition"
    assert procedure_label(" Restricted ") == "Restricted procedure"  # as some publishers write it
    assert procedure_label("") == ""
    assert procedure_hint("open") == "Any company may submit a tender."
    assert procedure_hint("neg-wo-call") == "The buyer invites the suppliers of its choice: there is no open call."
    assert procedure_hint("公開招標") == ""


def test_eforms_codes_follow_the_ocds_for_eforms_mapping():
    """Every eForms code of the mapping has a label, and says who may bid after the OCDS method the mapping gives
    it (competitive tendering and the rail announcement excepted: the mapping's method does not say it)."""
    with open(DATA / "eforms" / "mapping" / "ocds_eforms_codelist_map_procurement-procedure-type.csv") as f:
        mapping = {row["eForms code"]: row["OCDS code"].strip("'") for row in csv.DictReader(f)}
    assert set(mapping) <= set(PROCEDURES)
    hints = {code: procedure_hint(code) for code in mapping}
    for code, method in mapping.items():
        if code in ("comp-tend", "exp-int-rail"):
            assert hints[code] == ""
        else:
            assert hints[code] == procedure_hint(method) != "", code


def test_notice_page_and_search_card_show_the_procedure_in_words(client):
    notices_ingest(connector="eforms", location=str(DATA / "eforms" / "sdk_examples" / "cn_25.xml"), source="ted")
    notice = Notice.objects.get(title="PV Servicing and Maintenance")
    assert notice.procedure_type == "neg-w-call"
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert (
        '<dd>Negotiated procedure with a prior call for competition<span class="hint">Any company may ask to take '
        "part; the buyer then invites the qualified ones to tender.</span></dd>"
    ) in page
    assert "neg-w-call" not in page
    # The lot's code in words too.
    assert '<span class="code-chip__code">50000000</span> <span class="code-chip__label">Repair and maintenance' in page
    card = client.get("/notices/?q=servicing").content.decode()
    assert "<dd>Negotiated procedure with a prior call for competition</dd>" in card
    assert "neg-w-call" not in card
