from celery import shared_task

from greenbridge.market.services import refresh_facts


@shared_task
def refresh_task() -> int:
    """Bring the market figures up to date with the notices changed since the last refresh (eager without a
    broker: in the ingestion run's process; with Celery, in a worker, so that ingestion does not wait)."""
    return refresh_facts().notices
