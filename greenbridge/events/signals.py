"""What other apps may add to the events' pages without events importing them (they sit above events).

`participant_page` is sent when a participant's "who to meet" page is built; each receiver returns a dict
merged into the page's context (core.signals.page_context; partnering adds the opportunities worth a look at
the event)."""

from django.dispatch import Signal

participant_page = Signal()  # sender: Event; kwargs: registration (the participant's, or None)
