from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from greenbridge.core.forms import CpvCodesField, LanguagesField, ListField, NaceCodesField
from greenbridge.reference import green

from .models import Organisation


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    cpv_codes = CpvCodesField(
        label=_("CPV capability codes"),
        required=False,
        help_text=_("What you can supply, as CPV codes (search by word in the picker below)."),
    )
    nace_codes = NaceCodesField(label=_("NACE activity codes"), required=False)
    green_sectors = forms.MultipleChoiceField(
        label=_("Green sectors"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    languages = LanguagesField(label=_("Languages spoken"), required=False)
    certifications = ListField(
        label=_("Certifications"), required=False, max_items=30, help_text=_("One per line, e.g. ISO 14001.")
    )

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


class VerificationForm(forms.Form):
    """An operator's decision on an organisation awaiting verification."""

    VERIFY, REFUSE = "verify", "refuse"
    decision = forms.ChoiceField(choices=[(VERIFY, _("Verify")), (REFUSE, _("Refuse"))])
    note = forms.CharField(
        label=_("Note to the organisation"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("When you refuse: why, in a few words. It is sent to the organisation's people."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why you refuse, in a few words: the organisation's people will read it."))
        return data
