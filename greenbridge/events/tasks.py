from celery import shared_task

from greenbridge.events.services import events_tick


@shared_task
def events_tick_task() -> dict[str, int]:
    """Expire unanswered meeting requests and send event reminders (hourly)."""
    return events_tick()
