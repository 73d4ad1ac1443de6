"""List fields: one field and two widgets for every list a form edits.

Lists are stored as JSON lists of strings (certifications, keywords, codes, countries, languages). Typed as
free text split on spaces and commas they were corrupted on every save ("ISO 14001" came back as "ISO, 14001").
Here a list goes to the page as a list and comes back as a list:

- `ListField` cleans a list: items trimmed, empty ones dropped, each kept once in the order given, each checked
  and normalised (`normalise_all`; the ones not recognised are named in one plain-word error), with bounds on
  how many items and how long each may be.
- `LinesInput`: free-text items (certifications, keywords), one per line: what a person typed stays as typed.
- `ChipsInput`: items from a vocabulary (codes, countries, languages), each shown as a ticked box with its name
  in the reader's language (untick it to remove it), and a way to add more: a list of names (countries,
  languages) or a code picker (CPV, NACE: the reference app's search by word in any language, with htmx; codes
  can also be typed). It works without JavaScript; greenbridge.js turns a choice into a new ticked box at once.

`CpvCodesField`, `NaceCodesField`, `CountriesField` and `LanguagesField` are the fields every form uses.
"""

import re
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core import validators
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenbridge.core.bounds import ID_MAX
from greenbridge.reference import regions
from greenbridge.reference.cpv import normalise_cpv
from greenbridge.reference.models import CpvCode, NaceCode
from greenbridge.reference.normalise import normalise_country, normalise_language

Options = list[tuple[str, list[tuple[str, str]]]]  # (group label or "", [(value, name)…])
_TYPED_CODES = re.compile(r"[\s,;]+")


