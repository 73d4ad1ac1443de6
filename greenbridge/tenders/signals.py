"""Signals of the E-watch, so that other apps react without the tenders app knowing them."""

from django.dispatch import Signal

# Sent after every ingestion run, with `run` (the IngestRun); matching runs the alerts on it.
ingest_finished = Signal()
