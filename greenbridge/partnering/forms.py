from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from greenbridge.core.forms import (
    CountriesField,
    CpvCodesField,
    ModelMultipleChoiceField,
    NaceCodesField,
    clean_currency,
)
from greenbridge.core.uploads import too_large
from greenbridge.core.widgets import DateInput
from greenbridge.orgs.models import Organisation
from greenbridge.reference import green

from .models import Interest, Opportunity, Partnership, PartnershipKind

EVIDENCE_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "docx", "odt", "xlsx", "ods"]
# The first bytes each kind of document starts with: a file named .pdf that is not a PDF is refused.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    **dict.fromkeys(("docx", "odt", "xlsx", "ods"), (b"PK\x03\x04",)),  # zip containers
}


class OrganisationChoiceForm(forms.Form):
    """The organisation a person acts for, when they belong to several."""

    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        self.only = organisations[0] if len(organisations) == 1 else None
        if self.only:  # nothing to choose
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].required = False

    def clean_organisation(self):
        return self.cleaned_data.get("organisation") or self.only


class OpportunityForm(OrganisationChoiceForm, forms.ModelForm):
    cpv_codes = CpvCodesField(
        label=_("CPV codes"), required=False, help_text=_("What is offered or needed, as CPV codes (use the picker).")
    )
    nace_codes = NaceCodesField(label=_("NACE activity codes"), required=False)
    green_sectors = forms.MultipleChoiceField(
        label=_("Green sectors"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    countries = CountriesField(label=_("Countries"), required=False, help_text=_("None: anywhere."))
    cooperation = forms.MultipleChoiceField(
        label=_("Cooperation sought"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=PartnershipKind.choices,
    )

    class Meta:
        model = Opportunity
        fields = list(Opportunity.EDITABLE)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "expires": DateInput,
            "planned_for": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["green_sectors"].choices = green.choices(get_language())
        if not self.instance.pk:
            self.fields["expires"].initial = timezone.localdate() + timedelta(days=365)
        else:
            self.fields["organisation"].disabled = True

    def clean_currency(self):
        return clean_currency(self.cleaned_data["currency"])

    def clean_expires(self):
        expires = self.cleaned_data["expires"]
        today = timezone.localdate()
        if expires < today and not self.instance.pk:
            raise forms.ValidationError(_("The date has passed: choose a day from today on."))
        if expires > today + timedelta(days=3 * 365):
            raise forms.ValidationError(_("At most three years ahead: renew it later if it is still open."))
        return expires


class InterestForm(OrganisationChoiceForm, forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"message": _("Who you are and why you are interested: the owner decides from this.")}


class _Kept:
    """The document already attached, shown by its name with a link to the view that serves it."""

    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name.rsplit("/", 1)[-1]


class EvidenceInput(forms.ClearableFileInput):
    """Private files have no public URL: the link goes to the permission-checked download instead."""

    download_url = ""

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", None) and not hasattr(value, "content_type"))

    def format_value(self, value):
        return _Kept(value.name, self.download_url) if self.is_initial(value) else None


class PartnershipForm(forms.ModelForm):
    organisations = ModelMultipleChoiceField(
        label=_("Partners on GreenBridge"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations you met at events, exchanged interest with, or share a cluster with."),
    )

    class Meta:
        model = Partnership
        fields = [
            "kind",
            "title",
            "description",
            "organisations",
            "other_partners",
            "date",
            "stage",
            "value",
            "currency",
            "evidence",
        ]
        widgets = {"date": DateInput, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, partners, **kwargs):
        """`partners`: organisations that may be named (the recording organisation is always one)."""
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = partners
        self.fields["evidence"].validators.append(FileExtensionValidator(EVIDENCE_EXTENSIONS))
        self.fields["evidence"].widget = widget = EvidenceInput()
        if self.instance.pk:
            widget.download_url = reverse("partnering:partnership_evidence", args=[self.instance.pk])

    def clean_currency(self):
        return clean_currency(self.cleaned_data["currency"])

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload or not hasattr(upload, "content_type"):  # nothing new uploaded
            return upload
        if too_large(upload.size):
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: send a smaller scan or a PDF."),
                params={"mb": settings.MAX_UPLOAD_MB},
            )
        extension = upload.name.rsplit(".", 1)[-1].lower()
        head = upload.read(16)
        upload.seek(0)
        if not head.startswith(_SIGNATURES.get(extension, (b"",))):
            raise forms.ValidationError(
                _("This file is not the %(kind)s its name says: it may be damaged. Save it again and retry."),
                params={"kind": extension.upper()},
            )
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("organisations") and not (data.get("other_partners") or "").strip():
            self.add_error("other_partners", _("Name at least one partner: on GreenBridge or not."))
        return data