class LinesInput(forms.Textarea):
    """A list as text, one item per line."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"rows": 4, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return super().format_value(value)


class ChipsInput(forms.Widget):
    """The chosen items as ticked boxes named after the field, plus a control that adds more.

    `labels(values)` -> {value: name in the reader's language}; `options()` -> the names to choose from, in
    groups (a <select> whose choice is sent under the field's own name); `picker` ("cpv" or "nace") -> a code
    search box and a text box for typed codes (sent as `<name>_typed`, split on spaces and commas: codes have
    neither). Both are asked when the page is drawn, so names follow the reader's language."""

    template_name = "core/widgets/chips.html"
    use_fieldset = True

    def __init__(
        self,
        *,
        labels: Callable[[list[str]], dict[str, str]],
        options: Callable[[], Options] | None = None,
        picker: str | None = None,
        add_label: str = "",
        show_values: bool = False,
        attrs: dict[str, Any] | None = None,
    ):
        super().__init__(attrs)
        self.labels, self.options, self.picker = labels, options, picker
        self.add_label, self.show_values = add_label, show_values

    def format_value(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value]

    def value_from_datadict(self, data, files, name: str) -> list[str]:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            values = []
        elif isinstance(values, str):
            values = [values]
        values = [str(v) for v in values if v]  # the "Choose…" of the list is sent empty
        if self.picker:
            typed = data.get(f"{name}_typed") or ""
            values = [part for v in [*values, typed] for part in _TYPED_CODES.split(_dashed(v)) if part]
        return values

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return False  # every box unticked is an empty list, not a missing field

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_add" if id_ else id_

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = self.format_value(value)
        names = self.labels(chosen) if chosen else {}
        context["widget"].update(
            chosen=[{"value": v, "label": names.get(v, "")} for v in chosen],
            options=self.options() if self.options else [],
            picker=self.picker,
            add_label=self.add_label,
            show_values=self.show_values,
        )
        return context


def _dashed(text: str) -> str:
    """'90513000 - 6' -> '90513000-6', so a check digit typed with spaces stays with its code."""
    return re.sub(r"\s*-\s*", "-", text)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, where an id beyond what a database integer holds is a choice that is not there, as it is for
    ModelChoiceField: SQLite's `IN (…)` raised OverflowError on it (a server error, not a form error)."""

    def _check_values(self, value):
        if self.to_field_name is None and isinstance(self.queryset.model._meta.pk, models.IntegerField):
            for pk in value:  # a list or tuple: clean() has checked
                try:
                    number = int(pk)
                except (TypeError, ValueError):
                    continue  # Django's own check says so
                if not -ID_MAX - 1 <= number <= ID_MAX:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)


class ListField(forms.Field):
    """A list of short texts. Subclasses recognise and normalise items (`normalise_all`)."""

    widget = LinesInput
    default_error_messages = {
        "invalid": _("Enter a list."),
        "unknown": _("Not recognised: %(items)s."),
        "too_many": _("At most %(max)s items: keep the ones that matter most."),
        "too_long": _("“%(item)s…” is too long: at most %(max)s characters an item."),
    }

    def __init__(self, *, max_items: int = 100, max_length: int = 200, **kwargs):
        self.max_items, self.max_length = max_items, max_length
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = value.splitlines()
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return [item for item in (str(v).strip() for v in value) if item]

    def prepare_value(self, value: Any) -> Any:
        return list(value) if isinstance(value, tuple) else value

    def normalise_all(self, items: list[str]) -> tuple[list[str], list[str]]:
        """(the items as stored, the items not recognised). Free text: everything, as typed."""
        return items, []

    def clean(self, value: Any) -> list[str]:
        items = self.to_python(value)
        self.validate(items)
        for item in items:
            validators.ProhibitNullCharactersValidator()(item)  # as Django's text fields: no database stores it
            if len(item) > self.max_length:
                raise forms.ValidationError(
                    self.error_messages["too_long"], code="too_long", params={"item": item[:40], "max": self.max_length}
                )
        accepted, unknown = self.normalise_all(items)
        if unknown:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"items": ", ".join(unknown)}
            )
        items = list(dict.fromkeys(accepted))
        if len(items) > self.max_items:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_items}
            )
        self.run_validators(items)
        return items

    def bound_data(self, data: Any, initial: Any) -> Any:
        """The list a form shows again after an error: each item once, the ones recognised as they are stored,
        so that a code typed that is already ticked (or typed with its check digit) is one box with its name,
        not two."""
        if self.disabled:
            return initial
        try:
            items = self.to_python(data)
        except forms.ValidationError:
            return data
        if len(items) > self.max_items:  # refused for their number: shown as sent, not each looked up
            return items
        accepted, unknown = self.normalise_all(items)
        if not unknown:  # all recognised, in their order: one lookup for all
            return list(dict.fromkeys(accepted))
        shown = []
        for item in items:  # at most max_items lookups, only when some were not recognised
            accepted, _unknown = self.normalise_all([item]) if len(item) <= self.max_length else ([], [item])
            shown.append(accepted[0] if accepted else item)
        return list(dict.fromkeys(shown))

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True


def _each(items: Iterable[str], normalise: Callable[[str], str | None]) -> tuple[list[str], list[str]]:
    accepted, unknown = [], []
    for item in items:
        if value := normalise(item):
            accepted.append(value)
        else:
            unknown.append(item)
    return accepted, unknown


# -- codes --------------------------------------------------------------------------------------------------


def _code_labels(model) -> Callable[[list[str]], dict[str, str]]:
    def labels(codes: list[str]) -> dict[str, str]:
        return {c.code: c.label() for c in model.objects.filter(code__in=codes)}

    return labels


class CpvCodesField(ListField):
    default_error_messages = {"unknown": _("Not CPV codes: %(items)s. A CPV code has 8 digits, like 90400000.")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            ChipsInput(
                labels=_code_labels(CpvCode), picker="cpv", add_label=_("Find a CPV code to add"), show_values=True
            ),
        )
        super().__init__(max_length=20, **kwargs)

    def normalise_all(self, items: list[str]) -> tuple[list[str], list[str]]:
        codes = [normalise_cpv(item) or item for item in items]
        known = set(CpvCode.objects.filter(code__in=codes).values_list("code", flat=True))
        return _each(codes, lambda code: code if code in known else None)


