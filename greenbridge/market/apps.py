import logging
import threading

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


_deleted = threading.local()


def _before_notice_delete(sender, instance, **kwargs) -> None:
    """A deleted notice leaves its market cell: the cell is made again from the facts left once the deletion is
    committed (once per transaction, for every cell touched)."""
    from django.db import transaction

    from .models import NoticeFact
    from .services import CELL_FIELDS, rebuild_cells

    cell = NoticeFact.objects.filter(notice_id=instance.pk).values_list(*CELL_FIELDS).first()
    if cell is None:
        return
    pending = getattr(_deleted, "groups", None)
    if pending is None:
        pending = _deleted.groups = set()

        def rebuild() -> None:
            cells, _deleted.groups = _deleted.groups, None
            rebuild_cells(cells)

        transaction.on_commit(rebuild)
    pending.add(cell)


class MarketConfig(AppConfig):
    name = "greenbridge.market"
    verbose_name = "Market intelligence"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from greenbridge.tenders.models import Notice
        from greenbridge.tenders.signals import ingest_finished

        ingest_finished.connect(_after_ingest, dispatch_uid="market-after-ingest")
        pre_delete.connect(_before_notice_delete, sender=Notice, dispatch_uid="market-notice-deleted")
