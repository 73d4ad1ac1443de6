"""A questionnaire's texts in the reader's language, for templates."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import get_language

register = template.Library()


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@register.filter
def questionnaire_title(questionnaire) -> str:
    return questionnaire.spec.text(questionnaire.title, _language())


@register.filter
def band_label(assessment) -> str:
    """The label of an assessment's band ("Moderately advanced"), in the reader's language."""
    spec = assessment.questionnaire.spec
    band = next((b for b in spec.bands if b.id == assessment.band), None)
    return spec.text(band.label, _language()) if band else assessment.band


@register.filter
def change(value) -> str:
    """A change of score, whole, with its sign: "+10", "−5" (a minus sign, not a hyphen), "0"; "" for none."""
    if value is None:
        return ""
    points = int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))  # as floatformat:0 rounds the scores
    return f"+{points}" if points > 0 else f"\u2212{-points}" if points < 0 else "0"
