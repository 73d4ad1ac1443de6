"""Date and time inputs show their value in every language: the browser's picker reads only the ISO form."""

import importlib
import pkgutil
from datetime import date, datetime

import pytest
from django import forms
from django.utils import translation

import greenbridge
from greenbridge.core.bounds import DayFormField
from greenbridge.core.widgets import DateInput, DateTimeInput

PICKERS = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M"}


@pytest.mark.parametrize("language", ["en", "ro", "uk", "fr"])
def test_a_date_is_written_as_the_picker_reads_it_in_every_language(language):
    class Form(forms.Form):
        day = DayFormField(initial=date(2027, 10, 2))
        at = forms.DateTimeField(widget=DateTimeInput, initial=datetime(2027, 10, 2, 9, 30))

    with translation.override(language):
        html = str(Form())
        bound = Form({"day": "2027-10-03", "at": "2027-10-03T10:15"})
        assert bound.is_valid(), bound.errors
    assert 'type="date"' in html
    assert 'value="2027-10-02"' in html
    assert 'type="datetime-local"' in html
    assert 'value="2027-10-02T09:30"' in html
    assert bound.cleaned_data["day"] == date(2027, 10, 3)


def _forms():
    for module in pkgutil.walk_packages(greenbridge.__path__, "greenbridge."):
        if module.name.rsplit(".", 1)[-1] == "forms" or ".forms." in module.name:
            loaded = importlib.import_module(module.name)
            for value in vars(loaded).values():
                own = isinstance(value, type) and value.__module__ == loaded.__name__
                if own and issubclass(value, forms.BaseForm):
                    yield value


def test_every_date_picker_of_the_project_writes_the_iso_form():
    """A widget drawn as a browser picker with Django's default (the language's) format shows up empty in ro, uk
    and fr: an opportunity's "open until", a partnership's date, an assessment's day were lost so."""
    found, wrong = 0, []
    for form_class in _forms():
        for name, field in form_class.base_fields.items():
            picker = field.widget.attrs.get("type") or getattr(field.widget, "input_type", None)
            if picker in PICKERS:
                found += 1
                if getattr(field.widget, "format", None) != PICKERS[picker]:
                    wrong.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert found >= 8
    assert not wrong, f"use greenbridge.core.widgets: {wrong}"
    assert isinstance(DayFormField().widget, DateInput)
