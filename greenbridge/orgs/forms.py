from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from greenbridge.core.bounds import QUERY_MAX
from greenbridge.core.forms import CpvCodesField, LanguagesField, ListField, NaceCodesField
from greenbridge.reference import green

from .models import Organisation
from .selectors import DirectoryFilters


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


class DirectorySearchForm(forms.Form):
    """The member directory's search: words of the name, a country, a green sector, a CPV code or its first digits."""

    q = forms.CharField(label=_("Name"), required=False, max_length=QUERY_MAX)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[])
    sector = forms.ChoiceField(label=_("Green sector"), required=False, choices=[])
    cpv = forms.CharField(
        label=_("CPV code"),
        required=False,
        max_length=12,
        help_text=_("A code or its first digits, e.g. 4523 for pipeline works."),
    )

    def __init__(self, *args, member_countries: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        named = sorted(((code, countries.name(code) or code) for code in member_countries), key=lambda c: c[1])
        self.fields["country"].choices = [("", _("any country")), *named]
        self.fields["sector"].choices = [("", _("any sector")), *green.choices(get_language())]

    def clean_cpv(self) -> str:
        text = self.cleaned_data["cpv"].strip()
        digits = "".join(c for c in text if c.isdigit())
        if text and (len(digits) < 2 or any(not (c.isdigit() or c in "- ") for c in text)):
            raise forms.ValidationError(_("Type a CPV code, or at least its first two digits (e.g. 45 or 45232150)."))
        return digits[:8]

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DirectoryFilters(
            q=data.get("q", ""), country=data.get("country", ""), sector=data.get("sector", ""), cpv=data.get("cpv", "")
        )


class InvitationForm(forms.Form):
    """A cluster manager invites a company by e-mail."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={"invalid": _("This is not an e-mail address: check it is written like name@company.md.")},
    )
    organisation_name = forms.CharField(
        label=_("Company"), required=False, max_length=255, help_text=_("Its name, if you know it.")
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words of your own, sent with the invitation."),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        required=False,
        choices=[],
        help_text=_("The language the company reads; left empty, the site's."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("the site's language")), *settings.LANGUAGES]


class InvitationAcceptForm(forms.Form):
    """The invitee brings an organisation they administer into the cluster, or registers a new one."""

    NEW = "new"
    organisation = forms.ChoiceField(label=_("Which organisation joins?"), widget=forms.RadioSelect, choices=[])
    name = forms.CharField(
        label=_("Name of the new organisation"),
        required=False,
        max_length=255,
        error_messages={"required": _("Give the name of the organisation that joins.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[(k, label) for k, label in Organisation.Kind.choices if k not in Organisation.VERIFIED_KINDS],
        initial=Organisation.Kind.SME,
    )
    country = LazyTypedChoiceField(
        label=_("Country"),
        required=False,
        choices=lambda: [("", "—"), *countries],  # named and sorted in the reader's language, when drawn
        error_messages={"required": _("Choose the country the organisation is in.")},
    )
    shares_private_data = forms.BooleanField(
        label=_("Share our private data with the cluster's advisors"),
        required=False,
        help_text=_(
            "Watches, inbox, bids and partnerships, so that they can help you with them. You can join without "
            "sharing; the cluster then sees your public profile and your people's contacts only."
        ),
    )

    def __init__(self, *args, organisations=(), invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(pk, o.name) for pk, o in self.organisations.items()] + [
            (self.NEW, _("A new organisation, registered now"))
        ]
        self.fields["organisation"].initial = next(iter(self.organisations), self.NEW)
        if not self.organisations:  # a newcomer: the new organisation's name and country are what is asked
            self.fields["name"].required = self.fields["country"].required = True
            self.fields["name"].label = _("Name of your organisation")
        if invitation is not None and not self.is_bound:
            self.fields["name"].initial = invitation.organisation_name

    def clean(self):
        data = super().clean()
        if data.get("organisation") == self.NEW:
            for name in ("name", "country"):
                if not str(data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data

    def chosen(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data["organisation"])

    def new_organisation(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"].strip(), "kind": data["kind"] or Organisation.Kind.SME, "country": data["country"]}
