"""The code lists' data migrations."""

import importlib

import pytest
from django.apps import apps

from greenbridge.reference.models import CpvCode, NaceCode

romanian_letters = importlib.import_module("greenbridge.reference.migrations.0004_romanian_letters")


@pytest.mark.django_db
def test_labels_written_with_a_cedilla_get_the_romanian_letters_and_the_others_stay():
    """An installation loaded before the lists were mended has ş and ţ in its Romanian labels: the migration writes
    those labels again with ș and ț, and leaves every other label (and every other language) as it is."""
    cpv = CpvCode.objects.get(code="45232400")
    nace = NaceCode.objects.get(code="36.00")
    kept = CpvCode.objects.get(code="09331200")
    cpv.labels = {**cpv.labels, "ro": "Lucrări de construcţii de canale de scurgere", "tr": "Kanalizasyon şebekesi"}
    nace.labels = {**nace.labels, "ro": "CAPTAREA, TRATAREA ŞI DISTRIBUŢIA APEI"}
    cpv.save()
    nace.save()

    romanian_letters.mend(apps, None)

    cpv.refresh_from_db()
    nace.refresh_from_db()
    assert cpv.labels["ro"] == "Lucrări de construcții de canale de scurgere"
    assert cpv.labels["tr"] == "Kanalizasyon şebekesi"  # Turkish keeps its cedilla
    assert nace.labels["ro"] == "CAPTAREA, TRATAREA ȘI DISTRIBUȚIA APEI"
    assert CpvCode.objects.get(code="09331200").labels == kept.labels


@pytest.mark.django_db
def test_a_database_loaded_with_the_mended_lists_has_nothing_to_mend(django_assert_num_queries):
    """A new database (0002 loaded the lists as they ship) has no cedilla letter left: one query a list, no write."""
    with django_assert_num_queries(2):
        romanian_letters.mend(apps, None)
