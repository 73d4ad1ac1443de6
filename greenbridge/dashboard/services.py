"""Writes of the dashboard app: only the visits it keeps to tell what is new."""

from datetime import datetime, timedelta

from django.db import transaction

from .models import Visit

# Visits closer than this are one visit: reloading the page keeps what was new, new.
SAME_VISIT = timedelta(hours=1)


@transaction.atomic
def visit_record(*, user, now: datetime) -> datetime | None:
    """Record that `user` opens their dashboard now; return the previous visit (None for the first)."""
    visit = Visit.objects.select_for_update().filter(user=user).first()
    if visit is None:
        Visit.objects.create(user=user, last=now)
        return None
    if now - visit.last >= SAME_VISIT:
        visit.previous = visit.last
    visit.last = now
    visit.save(update_fields=["last", "previous"])
    return visit.previous
