from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from greenbridge.core.bounds import MoneyFormField
from greenbridge.core.forms import CountriesField, CpvCodesField, ListField
from greenbridge.orgs.models import Organisation
from greenbridge.reference import green

from .engine import DEFAULT_MIN_SCORE, MAX_CODES, MAX_KEYWORDS, MIN_SCORE_FLOOR, NOTICE_TYPES, WatchInvalid, WatchSpec
from .models import Subscription, Watch
from .selectors import profile_watch_data


class WatchForm(forms.Form):
    name = forms.CharField(label=_("Name of the watch"), max_length=Watch._meta.get_field("name").max_length)
    cpv_codes = CpvCodesField(
        label=_("CPV codes"),
        max_items=MAX_CODES,
        required=False,
        help_text=_("A code covers everything under it: 45232000 finds pipelines of every kind."),
    )
    keywords = ListField(
        label=_("Keywords and phrases"),
        required=False,
        max_items=MAX_KEYWORDS,
        help_text=_("One per line, in any language. Any of them matches; words of 4+ letters also match longer forms."),
    )
    exclude_keywords = ListField(
        label=_("Leave out notices that mention"), required=False, max_items=MAX_KEYWORDS, help_text=_("One per line.")
    )
    countries = CountriesField(
        regions=True,
        label=_("Countries or regions"),
        required=False,
        help_text=_("Countries, or regions such as the EU or the Eastern Partnership. None: anywhere."),
    )
    green_sectors = forms.MultipleChoiceField(
        label=_("Green sectors"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    value_min = MoneyFormField(label=_("Minimum value (EUR)"), required=False)
    value_max = MoneyFormField(label=_("Maximum value (EUR)"), required=False)
    notice_types = forms.MultipleChoiceField(
        label=_("Notice types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("planning", _("Planning")), ("competition", _("Competition")), ("award", _("Award"))],
        help_text=_("None ticked: all types."),
    )
    min_score = forms.FloatField(
        label=_("Minimum score"),
        initial=DEFAULT_MIN_SCORE,
        min_value=MIN_SCORE_FLOOR,
        max_value=1,
        help_text=_("From 0.05 to 1: lower finds more, higher only the closest notices."),
    )
    frequency = forms.ChoiceField(label=_("E-mail me"), choices=Subscription.Frequency.choices, initial="daily")
    webhook_url = forms.URLField(
        label=_("Webhook URL"),
        required=False,
        max_length=Watch._meta.get_field("webhook_url").max_length,
        assume_scheme="https",
        help_text=_("Optional: new matches are POSTed here as signed JSON."),
    )
    forward_to = forms.TypedMultipleChoiceField(
        label=_("Forward new matches to these members"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A cluster watch: each new notice it finds goes to the inbox and e-mail of the members ticked."),
    )

    def __init__(self, *args, members: list[Organisation] | None = None, **kwargs):
        """`members`: the cluster's member organisations, for a cluster watch (else no forward_to field)."""
        super().__init__(*args, **kwargs)
        self.fields["green_sectors"].choices = green.choices(get_language())
        if members:
            self.fields["forward_to"].choices = [(m.pk, m.name) for m in members]
        else:
            del self.fields["forward_to"]
        self.spec: WatchSpec | None = None

    def clean(self):
        data = super().clean()
        fields = {k: data.get(k) for k in WatchSpec.FIELDS if k in self.fields}
        try:
            self.spec = WatchSpec.from_data(fields)
        except WatchInvalid as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data


def watch_initial(watch: Watch, subscription: Subscription | None) -> dict:
    initial = {"name": watch.name, **watch.spec_data(), "webhook_url": watch.webhook_url}
    initial["forward_to"] = [m.pk for m in watch.forward_to.all()]
    initial["frequency"] = subscription.frequency if subscription else Subscription.Frequency.OFF
    return initial


def suggested_watch(org: Organisation) -> dict:
    """A first watch from an organisation's profile: its CPV codes, CPV codes of its NACE activities,
    its green sectors. The user edits it before saving."""
    types = [t for t in NOTICE_TYPES if t != "award"]
    return {
        "name": str(_("Tenders for %(name)s") % {"name": org.name}),
        **profile_watch_data(org),
        "notice_types": types,
        "min_score": DEFAULT_MIN_SCORE,
        "frequency": Subscription.Frequency.DAILY,
    }
