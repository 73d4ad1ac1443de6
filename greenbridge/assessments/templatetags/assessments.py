"""A questionnaire's texts in the reader's language, for templates."""

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
