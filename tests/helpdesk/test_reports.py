"""Help-desk reports: exact figures on tickets whose working times are known (a Bucharest office calendar with
Romania's public holidays, and a queue without a calendar that counts every hour); months in the queues' time zone;
no figure for no tickets; who reads which queue's report; the page, its CSV and Excel, and its queries."""

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from greenbridge.helpdesk import reports
from greenbridge.helpdesk.models import BusinessCalendar, Queue, ServiceLevel, Ticket
from greenbridge.helpdesk.reports import Scope, percentile
from greenbridge.orgs.models import Membership, Organisation

BUC = ZoneInfo("Europe/Bucharest")
NOW = datetime(2026, 5, 5, 12, 0, tzinfo=BUC)  # a Tuesday


def buc(*args) -> datetime:
    return datetime(*args, tzinfo=BUC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make(queue, opened, **fields) -> Ticket:
    fields.setdefault("status", "open")
    ticket = Ticket.objects.create(queue=queue, subject="A question", **fields)
    Ticket.objects.filter(pk=ticket.pk).update(created=opened)
    return ticket


@pytest.fixture
def office(orgs):
    """Mon–Fri 09:00–17:00 in Bucharest, closed on Romania's public holidays (1 May 2026 is a Friday)."""
    calendar = BusinessCalendar.objects.create(
        organisation=orgs["cluster"], name="Office", time_zone="Europe/Bucharest", holidays_country="RO"
    )
    queue = Queue.objects.create(organisation=orgs["cluster"], slug="reports-a", name="Tenders desk", calendar=calendar)
    ServiceLevel.objects.create(queue=queue, priority="normal", first_response_minutes=240, resolution_minutes=2400)
    return queue


@pytest.fixture
def always(orgs):
    """A queue without a calendar: every hour counts."""
    queue = Queue.objects.create(organisation=orgs["cluster"], slug="reports-b", name="Grants desk")
    ServiceLevel.objects.create(queue=queue, priority="normal", first_response_minutes=60, resolution_minutes=600)
    return queue


@pytest.fixture
def tickets(office, always, users):
    advisor, manager = users["advisor"], users["manager"]
    t = {}
    # Answered in 2.5 working hours (by 14:00, in time); resolved in 8 working hours of a 40-hour target; rated 5.
    t[1] = make(
        office, buc(2026, 3, 2, 10, 0), assignee=advisor, status="resolved",
        first_response_at=buc(2026, 3, 2, 12, 30), first_response_due=buc(2026, 3, 2, 14, 0),
        resolved_at=buc(2026, 3, 3, 11, 0), clock_used=8 * 3600, satisfaction=5,
    )  # fmt: skip
    # Opened on a Friday at 16:00, answered on Monday at 11:00: 1 + 2 working hours. Resolved over its target.
    t[2] = make(
        office, buc(2026, 3, 6, 16, 0), assignee=advisor, status="closed",
        first_response_at=buc(2026, 3, 9, 11, 0), first_response_due=buc(2026, 3, 9, 12, 0),
        resolved_at=buc(2026, 3, 20, 15, 0), clock_used=50 * 3600, satisfaction=2, satisfaction_comment="Too slow.",
    )  # fmt: skip
    # Opened on Thursday 30 April at 16:00, answered on Monday 4 May at 10:00: 1 + 1 working hours, the public
    # holiday of Friday 1 May not counted (10 hours if it were). Still open, due next week.
    t[3] = make(
        office, buc(2026, 4, 30, 16, 0),
        first_response_at=buc(2026, 5, 4, 10, 0), first_response_due=buc(2026, 5, 4, 12, 0),
        resolution_due=buc(2026, 5, 11, 9, 0),
    )  # fmt: skip
    # Never answered: both due times passed in March.
    t[4] = make(
        office, buc(2026, 3, 10, 9, 0), status="new",
        first_response_due=buc(2026, 3, 10, 13, 0), resolution_due=buc(2026, 3, 16, 9, 0),
    )  # fmt: skip
    # Opened 30 minutes into April in Bucharest (still 31 March in UTC); no service level for low priority.
    t[7] = make(office, buc(2026, 4, 1, 0, 30), status="new", priority="low")
    # Without a calendar: answered in 12 hours on a Saturday (1 hour due), resolved in 24 hours (10 due).
    t[5] = make(
        always, utc(2026, 3, 14, 10, 0), assignee=manager, status="resolved",
        first_response_at=utc(2026, 3, 14, 22, 0), first_response_due=utc(2026, 3, 14, 11, 0),
        resolved_at=utc(2026, 3, 15, 10, 0), clock_used=24 * 3600, satisfaction=4,
    )  # fmt: skip
    # A duplicate merged into the first: counts nowhere.
    t[6] = make(
        office, buc(2026, 3, 2, 10, 5), status="closed", merged_into=t[1],
        first_response_at=buc(2026, 3, 2, 10, 10), resolved_at=buc(2026, 3, 2, 10, 10), satisfaction=1,
    )  # fmt: skip
    return t


def run(*queues, since=date(2026, 3, 1), until=date(2026, 5, 1), **scope) -> reports.Report:
    queues = tuple(Queue.objects.select_related("calendar", "organisation").filter(pk__in=[q.pk for q in queues]))
    return reports.report(Scope(queues=queues, since=since, until=until, **scope), now=NOW)


def test_percentile_is_linear_between_the_closest_ranks():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 11)), 90) == pytest.approx(9.1)
    assert percentile([7], 90) == 7
    assert percentile([3, 5], 0) == 3
    assert percentile([3, 5], 100) == 5
    assert percentile([], 50) is None


