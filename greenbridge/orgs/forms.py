from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from greenbridge.reference import green
from greenbridge.reference.cpv import normalise_cpv
from greenbridge.reference.models import CpvCode, NaceCode

from .models import Organisation


class CodeListField(forms.CharField):
    """Codes typed or picked, separated by commas, spaces or new lines."""

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = ",".join(value)
        return [c for c in (value or "").replace("\n", ",").replace(" ", ",").split(",") if c.strip()]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


def known_cpv_codes(codes: list[str]) -> list[str]:
    """Typed CPV codes, normalised and checked against the code list (a clear error names the unknown ones)."""
    codes = [normalise_cpv(c) or c for c in codes]
    known = set(CpvCode.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown := [c for c in codes if c not in known]:
        raise forms.ValidationError(
            _("Not CPV codes: %(codes)s. A CPV code has 8 digits, like 90400000."),
            params={"codes": ", ".join(unknown)},
        )
    return list(dict.fromkeys(codes))


def known_nace_codes(codes: list[str]) -> list[str]:
    codes = [c.strip().upper() for c in codes]
    known = set(NaceCode.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown := [c for c in codes if c not in known]:
        raise forms.ValidationError(
            _("Not NACE Rev. 2 codes: %(codes)s. Examples: 36.00, E, 38.32."),
            params={"codes": ", ".join(unknown)},
        )
    return list(dict.fromkeys(codes))


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    cpv_codes = CodeListField(
        label=_("CPV capability codes"),
        required=False,
        help_text=_("What you can supply, as CPV codes (search by word in the picker below)."),
    )
    nace_codes = CodeListField(label=_("NACE activity codes"), required=False)
    green_sectors = forms.MultipleChoiceField(
        label=_("Green sectors"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    languages = CodeListField(label=_("Languages spoken"), required=False, help_text=_("e.g. en, ro, uk"))
    certifications = CodeListField(label=_("Certifications"), required=False, help_text=_("e.g. ISO 14001, EMAS"))

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "country",
            "city",
            "website",
            "description",
            "size_class",
            "cpv_codes",
            "nace_codes",
            "green_sectors",
            "languages",
            "certifications",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["green_sectors"].choices = green.choices(get_language())

    def clean_cpv_codes(self):
        return known_cpv_codes(self.cleaned_data["cpv_codes"])

    def clean_nace_codes(self):
        return known_nace_codes(self.cleaned_data["nace_codes"])

    def clean_languages(self):
        from greenbridge.reference.normalise import normalise_language

        langs = self.cleaned_data["languages"]
        bad = [lang for lang in langs if not normalise_language(lang)]
        if bad:
            raise forms.ValidationError(
                _("Unknown languages: %(l)s. Use codes like en, ro, uk."), params={"l": ", ".join(bad)}
            )
        return list(dict.fromkeys(normalise_language(lang) for lang in langs))
