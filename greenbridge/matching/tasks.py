from celery import shared_task

from greenbridge.matching.services import alerts_run


@shared_task
def alerts_task() -> dict[str, int]:
    """Match new and changed notices against every watch and deliver what is due (eager without a broker)."""
    return alerts_run()
