"""Writes to the E-watch. Views, the admin, tasks and commands all call these."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

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
    processes: int | None = 1,
) -> IngestRun:
    """Ingest the notices at `location` (a path or an http(s) URL) with the named connector.
    `pages`: for an OCDS API URL, how many pages to read by following its `links.next`.
    `processes`: how many processes share the work of a local OCDS input (None: settings.BATCH_PROCESSES for
    a large one; see ingest/shards.py)."""
    if connector not in CONNECTORS:
        raise ValueError(f"unknown connector {connector!r}; use one of {', '.join(CONNECTORS)}")
    instance = OcdsConnector(pages=pages) if connector == "ocds" else CONNECTORS[connector]()
    return run(instance, location, source=source or DEFAULT_SOURCE[connector], progress=progress, processes=processes)


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


@transaction.atomic
def notices_move_for_demo(
    *, notices: list[Notice], today=None, first: int = 3, last: int = 60, countries: tuple[str, ...] = ()
) -> int:
    """Move the dates of these real notices (competitions with a deadline) later, so that the demo shows open
    tenders: their deadlines are spread from `first` to `last` days after today, in their order, and each
    publication date and lot deadline moves by as many days. A publication date never passes today: a notice
    whose time to bid is short moves less (its deadline nearer), and one that would still be closed is left as it
    is. The days are kept (`Notice.demo_shift_days`), so pages say so and show the source's dates. Notices moved
    before are left alone (the demo set-up runs again and again). Buyer countries take turns, `countries` (the
    demo's own markets) first in each turn."""
    today = today or timezone.now()
    todo = [n for n in notices if n.demo_shift_days is None and n.deadline is not None]
    # Countries take turns (the first deadline of each, then the second…), so that "closing soon" is not one
    # publisher's list.
    seen: dict[str, int] = {}  # country -> its notices so far
    turn: dict[int, int] = {}  # notice -> its rank in its country
    for notice in sorted(todo, key=lambda n: n.deadline):
        turn[notice.pk] = seen.get(notice.buyer_country, 0)
        seen[notice.buyer_country] = turn[notice.pk] + 1
    todo.sort(key=lambda n: (turn[n.pk], n.buyer_country not in countries, n.deadline))
    moved = []
    for rank, notice in enumerate(todo):
        target = today + timezone.timedelta(days=first + rank * (last - first) / max(1, len(todo) - 1))
        days = max(0, (target - notice.deadline).days)
        if notice.published is not None:
            days = min(days, max(0, (today - notice.published).days - 1))  # published yesterday at the latest
        shift = timezone.timedelta(days=days)
        if notice.deadline + shift <= today:
            continue  # too short a time to bid to be open today and published before it
        notice.deadline += shift
        if notice.published is not None:
            notice.published += shift
        notice.lots = [_lot_moved(lot, shift) for lot in notice.lots]
        notice.demo_shift_days = days
        notice.updated = timezone.now()  # matched again by the next alert run
        moved.append(notice)
    Notice.objects.bulk_update(moved, ["deadline", "published", "lots", "demo_shift_days", "updated"])
    return len(moved)


def _lot_moved(lot: dict, shift) -> dict:
    """A lot with its deadline (ISO 8601 text, as the mapping writes it) moved by `shift`; unreadable ones kept."""
    when = parse_datetime(lot["deadline"]) if isinstance(lot.get("deadline"), str) else None
    return lot if when is None else {**lot, "deadline": (when + shift).isoformat()}
