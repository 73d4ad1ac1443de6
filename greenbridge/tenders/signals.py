"""Signals of the E-watch, so that other apps react without the tenders app knowing them."""

from django.dispatch import Signal

# Sent after every ingestion run, with `run` (the IngestRun); matching runs the alerts on it.
ingest_finished = Signal()

# Sent while a notice's page is rendered, with `notice` and `request`: apps above answer with a section of HTML
# for the page's side (the help desk: "ask your cluster about this notice").
notice_page = Signal()
