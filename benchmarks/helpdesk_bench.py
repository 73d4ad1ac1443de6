"""Help-desk figures (issue 13): service-level due times for 100,000 tickets, and the advisor's ticket list over
100,000 tickets.

- Due times: 100,000 tickets of 30 queues (10 clusters in Romania, Moldova, Ukraine, France and Italy, each with
  its own calendar: office hours with a lunch break, public holidays of its country, a few closed days), opened at
  random moments of a year (nights and weekends too), each given its first-response and resolution due times
  (sla.start), a third then paused and resumed days later (sla.stop, sla.resume), as the service computes them.
  Target: under 10 s.
- The list: the same 100,000 tickets stored; an advisor of one cluster (3 queues, about 10,000 tickets) opens the
  help desk's list as it opens (not yet resolved, newest first, with due times and states), filtered by queue,
  priority, assignee, status and words, through Django's test client, 40 times each. Target: p95 under 150 ms.
- The reports: the same advisor opens the help desk's reports (reports.py) for the year (every month, queue and
  advisor: opened, resolved, first-response times in business hours, resolution times, service levels met, backlog by
  age, satisfaction), for one queue, and downloads them as CSV and Excel, 40 times each. The tickets answered (all but
  the new ones) got their first reply 1 to 48 hours after opening, those resolved or closed their resolution up to a
  fortnight after that with the clock's working time, and a third of those a rating.

`python benchmarks/helpdesk_bench.py [N] [--json]`: N tickets (default 100,000).
"""

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assessment_bench import percentile  # the page benchmarks' one nearest-rank percentile (run as scripts)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fresh_database  # noqa: E402

COUNTRIES = [("RO", "Europe/Bucharest"), ("MD", "Europe/Chisinau"), ("UA", "Europe/Kyiv"), ("FR", "Europe/Paris")]
COUNTRIES += [("IT", "Europe/Rome")]
TOPICS = ["ESPD", "MTender", "Prozorro", "CE marking", "Interreg"]


