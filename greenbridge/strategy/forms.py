from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greenbridge.core.bounds import DayFormField
from greenbridge.core.templatetags.greenbridge import short_date
from greenbridge.orgs.models import Organisation
from greenbridge.partnering.models import Partnership

from .models import Activity, BudgetLine, Communication, Kpi, Partner, Strategy, SwotItem
from .sections import TEXTS, roadmap_window


class StrategyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Written by"), queryset=Organisation.objects.none())
    partnership = forms.ModelChoiceField(
        label=_("For the partnership"), queryset=Partnership.objects.none(), required=False,
        help_text=_("Its organisations become editors of the strategy."),
    )  # fmt: skip

    def __init__(self, *args, owners, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["partnership"].queryset = partnerships


def text_form(group: str):
    """The form of a text section (TEXTS[group]: its fields)."""
    return forms.modelform_factory(
        Strategy, fields=TEXTS[group], widgets={f: forms.Textarea(attrs={"rows": 5}) for f in TEXTS[group]}
    )


class SwotForm(forms.ModelForm):
    evidence = forms.ChoiceField(label=pgettext_lazy("SWOT item", "Evidence"), required=False)

    class Meta:
        model = SwotItem
        fields = ["quadrant", "text"]

    def __init__(self, *args, evidence: list[tuple[str, str, str]] = (), **kwargs):
        """`evidence`: (key, label, link) of what the item may cite."""
        super().__init__(*args, **kwargs)
        self.evidence = {key: (label, link) for key, label, link in evidence}
        self.fields["evidence"].choices = [("", _("None")), *[(k, label) for k, label, _link in evidence]]

    def save(self, commit=True):
        item = super().save(commit=False)
        item.evidence_label, item.evidence_url = self.evidence.get(self.cleaned_data.get("evidence") or "", ("", ""))
        if commit:
            item.save()
        return item


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["organisation", "name", "country", "side", "role"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("name"):
            raise forms.ValidationError(_("Choose an organisation on GreenBridge or write the partner's name."))
        return data


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "title", "starts", "ends", "owner", "budget", "status", "event"]
        field_classes = {"starts": DayFormField, "ends": DayFormField}

    def __init__(self, *args, organisations=None, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations if organisations is not None else Organisation.objects.none()
        if events is not None:
            self.fields["event"].queryset = events

    def clean(self):
        data = super().clean()
        first, last = roadmap_window()
        for name in ("starts", "ends"):  # a date kept as it was stays, even once the years have moved past it
            if data.get(name) and name in self.changed_data and not first <= data[name] <= last:
                message = _("Give a date from %(first)s to %(last)s: the years a roadmap plans.")
                self.add_error(name, message % {"first": short_date(first), "last": short_date(last)})
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("The end must not be before the start."))
        return data


class BudgetForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["label", "amount", "source"]


class CommunicationForm(forms.ModelForm):
    class Meta:
        model = Communication
        fields = ["audience", "channels", "message", "timing"]


class KpiForm(forms.ModelForm):
    class Meta:
        model = Kpi
        fields = ["indicator", "target", "by"]


ITEM_FORMS = {
    "swot": SwotForm,
    "partners": PartnerForm,
    "roadmap": ActivityForm,
    "finance": BudgetForm,
    "communication": CommunicationForm,
    "kpis": KpiForm,
}


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