def test_the_working_times_are_those_of_each_queues_hours(tickets, office):
    hours = office.calendar.business_hours()
    assert hours.between(buc(2026, 4, 30, 16, 0), buc(2026, 5, 4, 10, 0)) == 2 * 3600  # 1 May is a holiday
    assert hours.between(buc(2026, 3, 6, 16, 0), buc(2026, 3, 9, 11, 0)) == 3 * 3600


def test_the_totals_of_two_queues(tickets, office, always):
    result = run(office, always)
    assert result.zone.key == "UTC"  # two time zones (Bucharest, and every hour in UTC): the site's
    t = result.total
    assert (t.opened, t.resolved) == (6, 3)
    assert t.first_responses == [2 * 3600, 2.5 * 3600, 3 * 3600, 12 * 3600]
    assert t.first_response_median == 2.75 * 3600
    assert t.first_response_p90 == pytest.approx(3 * 3600 + 9 * 3600 * 0.7)
    # In time: tickets 1, 2 and 3; missed: 5 (late) and 4 (never answered, due in March).
    assert (t.first_response_met, t.first_response_counted, t.first_response_compliance) == (3, 5, 60.0)
    assert t.resolutions == [8 * 3600, 24 * 3600, 50 * 3600]
    assert (t.resolution_median, t.resolution_p90) == (24 * 3600, pytest.approx(24 * 3600 + 26 * 3600 * 0.8))
    # In time: ticket 1; missed: 2 and 5 (over their targets) and 4 (not resolved, due in March).
    assert (t.resolution_met, t.resolution_counted, t.resolution_compliance) == (1, 4, 25.0)
    assert t.ratings == [0, 1, 0, 1, 1]
    assert (t.rated, t.satisfaction) == (3, pytest.approx(11 / 3))
    # Not yet resolved on 5 May: ticket 3 (opened 4.8 days before), 4 and 7 (over 30 days).
    assert t.backlog == [0, 0, 1, 0, 2]
    assert [c.pk for c in result.comments] == [tickets[2].pk]


def test_per_month_per_queue_and_per_advisor(tickets, office, always, users):
    result = run(office, always)
    months = dict(result.months)
    assert list(months) == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    march, april, may = months.values()
    assert (march.opened, april.opened, may.opened) == (5, 1, 0)  # ticket 7 is March's in UTC
    assert (march.first_response_median, march.first_response_p90) == (3 * 3600, pytest.approx(36720))
    assert (march.first_response_met, march.first_response_counted) == (2, 4)
    assert (march.resolved, march.resolution_met, march.resolution_counted) == (3, 1, 4)
    assert (april.first_response_median, april.first_response_compliance, april.satisfaction) == (None, None, None)
    assert (may.first_responses, may.first_response_compliance) == ([2 * 3600], 100.0)
    assert march.backlog == [0] * 5  # the backlog is today's, not a month's

    queues = {q.slug: f for q, f in result.queues}
    a, b = queues["reports-a"], queues["reports-b"]
    assert (a.opened, a.resolved, b.opened, b.resolved) == (5, 2, 1, 1)
    assert (a.first_response_met, a.first_response_counted, b.first_response_met, b.first_response_counted) == (
        3, 4, 0, 1,
    )  # fmt: skip
    assert (a.resolution_met, a.resolution_counted) == (1, 3)
    assert a.resolution_compliance == pytest.approx(100 / 3)
    assert (a.ratings, b.ratings) == ([0, 1, 0, 0, 1], [0, 0, 0, 1, 0])
    assert (a.backlog, b.backlog) == ([0, 0, 1, 0, 2], [0] * 5)

    advisors = [(person, f.opened, f.resolved, f.first_responses) for person, f in result.advisors]
    assert advisors == [
        (users["advisor"], 2, 2, [2.5 * 3600, 3 * 3600]),  # Andrei Stan
        (users["manager"], 1, 1, [12 * 3600]),  # Maria Ionescu
        (None, 3, 0, [2 * 3600]),  # not assigned: 3, 4 and 7
    ]


