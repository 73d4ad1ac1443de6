from celery import shared_task

from greenbridge.helpdesk.escalation import escalate
from greenbridge.helpdesk.mailboxes import fetch_all


@shared_task
def helpdesk_fetch_task() -> list[dict]:
    """Read the queues' IMAP mailboxes (every two minutes from Celery beat; `greenbridge helpdesk fetch` from cron)."""
    return [vars(done) for done in fetch_all()]


@shared_task
def helpdesk_escalate_task() -> dict[str, int]:
    """Warn before service-level targets are missed and escalate when they are (every five minutes)."""
    return vars(escalate())
