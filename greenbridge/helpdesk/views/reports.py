"""The help desk's reports, for the staff of its queues and the managers of their clusters: per month, queue and
advisor, tickets opened and resolved, response and resolution times in business hours, service levels met, the
backlog by age and the satisfaction ratings; charts (SVG drawn here) with their tables, and the tables as CSV and
Excel. The figures are reports.py's; who sees which queue is selectors.queues_reported_to's."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from greenbridge.core.charts import bar_chart
from greenbridge.core.http import csv_response, xlsx_sheets_response

from .. import reports, selectors
from ..forms import ReportForm


def _months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _report(request) -> tuple[ReportForm, reports.Report]:
    queues = selectors.queues_reported_to(request.user)
    available = list(queues)
    if not available:
        raise PermissionDenied
    form = ReportForm(request.GET or None, queues=queues, advisors=selectors.advisors_of(available))
    data = {}
    if form.is_bound:
        form.is_valid()  # a filter that does not read is left out (the page says why); the others apply
        data = form.cleaned_data
    chosen = (data["queue"],) if data.get("queue") else tuple(available)
    advisor = data.get("advisor") or ""
    now = timezone.now()
    this_month = now.astimezone(reports.zone_of(chosen)).date().replace(day=1)
    until = data.get("until") or max(this_month, data.get("since") or this_month)
    since = data.get("since") or _months_back(until, 11)
    scope = reports.Scope(
        queues=chosen,
        since=since,
        until=until,
        advisor=int(advisor) if advisor.isdigit() else None,
        unassigned=advisor == "none",
    )
    if not form.is_bound:  # the months shown are the months counted
        form.initial = {"since": f"{since:%Y-%m}", "until": f"{until:%Y-%m}"}
    return form, reports.report(scope, now=now)


@login_required
def report_page(request):
    form, result = _report(request)
    labels = [date_format(m, "M y") for m, _f in result.months]
    charts = {
        "volume": bar_chart(
            labels,
            [
                (_("Opened"), [f.opened for _m, f in result.months]),
                (_("Resolved"), [f.resolved for _m, f in result.months]),
            ],
        ),
        "levels": bar_chart(
            labels,
            [
                (_("First responses in time"), [f.first_response_compliance for _m, f in result.months]),
                (_("Resolutions in time"), [f.resolution_compliance for _m, f in result.months]),
            ],
            top=100,
            unit="%",
        ),
        "backlog": bar_chart(reports.age_labels(), [(_("Not yet resolved"), result.total.backlog)]),
        "ratings": bar_chart([str(n) for n in range(1, 6)], [(_("Ratings"), result.total.ratings)]),
    }
    return render(
        request,
        "helpdesk/reports.html",
        {
            "form": form,
            "report": result,
            "charts": charts,
            "age_labels": reports.age_labels(),
            "query": request.GET.urlencode(),
            "tables": reports.TABLES,
        },
    )


def _file_name(result: reports.Report, what: str) -> str:
    scope = result.scope
    return f"helpdesk-{what}-{scope.since:%Y-%m}-{scope.until:%Y-%m}"


@login_required
def report_csv(request, table: str):
    if table not in reports.TABLES:
        raise Http404
    _form, result = _report(request)
    return csv_response(reports.table(result, table), _file_name(result, table))


@login_required
def report_xlsx(request):
    _form, result = _report(request)
    sheets = [(reports.table_title(name), reports.table(result, name)) for name in reports.TABLES]
    return xlsx_sheets_response(sheets, _file_name(result, "report"))
