from celery import shared_task

from greenbridge.matching.services import alerts_run, forwards_deliver


@shared_task
def alerts_task() -> dict[str, int]:
    """Match new and changed notices against every watch and deliver what is due (eager without a broker)."""
    return alerts_run()


@shared_task
def forwards_task() -> dict[str, int]:
    """E-mail the notices clusters forwarded to their members (after a forward by hand)."""
    return forwards_deliver()
