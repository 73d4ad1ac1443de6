import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


def _after_ingest(sender, run, **kwargs) -> None:
    """The market figures follow each ingestion run: the facts of the notices it created or changed."""
    from .tasks import refresh_after_ingest

    if run.created or run.updated:
        try:
            refresh_after_ingest()
        except Exception:  # the notices are saved: the next refresh (`market refresh`) reads them
            log.exception("the market refresh after ingestion %s failed", run.pk)


def _before_notice_delete(sender, instance, **kwargs) -> None:
    """A deleted notice leaves its market cell and its buyer's and winners' totals: they are made again from the
    facts left once the deletion is committed (not at all if it is rolled back)."""
    from django.db import transaction

    from .models import AwardFact, NoticeFact
    from .services import CELL_FIELDS, PARTY_GROUP, rebuild_cells, rebuild_parties

    fact = NoticeFact.objects.filter(notice_id=instance.pk).values_list(*CELL_FIELDS, "buyer_key").first()
    if fact is None:
        return
    *cell, buyer = fact
    winners = set(AwardFact.objects.filter(notice_id=instance.pk).values_list(*PARTY_GROUP, "winner_key"))

    def rebuild() -> None:
        rebuild_cells([tuple(cell)])
        rebuild_parties(({(*cell[:3], buyer)}, winners))

    transaction.on_commit(rebuild)


class MarketConfig(AppConfig):
    name = "greenbridge.market"
    verbose_name = _("Market intelligence")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from greenbridge.tenders.models import Notice
        from greenbridge.tenders.signals import ingest_finished

        ingest_finished.connect(_after_ingest, dispatch_uid="market-after-ingest")
        pre_delete.connect(_before_notice_delete, sender=Notice, dispatch_uid="market-notice-deleted")
