"""Writes to the E-watch. Views, the admin, tasks and commands all call these."""

from collections.abc import Callable

from django.db import transaction

from greenbridge.tenders.ingest.connectors import EformsConnector, OcdsConnector
from greenbridge.tenders.ingest.pipeline import Connector, classify_notice, run
from greenbridge.tenders.models import IngestRun, Notice, NoticeSector

CONNECTORS: dict[str, type[Connector]] = {"ocds": OcdsConnector, "eforms": EformsConnector}
DEFAULT_SOURCE = {"ocds": "ocds", "eforms": "ted"}


def notices_ingest(
    *,
    connector: str,
    location: str,
    source: str | None = None,
    pages: int = 1,
    progress: Callable[[int], None] | None = None,
) -> IngestRun:
    """Ingest the notices at `location` (a path or an http(s) URL) with the named connector.
    `pages`: for an OCDS API URL, how many pages to read by following its `links.next`."""
    if connector not in CONNECTORS:
        raise ValueError(f"unknown connector {connector!r}; use one of {', '.join(CONNECTORS)}")
    instance = OcdsConnector(pages=pages) if connector == "ocds" else CONNECTORS[connector]()
    return run(instance, location, source=source or DEFAULT_SOURCE[connector], progress=progress)


@transaction.atomic
def notices_reclassify(*, notice_ids: list[int]) -> int:
    """Recompute the green sectors of these notices (after the taxonomy changed). Returns how many
    notices' sectors changed."""
    changed = 0
    for notice in Notice.objects.filter(pk__in=notice_ids).defer("raw"):
        sectors = classify_notice(notice)
        if sectors != notice.green_sectors:
            notice.green_sectors = sectors
            notice.save(update_fields=["green_sectors", "updated"])
            NoticeSector.objects.filter(notice=notice).delete()
            NoticeSector.objects.bulk_create(NoticeSector(notice=notice, sector=s) for s in sectors)
            changed += 1
    return changed
