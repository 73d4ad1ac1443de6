"""Forms of the service portfolio. Bounds are the models' (forms, API and models agree)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from greenbridge.core.bounds import MoneyFormField, validate_day
from greenbridge.core.forms import CountriesField, LanguagesField, clean_currency
from greenbridge.core.widgets import DateTimeInput
from greenbridge.orgs.models import Organisation
from greenbridge.reference import green

from .models import HOURS_MAX, SESSION_HOURS_MAX, Engagement, Service, Session
from .selectors import dimension_choices


class ServiceForm(forms.ModelForm):
    formats = forms.MultipleChoiceField(
        label=_("Format"), choices=Service.Format.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    price = MoneyFormField(label=_("Fee"), required=False)
    member_price = MoneyFormField(label=_("Member price"), required=False)
    size_classes = forms.MultipleChoiceField(
        label=_("Company sizes"),
        choices=Organisation.Size.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any size."),
    )
    countries = CountriesField(label=_("Countries"), required=False, help_text=_("Where the company is; empty: any."))
    sectors = forms.MultipleChoiceField(
        label=_("Green sectors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any sector."),
    )
    languages = LanguagesField(label=_("Languages"), required=False)
    # The model's bounds, said in words ("at most 999.9") rather than as digits of a column.
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=HOURS_MAX,
        decimal_places=1,
        help_text=Service._meta.get_field("hours").help_text,
    )
    dimensions = forms.MultipleChoiceField(
        label=_("Assessment dimensions it improves"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Companies weak in these dimensions are recommended this service."),
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "category",
            "summary",
            "description",
            "status",
            "formats",
            "hours",
            "languages",
            "expert",
            "delivered_by",
            "pricing",
            "price",
            "member_price",
            "currency",
            "members_only",
            "size_classes",
            "countries",
            "sectors",
            "dimensions",
            "capacity",
            "capacity_period",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, provider: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        language = (get_language() or "en").split("-")[0]
        self.fields["sectors"].choices = green.choices(language)
        self.fields["dimensions"].choices = dimension_choices(language)
        partners = Organisation.objects.trusted().exclude(pk=provider.pk).exclude(kind=Organisation.Kind.SME)
        self.fields["delivered_by"].queryset = partners.order_by("name")
        self.fields["delivered_by"].required = False

    def clean_currency(self):
        return clean_currency(self.cleaned_data["currency"])

    def clean(self):
        data = super().clean()
        pricing = data.get("pricing")
        if pricing == Service.Pricing.FEE and data.get("price") is None:
            self.add_error("price", _("Say the fee, or choose “Free”."))
        if pricing == Service.Pricing.MEMBER_PRICE and data.get("member_price") is None and data.get("price") is None:
            self.add_error("member_price", _("Say the member price (and the fee for others, if they may ask)."))
        if pricing == Service.Pricing.FREE:
            data["price"] = data["member_price"] = None
        return data


class FiltersForm(forms.Form):
    """The public portfolio's search and filters (a GET form: every field optional, bounded)."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False)
    provider = forms.ChoiceField(label=_("Offered by"), required=False)
    dimension = forms.ChoiceField(label=_("Improves"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    country = forms.ChoiceField(label=_("Open to companies in"), required=False)
    free = forms.BooleanField(label=_("Free only"), required=False)

    def __init__(self, *args, providers, languages: list[tuple[str, str]], countries: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", pgettext_lazy("filter", "Any"))]
        language = (get_language() or "en").split("-")[0]
        self.fields["category"].choices = any_ + list(Service.Category.choices)
        self.fields["provider"].choices = any_ + [(p.slug, p.name) for p in providers]
        self.fields["dimension"].choices = any_ + dimension_choices(language)
        self.fields["format"].choices = any_ + list(Service.Format.choices)
        self.fields["language"].choices = any_ + languages
        self.fields["country"].choices = any_ + countries


class RequestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("For"), queryset=Organisation.objects.none(), empty_label=None)
    message = forms.CharField(
        label=_("What you need"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines on your situation help the cluster prepare."),
    )
    preferred_dates = forms.CharField(
        label=_("Preferred dates"),
        required=False,
        max_length=200,
        help_text=Engagement._meta.get_field("preferred_dates").help_text,
    )
    assessment = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class AcceptForm(forms.Form):
    advisor = forms.ModelChoiceField(label=_("Advisor"), queryset=None, empty_label=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = people


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The company reads it: say what it could do instead."),
    )


class SessionForm(forms.ModelForm):
    starts = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput, validators=[validate_day])
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.25"), max_value=SESSION_HOURS_MAX, decimal_places=2
    )

    class Meta:
        model = Session
        fields = ["starts", "hours", "notes", "shared"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("starts", timezone.localtime().replace(minute=0, second=0, microsecond=0))
            self.initial.setdefault("hours", 1)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[
            (Engagement.Status.DELIVERED, Engagement.Status.DELIVERED.label),
            (Engagement.Status.CANCELLED, Engagement.Status.CANCELLED.label),
        ],
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What came of it: the company reads this."),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
