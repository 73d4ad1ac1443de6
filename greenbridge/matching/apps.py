import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


def _after_ingest(sender, run, **kwargs) -> None:
    from .tasks import alerts_task

    if run.created or run.updated:
        try:
            alerts_task.delay()
        except Exception:  # the notices are saved: the next alert run (cron or task) matches them
            log.exception("the alert run after ingestion %s failed", run.pk)


class MatchingConfig(AppConfig):
    name = "greenbridge.matching"
    verbose_name = _("Matching and alerts")

    def ready(self) -> None:
        from greenbridge.tenders.signals import ingest_finished

        ingest_finished.connect(_after_ingest, dispatch_uid="matching-after-ingest")
