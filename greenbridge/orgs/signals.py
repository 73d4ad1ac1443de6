"""What other apps add to an organisation's pages without orgs importing them (they all sit above it).

- `timeline`: sent as an organisation's page is built for a signed-in person. Each receiver returns the entries
  (`TimelineEntry`) of its records about the organisation that this person may see by its own rules, newest first
  and at most `limit`: the help desk its tickets, the portfolio its engagements, assessments its assessments. The
  page merges them into one timeline (core.signals.page_entries).
"""

from dataclasses import dataclass
from datetime import datetime

from django.dispatch import Signal

timeline = Signal()  # sender: Organisation; kwargs: organisation, user, limit


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # what it is, in words: "Question", "Support service", "Self-assessment"
    title: str
    url: str
    status: str  # its state, in words
    detail: str = ""  # who or what else, in words (the queue, the provider, the score)
