"""What other apps may add to an assessment's pages without assessments importing them (they sit above it).

- `results_page`: sent as the results page is built; each receiver returns a section of it, rendered (the
  portfolio: the support services for the weakest dimensions), or None.
- `plan_services`: sent when an action of an organisation's plan may name a support service; a receiver
  returns the queryset of the services it may name (the portfolio). No answer: the plan names none.
"""

from django.dispatch import Signal

results_page = Signal()  # sender: Assessment; kwargs: assessment, request, language, cohort, own (the reader's)
plan_services = Signal()  # sender: Organisation; kwargs: organisation