def test_months_are_the_calendars_when_the_queues_share_one(tickets, office):
    result = run(office)
    assert result.zone.key == "Europe/Bucharest"
    assert [f.opened for _m, f in result.months] == [3, 2, 0]  # ticket 7 opened in April, Bucharest time


def test_one_advisor_or_the_unassigned(tickets, office, always, users):
    mine = run(office, always, advisor=users["advisor"].pk).total
    assert (mine.opened, mine.resolved, mine.ratings, mine.backlog) == (2, 2, [0, 1, 0, 0, 1], [0] * 5)
    nobody = run(office, always, unassigned=True).total
    assert (nobody.opened, nobody.first_response_counted, nobody.backlog) == (3, 2, [0, 0, 1, 0, 2])


def test_months_chosen_limit_the_figures_but_not_the_backlog(tickets, office, always):
    may = run(office, always, since=date(2026, 5, 1), until=date(2026, 5, 1)).total
    assert (may.opened, may.resolved, may.first_responses, may.backlog) == (0, 0, [2 * 3600], [0, 0, 1, 0, 2])


def test_no_tickets_give_no_figures(office):
    result = run(office)
    t = result.total
    assert (t.opened, t.resolved, t.rated, t.backlog_total) == (0, 0, 0, 0)
    assert (t.first_response_median, t.first_response_p90, t.resolution_median, t.resolution_p90) == (None,) * 4
    assert (t.first_response_compliance, t.resolution_compliance, t.satisfaction) == (None, None, None)
    assert [f.opened for _m, f in result.months] == [0, 0, 0]
    assert result.advisors == []
    assert result.comments == []


def test_the_exports_carry_the_same_figures(tickets, office, always):
    rows = reports.table(run(office, always), "queues")
    assert rows[0][:3] == ["Queue", "Opened", "Resolved"]
    assert [r[0] for r in rows] == ["Queue", "Grants desk (Danube Green Tech Cluster)", rows[2][0], "All"]
    # Opened, resolved; first response median and 90th percentile, resolution's (working hours); in time (%) and
    # counted, first responses then resolutions; satisfaction and ratings.
    assert rows[2][0] == "Tenders desk (Danube Green Tech Cluster)"
    assert rows[2][1:13] == [5, 2, 2.5, 2.9, 29.0, 45.8, 75.0, 4, 33.3, 3, 3.5, 2]
    assert rows[-1][0] == "All"
    assert rows[-1][-5:] == [0, 0, 1, 0, 2]
    months = reports.table(run(office, always), "months")
    assert [r[0] for r in months[1:]] == ["2026-03", "2026-04", "2026-05", "All"]
    assert months[1][-5:] == [None] * 5


# -- the pages ------------------------------------------------------------------------------------------------------


@pytest.fixture
def other_cluster():
    cluster = Organisation.objects.create(name="Other Cluster", slug="other-cluster", kind="cluster", country="FR")
    person = get_user_model().objects.create_user(username="o@other.example", email="o@other.example")
    Membership.objects.create(user=person, organisation=cluster, role=Membership.Role.MANAGER)
    queue = Queue.objects.create(organisation=cluster, slug="other-queue", name="Their questions")
    make(queue, buc(2026, 3, 3, 10, 0))
    return person


def page(client, url=None, **params):
    return client.get(url or reverse("helpdesk:reports"), params)


def test_the_queues_staff_and_the_clusters_managers_read_its_report(
    client_for, tickets, office, always, other_cluster, users
):
    # An agent-named queue: its agent reads it; the cluster's manager too (though no agent); the advisor no more.
    office.agents.add(users["manager"])
    advisor = page(client_for("advisor")).content.decode()
    assert "Grants desk" in advisor
    assert "Tenders desk" not in advisor
    manager = page(client_for("manager"), since="2026-03", until="2026-05").content.decode()
    assert "Tenders desk" in manager
    assert "Their questions" not in manager
    # Another cluster's manager sees its own queue, never this cluster's.
    from django.test import Client

    other = Client()
    other.force_login(other_cluster)
    theirs = page(other).content.decode()
    assert "Their questions" in theirs
    assert "Tenders desk" not in theirs
    # A queue not theirs, asked for by its id, is refused as a filter: the report stays on their queues.
    response = page(other, queue=office.pk)
    assert "Tenders desk" not in response.content.decode()
    assert response.context["report"].scope.queues == tuple(Queue.objects.filter(slug="other-queue"))
    for role in ("sme", "other_sme", "operator"):
        assert page(client_for(role)).status_code == 403