def run(n: int = 100_000) -> dict:
    with fresh_database(any_host=True):
        from django.contrib.auth import get_user_model
        from django.test import Client

        from greenbridge.helpdesk import sla
        from greenbridge.helpdesk.models import BusinessCalendar, Queue, ServiceLevel, Ticket
        from greenbridge.orgs.models import Membership, Organisation

        rng = random.Random(13)
        clusters, queues = [], []
        for c in range(10):
            country, zone = COUNTRIES[c % len(COUNTRIES)]
            cluster = Organisation.objects.create(
                name=f"Cluster {c}", slug=f"cluster-{c}", kind="cluster", country=country, verification="verified"
            )
            calendar = BusinessCalendar.objects.create(
                organisation=cluster,
                name="Office",
                time_zone=zone,
                week="mon-thu 09:00-13:00 14:00-17:30\nfri 09:00-14:00",
                holidays_country=country,
                closed_days=["2026-12-24", "2026-12-31", "2027-08-14"],
            )
            clusters.append(cluster)
            for topic in ("procurement", "funding", "certification"):
                queue = Queue.objects.create(
                    organisation=cluster, slug=f"{topic}-{c}", name=f"{topic} {c}", topic=topic, calendar=calendar
                )
                ServiceLevel.objects.bulk_create(
                    ServiceLevel(queue=queue, priority=p, first_response_minutes=f, resolution_minutes=r)
                    for p, f, r in (("low", 480, 4800), ("normal", 240, 2400), ("high", 60, 960), ("urgent", 30, 480))
                )
                queues.append(queue)
        companies = Organisation.objects.bulk_create(
            Organisation(name=f"Company {i}", slug=f"company-{i}", kind="sme", country=COUNTRIES[i % 5][0])
            for i in range(2000)
        )
        user = get_user_model().objects.create_user(username="advisor@example.org", email="advisor@example.org")
        Membership.objects.create(user=user, organisation=clusters[0], role=Membership.Role.ADVISOR)

        # Due times, as the service computes them.
        start = datetime(2026, 1, 1, tzinfo=UTC)
        tickets = []
        statuses = ["new", "open", "waiting_requester", "waiting_third_party", "resolved", "closed"]
        for i in range(n):
            opened = start + timedelta(seconds=rng.randrange(365 * 86400))
            tickets.append(
                Ticket(
                    queue=rng.choice(queues),
                    organisation=rng.choice(companies),
                    subject=f"Question {i} about {rng.choice(TOPICS)}",
                    priority=rng.choice(["low", "normal", "normal", "normal", "high", "urgent"]),
                    status=rng.choice(statuses),
                    requester_email=f"person{i}@company.example",
                    assignee=user if rng.random() < 0.05 else None,
                )
            )
            tickets[-1]._opened = opened
        clocks = sla.Clocks()
        t = time.perf_counter()
        for ticket in tickets:
            sla.start(ticket, ticket._opened, clocks)
        for ticket in tickets[::3]:
            sla.stop(ticket, ticket._opened + timedelta(hours=rng.randrange(1, 72)), clocks)
            sla.resume(ticket, ticket._opened + timedelta(days=rng.randrange(3, 15)), clocks)
        due_s = time.perf_counter() - t
        paused = len(tickets[::3])

        Ticket.objects.bulk_create(tickets, batch_size=5000)
        # Spread over the year as they were opened (auto_now_add stamped them now).
        from django.db import connection

        with connection.cursor() as cursor:
            year = "UPDATE helpdesk_ticket SET created = datetime('2026-01-01', '+' || (id * 313 % %s) || ' seconds')"
            cursor.execute(year, [365 * 86400])
            # What the reports read: first replies, resolutions with the clock's working time, ratings (SQLite, as
            # above; each a fixed function of the id, so every run reads the same).
            cursor.execute(
                "UPDATE helpdesk_ticket SET first_response_at = datetime(created, '+' || (3600 + id * 7919 % 169200)"
                " || ' seconds') WHERE status != 'new'"
            )
            cursor.execute(
                "UPDATE helpdesk_ticket SET resolved_at = datetime(first_response_at, '+' || (id * 104729 % 1209600)"
                " || ' seconds'), clock_used = id * 31 % 180000,"
                " satisfaction = CASE WHEN id % 3 = 0 THEN 1 + id * 7 % 5 END WHERE status IN ('resolved', 'closed')"
            )
        mine = Ticket.objects.filter(queue__organisation=clusters[0]).count()

        client = Client()
        client.force_login(user)
        pages = {
            "as it opens (not yet resolved)": "/help/",
            "a queue, high priority": f"/help/?queue={queues[0].pk}&priority=high",
            "assigned to me, any status": "/help/?assignee=me&status=all",
            "words": "/help/?q=prozorro&status=all",
            "page 20": "/help/?page=20&status=all",
        }
        timings = {}
        for label, url in pages.items():
            client.get(url)
            times = []
            for _ in range(40):
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            timings[label] = {
                "median_ms": statistics.median(times),
                "p95_ms": percentile(times, 95),
                "max_ms": max(times),
            }
        report_pages = {
            "the year, every queue": "/help/reports/?since=2026-01&until=2026-12",
            "the year, one queue": f"/help/reports/?since=2026-01&until=2026-12&queue={queues[0].pk}",
            "the year, one advisor": "/help/reports/?since=2026-01&until=2026-12&advisor=" + str(user.pk),
            "CSV per month": "/help/reports/months.csv?since=2026-01&until=2026-12",
            "Excel": "/help/reports/report.xlsx?since=2026-01&until=2026-12",
        }
        report_timings = {}
        for label, url in report_pages.items():
            client.get(url)
            times = []
            for _ in range(40):
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            report_timings[label] = {
                "median_ms": statistics.median(times),
                "p95_ms": percentile(times, 95),
                "max_ms": max(times),
            }
        from datetime import date

        from greenbridge.helpdesk import reports

        scope = reports.Scope(
            queues=tuple(Queue.objects.filter(organisation=clusters[0]).select_related("calendar", "organisation")),
            since=date(2026, 1, 1),
            until=date(2026, 12, 1),
        )
        figures = reports.report(scope, now=datetime(2027, 1, 1, tzinfo=UTC)).total
        return {
            "tickets": n,
            "queues": len(queues),
            "calendars": len(clusters),
            "due": {"seconds": due_s, "paused": paused, "per_ticket_us": due_s / (n + 2 * paused) * 1e6},
            "advisor_tickets": mine,
            "list": timings,
            "reports": report_timings,
            "report_figures": {
                "opened": figures.opened,
                "resolved": figures.resolved,
                "first_responses": len(figures.first_responses),
                "rated": figures.rated,
                "backlog": figures.backlog_total,
            },
        }


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tickets", nargs="?", type=int, default=100_000, help="how many tickets (default 100,000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.tickets)
    print(json.dumps(result) if args.json else result)
