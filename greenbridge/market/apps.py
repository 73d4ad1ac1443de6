import logging

from django.apps import AppConfig

log = logging.getLogger(__name__)


def _after_ingest(sender, run, **kwargs) -> None:
    """The market figures follow each ingestion run: the facts of the notices it created or changed."""
    from .services import refresh_facts

    if run.created or run.updated:
        try:
            refresh_facts()
        except Exception:  # the notices are saved: the next refresh (`market refresh`) reads them
            log.exception("the market refresh after ingestion %s failed", run.pk)


class MarketConfig(AppConfig):
    name = "greenbridge.market"
    verbose_name = "Market intelligence"

    def ready(self) -> None:
        from greenbridge.tenders.signals import ingest_finished

        ingest_finished.connect(_after_ingest, dispatch_uid="market-after-ingest")
