"""The browser's own date and time pickers.

An `<input type="date">` reads its value only as 2026-12-06 (and `datetime-local` as 2026-12-06T09:30), whatever the
page's language; Django writes a date in the active language's style (06.12.2026 in Romanian, 06/12/2026 in French),
which such an input shows as empty. These widgets always write the ISO form; Django's date fields read it in every
language."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