def test_the_page_shows_the_figures_charts_and_tables(client_for, tickets, office):
    response = page(client_for("manager"), queue=office.pk, since="2026-03", until="2026-05")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="bars"') == 4
    result = response.context["report"]
    assert (result.total.opened, result.total.resolved) == (5, 2)
    assert "2 h 30 min" in html  # the first responses' median: of 2, 2.5 and 3 working hours
    assert "75%" in html
    assert "Too slow." in html
    choices = [label for _value, label in response.context["form"].fields["advisor"].choices]
    assert choices == ["Everyone", "Not assigned", "Andrei Stan", "Maria Ionescu"]  # the cluster's staff, by name


def test_the_page_with_filters_that_do_not_read(client_for, tickets):
    response = page(client_for("manager"), since="2026-13", until="last year", advisor="999999", queue="x")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"since", "until", "advisor", "queue"}
    scope = response.context["report"].scope
    assert (scope.until - scope.since).days > 300  # the last twelve months
    assert (scope.advisor, scope.unassigned) == (None, False)
    # A month well written but out of range is told so, not to write it as YYYY-MM.
    form = page(client_for("manager"), since="1900-01").context["form"]
    assert form.errors["since"] == ["Choose a month from 2000 to 2100."]
    assert page(client_for("manager"), since="2026-13").context["form"].errors["since"] == [
        "Write a month as YYYY-MM, e.g. 2026-03."
    ]


def test_a_range_too_long_or_backwards_is_refused(client_for, tickets):
    form = page(client_for("manager"), since="2020-01", until="2026-05").context["form"]
    assert "since" in form.errors
    form = page(client_for("manager"), since="2026-05", until="2026-03").context["form"]
    assert "until" in form.errors


def test_csv_and_excel(client_for, tickets, office):
    client = client_for("manager")
    response = client.get(reverse("helpdesk:reports_csv", args=["queues"]), {"since": "2026-03", "until": "2026-05"})
    assert response["Content-Disposition"] == 'attachment; filename="helpdesk-queues-2026-03-2026-05.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    procurement = next(r for r in rows if r[0].startswith("Tenders desk"))
    assert procurement[:3] == ["Tenders desk (Danube Green Tech Cluster)", "5", "2"]
    assert client.get(reverse("helpdesk:reports_csv", args=["secrets"])).status_code == 404

    from openpyxl import load_workbook

    response = client.get(
        reverse("helpdesk:reports_xlsx"), {"queue": office.pk, "since": "2026-03", "until": "2026-05"}
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Per month", "Per queue", "Per advisor"]
    assert [c.value for c in book["Per queue"][2]][:3] == ["Tenders desk (Danube Green Tech Cluster)", 5, 2]


def test_the_page_reads_the_same_number_of_queries_for_more_tickets(client_for, office, always, users):
    client = client_for("manager")
    params = {"since": "2026-03", "until": "2026-05"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert page(client, **params).status_code == 200
        return len(captured)

    make(office, buc(2026, 3, 2, 10, 0), assignee=users["advisor"], first_response_at=buc(2026, 3, 2, 11, 0))
    few = queries()
    for day in range(2, 28):
        for person in (users["advisor"], users["manager"], None):
            make(
                always, utc(2026, 3, day, 10, 0), assignee=person, status="resolved", satisfaction=day % 5 + 1,
                first_response_at=utc(2026, 3, day, 11, 0), resolved_at=utc(2026, 3, day, 12, 0), clock_used=7200,
                satisfaction_comment=f"Day {day}",
            )  # fmt: skip
    assert queries() == few
    assert few <= 16, few  # sessions, the user and its menus, queues, advisors, nine for the figures


def test_the_reports_are_reached_from_the_help_desk_and_the_dashboard(client_for, office):
    url = reverse("helpdesk:reports")
    for role in ("advisor", "manager"):
        assert f'href="{url}"' in client_for(role).get(reverse("helpdesk:tickets")).content.decode()
        assert f'href="{url}"' in client_for(role).get("/").content.decode()
    for role in ("sme", "other_sme"):
        assert url not in client_for(role).get(reverse("helpdesk:tickets")).content.decode()
        assert url not in client_for(role).get("/").content.decode()


def test_a_month_without_questions_is_one_line_not_a_row_of_zeros(client_for, tickets):
    response = page(client_for("manager"), since="2025-12", until="2026-05")
    months = dict(response.context["report"].months)
    empty = [month for month, f in months.items() if f.empty]
    assert empty == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert response.content.decode().count("Nothing this month") == len(empty)
    # A month with nothing opened or resolved may still have a first answer or a deadline: it is not empty.
    may = months[date(2026, 5, 1)]
    assert (may.opened, may.empty) == (0, False)
