from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from greenbridge.core.bounds import LIST_MAX, QUERY_MAX, DayFormField, MoneyFormField
from greenbridge.reference import green
from greenbridge.reference.cpv import normalise_cpv
from greenbridge.tenders.models import NoticeStatus, NoticeType
from greenbridge.tenders.selectors import NoticeFilters


class MultiCodeField(forms.CharField):
    """Codes given as repeated parameters or comma-separated ('?cpv=905&cpv=45232400')."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [part.strip() for v in values for part in str(v).split(",") if part.strip()]

    def validate(self, value):
        if len(value) > LIST_MAX:
            raise forms.ValidationError(
                _("At most %(max)s codes at once: a broader code covers more."), params={"max": LIST_MAX}
            )


class NoticeSearchForm(forms.Form):
    """The search page's filters. Everything lives in the URL (GET), so a search can be shared."""

    SORT_CHOICES = [
        ("", _("Best match / newest")),
        ("deadline", _("Deadline, soonest first")),
        ("-published", _("Newest first")),
        ("-value", _("Value, highest first")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=QUERY_MAX)
    exact = forms.BooleanField(
        label=_("These words only"),
        required=False,
        help_text=_("Do not also look for the words' translations and for the CPV codes whose labels have them."),
    )
    country = forms.MultipleChoiceField(label=_("Buyer country"), required=False, choices=list(countries))
    cpv = MultiCodeField(label=_("CPV codes"), required=False)
    sector = forms.MultipleChoiceField(label=_("Green sector"), required=False, choices=[])
    value_min = MoneyFormField(label=_("Value from"), required=False)
    value_max = MoneyFormField(label=_("Value to"), required=False)
    deadline_from = DayFormField(label=_("Deadline from"), required=False)
    deadline_to = DayFormField(label=_("Deadline to"), required=False)
    open = forms.BooleanField(label=_("Open for bids only"), required=False)
    type = forms.MultipleChoiceField(label=_("Notice type"), required=False, choices=NoticeType.choices)
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=[c for c in NoticeStatus.choices if c[0]]
    )
    source = MultiCodeField(label=_("Source"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = green.choices(get_language())

    def clean_cpv(self):
        codes = self.cleaned_data["cpv"]
        bad = [c for c in codes if normalise_cpv(c) is None]
        if bad:
            raise forms.ValidationError(
                _("Not a CPV code: %(codes)s. A CPV code has 8 digits, like 90400000 or 90400000-1."),
                params={"codes": ", ".join(bad)},
            )
        return [normalise_cpv(c) for c in codes]

    def clean(self):
        data = super().clean()
        lo, hi = data.get("value_min"), data.get("value_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("value_max", _("The upper value must not be below the lower value."))
        d1, d2 = data.get("deadline_from"), data.get("deadline_to")
        if d1 and d2 and d1 > d2:
            self.add_error("deadline_to", _("The end of the deadline window must not be before its start."))
        return data

    def filters(self) -> NoticeFilters:
        d = self.cleaned_data
        return NoticeFilters(
            q=d.get("q") or "",
            exact=bool(d.get("exact")),
            countries=d.get("country") or [],
            cpv=d.get("cpv") or [],
            sectors=d.get("sector") or [],
            value_min=d.get("value_min"),
            value_max=d.get("value_max"),
            deadline_from=d.get("deadline_from"),
            deadline_to=d.get("deadline_to"),
            open_only=bool(d.get("open")),
            notice_types=d.get("type") or [],
            statuses=d.get("status") or [],
            sources=d.get("source") or [],
            sort=d.get("sort") or "",
        )
