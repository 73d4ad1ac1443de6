from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from greenbridge.core.bounds import DAY_MAX, DAY_MIN
from greenbridge.reference import green
from greenbridge.tenders.forms import MultiCodeField
from greenbridge.tenders.models import NoticeType

from .models import RankingWeights
from .selectors import Slice, make_slice


class MarketForm(forms.Form):
    """A market's filters (in the URL, so that a market can be shared); `make_slice` checks them, as it does for
    the API and `market stats`."""

    country = forms.MultipleChoiceField(label=_("Buyer country"), required=False, choices=list(countries))
    sector = forms.MultipleChoiceField(label=_("Green sector"), required=False, choices=[])
    cpv = MultiCodeField(label=_("CPV codes (or their first digits)"), required=False)
    year_from = forms.IntegerField(label=_("From"), required=False, min_value=DAY_MIN.year, max_value=DAY_MAX.year)
    year_to = forms.IntegerField(label=_("To"), required=False, min_value=DAY_MIN.year, max_value=DAY_MAX.year)
    kind = forms.MultipleChoiceField(label=_("Notice type"), required=False, choices=NoticeType.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = green.choices(get_language())

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                data["slice"] = make_slice(
                    countries=data.get("country") or [],
                    sectors=data.get("sector") or [],
                    cpv=data.get("cpv") or [],
                    year_from=data.get("year_from"),
                    year_to=data.get("year_to"),
                    kinds=data.get("kind") or [],
                )
            except ValueError as e:
                raise forms.ValidationError(str(e)) from None
        return data

    def market(self) -> Slice:
        """The slice asked for; everything when the filters do not read (the page says why)."""
        return (self.cleaned_data.get("slice") or Slice()) if self.is_valid() else Slice()


class RankingWeightsForm(forms.ModelForm):
    """How much each factor of the target-market ranking counts, 0 to 100 (the model's bounds)."""

    class Meta:
        model = RankingWeights
        fields = RankingWeights.FACTORS
        widgets = {f: forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}) for f in RankingWeights.FACTORS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RankingWeights.FACTORS:
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(f) for f in RankingWeights.FACTORS):
            raise forms.ValidationError(_("Give at least one factor a weight above 0."))
        return data
