from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from celery import shared_task

from greenbridge.market.services import refresh_facts

# Set within `one_refresh`: the ingestion runs made there leave the market figures to one refresh at its end.
_DEFERRED: ContextVar[bool] = ContextVar("market_refresh_deferred", default=False)


@shared_task
def refresh_task() -> int:
    """Bring the market figures up to date with the notices changed since the last refresh (eager without a
    broker: in the ingestion run's process; with Celery, in a worker, so that ingestion does not wait)."""
    return refresh_facts().notices


def refresh_after_ingest() -> None:
    """After an ingestion run that created or changed notices: the refresh, unless `one_refresh` makes it later."""
    if not _DEFERRED.get():
        refresh_task.delay()


@contextmanager
def one_refresh() -> Iterator[None]:
    """Many ingestion runs, one market refresh as they end, instead of one after each: `demo_setup`'s sixteen sample
    files (its refreshes took 4.8 s of its 27). If the block fails, the next refresh reads its notices."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    refresh_task.delay()