class NaceCodesField(ListField):
    default_error_messages = {"unknown": _("Not NACE Rev. 2 codes: %(items)s. Examples: 36.00, E, 38.32.")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            ChipsInput(
                labels=_code_labels(NaceCode),
                picker="nace",
                add_label=_("Find a NACE activity to add"),
                show_values=True,
            ),
        )
        super().__init__(max_length=20, **kwargs)

    def normalise_all(self, items: list[str]) -> tuple[list[str], list[str]]:
        codes = [item.upper() for item in items]
        known = set(NaceCode.objects.filter(code__in=codes).values_list("code", flat=True))
        return _each(codes, lambda code: code if code in known else None)


# -- countries and languages --------------------------------------------------------------------------------


def _country_labels(values: list[str]) -> dict[str, str]:
    from greenbridge.core.templatetags.greenbridge import country_name

    return {v: regions.region_label(v) if v in regions.REGIONS else country_name(v) or v for v in values}


def _country_options(with_regions: bool) -> Callable[[], Options]:
    def options() -> Options:
        from django_countries import countries  # in the reader's language, sorted by name

        names = [(str(code), str(name)) for code, name in countries]
        if not with_regions:
            return [("", names)]
        return [(str(_("Regions")), regions.choices()), (str(_("Countries")), names)]

    return options


class CountriesField(ListField):
    """ISO 3166 alpha-2 codes (names in any language and alpha-3 codes are recognised); with `regions`, also
    the region codes of `reference.regions` (EU, EAP…)."""

    default_error_messages = {"unknown": _("Not countries: %(items)s. Choose them from the list.")}

    def __init__(self, *, regions: bool = False, **kwargs):
        self.regions = regions
        add_label = _("Add a country or region") if regions else _("Add a country")
        kwargs.setdefault(
            "widget", ChipsInput(labels=_country_labels, options=_country_options(regions), add_label=add_label)
        )
        super().__init__(max_length=80, **kwargs)

    def _normalise(self, item: str) -> str:
        if self.regions and item.upper() in regions.REGIONS:
            return item.upper()
        return normalise_country(item)

    def normalise_all(self, items: list[str]) -> tuple[list[str], list[str]]:
        return _each(items, self._normalise)


def _language_labels(values: list[str]) -> dict[str, str]:
    from greenbridge.core.templatetags.greenbridge import language_name

    return {v: language_name(v) for v in values}


def _language_options() -> Options:
    import pycountry

    from greenbridge.core.templatetags.greenbridge import language_name, sort_key

    codes = [lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    names = sorted(((code, language_name(code)) for code in codes), key=lambda pair: sort_key(pair[1]))
    return [("", names)]


class LanguagesField(ListField):
    """ISO 639-1 codes ("ro"); names and three-letter codes are recognised too."""

    default_error_messages = {"unknown": _("Unknown languages: %(items)s. Choose them from the list.")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", ChipsInput(labels=_language_labels, options=_language_options, add_label=_("Add a language"))
        )
        super().__init__(max_length=40, **kwargs)

    def normalise_all(self, items: list[str]) -> tuple[list[str], list[str]]:
        return _each(items, normalise_language)


def clean_currency(value: str) -> str:
    """A currency code as typed ("eur ") -> "EUR"; anything but three letters is refused."""
    value = (value or "").strip().upper()
    if len(value) != 3 or not value.isalpha():
        raise forms.ValidationError(_("A currency is three letters, like EUR, MDL or UAH."))
    return value


def form_problems(form) -> str:
    """A form's errors in one line, for a message on the page a POST goes back to: "Action: Ensure this value has
    at most 200 characters."."""
    from django.utils.translation import gettext

    return "; ".join(
        gettext("%(field)s: %(problem)s") % {"field": form.fields[name].label, "problem": " ".join(errors)}
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )
