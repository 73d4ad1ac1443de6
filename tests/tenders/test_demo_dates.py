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
    later = make_notice(
        "later",
        buyer_country="UA",
        published=datetime(2021, 9, 1, tzinfo=UTC),
        deadline=datetime(2022, 1, 1, tzinfo=UTC),
        lots=[{"id": "LOT-1", "deadline": "2022-01-01T00:00:00+00:00"}, {"id": "LOT-2", "deadline": None}],
    )
    assert notices_move_for_demo(notices=list(Notice.objects.all()), today=TODAY) == 2
    old.refresh_from_db()
    assert old.deadline == datetime(2026, 12, 6, 10, tzinfo=UTC)  # 3 days from today: the first of its country
    assert (old.demo_shift_days, old.source_deadline) == (2001, datetime(2021, 6, 14, 10, tzinfo=UTC))
    assert old.source_published == datetime(2021, 5, 10, tzinfo=UTC)
    later.refresh_from_db()
    assert later.deadline.date() == (TODAY + timedelta(days=60)).date()  # the last one: 60 days ahead
    assert later.published < TODAY
    assert later.lots == [  # its lots' deadlines move with it
        {"id": "LOT-1", "deadline": later.deadline.isoformat()},
        {"id": "LOT-2", "deadline": None},
    ]
    # Moved once only: the demo set-up runs again and again.
    assert notices_move_for_demo(notices=list(Notice.objects.all()), today=TODAY) == 0
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Demo data: this real notice's dates were moved 2001 days later" in page
    assert "published on 10 May 2021, with a deadline of 14 June 2021" in page
    assert "demo dates" in client.get("/notices/", {"q": "epurare"}).content.decode()


def test_a_publication_date_never_moves_past_today():
    """A notice with a short time to bid moves less: its deadline nearer, published yesterday at the latest. One
    that would still be closed stays as it was. (The demo had notices "published 5 January 2027".)"""
    short = make_notice(
        "short", published=datetime(2021, 5, 10, tzinfo=UTC), deadline=datetime(2021, 5, 20, 10, tzinfo=UTC)
    )
    shortest = make_notice(
        "shortest", published=datetime(2021, 5, 10, 9, tzinfo=UTC), deadline=datetime(2021, 5, 10, 17, tzinfo=UTC)
    )
    assert notices_move_for_demo(notices=[short, shortest], today=TODAY, first=30, last=60) == 1
    short.refresh_from_db()
    assert short.published.date() == (TODAY - timedelta(days=1)).date()
    assert short.deadline.date() == (TODAY + timedelta(days=9)).date()  # its 10 days to bid, from yesterday
    shortest.refresh_from_db()
    assert (shortest.demo_shift_days, shortest.deadline) == (None, datetime(2021, 5, 10, 17, tzinfo=UTC))
