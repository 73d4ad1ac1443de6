"""The demo moves real notices' dates later so they show as open, keeps the days, and says so."""

from datetime import UTC, datetime, timedelta

import pytest

from greenbridge.tenders.models import Notice
from greenbridge.tenders.services import notices_move_for_demo
from tests.conftest import make_notice

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 12, 3, 12, tzinfo=UTC)


def test_moved_dates_keep_the_source_dates_and_pages_say_so(client):
    old = make_notice(
        "old",
        title="Stație de epurare",
        buyer_country="MD",
        published=datetime(2021, 5, 10, tzinfo=UTC),
        deadline=datetime(2021, 6, 14, 10, tzinfo=UTC),
    )
    later = make_notice("later", buyer_country="UA", deadline=datetime(2022, 1, 1, tzinfo=UTC))
    assert notices_move_for_demo(notices=list(Notice.objects.all()), today=TODAY) == 2
    old.refresh_from_db()
    assert old.deadline == datetime(2026, 12, 6, 10, tzinfo=UTC)  # 3 days from today: the first of its country
    assert (old.demo_shift_days, old.source_deadline) == (2001, datetime(2021, 6, 14, 10, tzinfo=UTC))
    assert old.source_published == datetime(2021, 5, 10, tzinfo=UTC)
    later.refresh_from_db()
    assert later.deadline.date() == (TODAY + timedelta(days=60)).date()  # the last one: 60 days ahead
    # Moved once only: the demo set-up runs again and again.
    assert notices_move_for_demo(notices=list(Notice.objects.all()), today=TODAY) == 0
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Demo data: this real notice's dates were moved 2001 days later" in page
    assert "published on 10 May 2021, with a deadline of 14 June 2021" in page
    assert "demo dates" in client.get("/notices/", {"q": "epurare"}).content.decode()
