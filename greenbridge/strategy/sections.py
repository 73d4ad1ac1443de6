"""The strategy's sections: their names, each as plain text (what a version keeps and what versions compare),
the comparison of two texts line by line, and the roadmap as a Gantt chart."""

from __future__ import annotations

import calendar
import difflib
from datetime import date
from typing import Any

from django.utils.dates import MONTHS_AP
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenbridge.core.templatetags.greenbridge import date_range, long_date
from greenbridge.core.templatetags.greenbridge import money as _money

from .models import Activity, BudgetLine, Communication, Kpi, Partner, Strategy, SwotItem

SECTIONS = {
    "context": gettext_lazy("Context and objectives"),
    "markets": gettext_lazy("Target markets"),
    "swot": gettext_lazy("SWOT analysis"),
    "partners": gettext_lazy("Strategic partners"),
    "agreement": gettext_lazy("Partnership agreement"),
    "roadmap": gettext_lazy("Implementation roadmap"),
    "finance": gettext_lazy("Financial sustainability"),
    "communication": gettext_lazy("Communication plan"),
    "kpis": gettext_lazy("KPI targets"),
}
# The sections written as text, and their fields.
TEXTS = {
    "context": ("context", "objectives"),
    "agreement": ("governance", "services", "ip", "finances"),
    "finance": ("sustainability",),
}
# The sections made of items, and the model of each.
ITEMS = {
    "swot": SwotItem,
    "partners": Partner,
    "roadmap": Activity,
    "finance": BudgetLine,
    "communication": Communication,
    "kpis": Kpi,
}


def _eur(value) -> str:
    return _money(value, "EUR") if value is not None else "–"


def _fields(strategy: Strategy, names) -> list[str]:
    lines = []
    for name in names:
        value = getattr(strategy, name).strip()
        if value:
            lines += [str(Strategy._meta.get_field(name).verbose_name).capitalize(), *value.splitlines(), ""]
    return lines[:-1] if lines else []


def text_of(strategy: Strategy) -> dict[str, str]:
    """Each section as plain text, line by line (a version keeps this; two versions compare it)."""
    out: dict[str, list[str]] = {key: [] for key in SECTIONS}
    out["context"] = _fields(strategy, TEXTS["context"])
    for m in strategy.markets.all():
        head = f"{m.country.name}"
        if m.rank:
            head += " — " + _("no. %(rank)s, score %(score)s, chosen on %(day)s") % {
                "rank": m.rank,
                "score": f"{m.score:.0f}" if m.score is not None else "–",
                "day": long_date(m.chosen),
            }
        explanation = m.explained["explanation"]
        out["markets"] += [head, *([explanation] if explanation else []), *([m.note] if m.note else [])]
    for quadrant, label in SwotItem.Quadrant.choices:
        items = [i for i in strategy.swot.all() if i.quadrant == quadrant]
        if items:
            out["swot"].append(str(label))
            for i in items:
                out["swot"].append(f"- {i.text}" + (f" [{i.evidence_label}]" if i.evidence_label else ""))
    for p in strategy.partners.all():
        country = p.display_country.name if p.display_country else ""
        where = f"{p.get_side_display()}{', ' + str(country) if country else ''}"
        out["partners"].append(f"- {p.display_name} ({where}): {p.role}")
    out["agreement"] = _fields(strategy, TEXTS["agreement"])
    for a in strategy.activities.all():
        parts = [
            date_range(a.starts, a.ends),
            a.get_kind_display(),
            a.title,
            a.owner.name if a.owner else "",
            _eur(a.budget) if a.budget is not None else "",
            a.get_status_display(),
            a.event.title if a.event else "",
        ]
        out["roadmap"].append("- " + " · ".join(p for p in parts if p))
    out["finance"] = _fields(strategy, TEXTS["finance"])
    lines = list(strategy.budget.all())
    if lines:
        out["finance"] += ([""] if out["finance"] else []) + [
            f"- {b.label}: {_eur(b.amount)}" + (f" ({b.source})" if b.source else "") for b in lines
        ]
        out["finance"].append(_("Total: %(total)s") % {"total": _eur(sum(b.amount for b in lines))})
    for c in strategy.communication.all():
        out["communication"].append(
            f"- {c.audience} · {c.channels} · {c.message}" + (f" · {c.timing}" if c.timing else "")
        )
    for k in strategy.kpis.all():
        out["kpis"].append(f"- {k.indicator}: {k.target}" + (f" ({k.by})" if k.by else ""))
    return {key: "\n".join(lines) for key, lines in out.items()}


def compare(before: str, after: str) -> list[tuple[str, str]]:
    """Two texts line by line: ("same" | "removed" | "added", line)."""
    a, b = before.splitlines(), after.splitlines()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out += [("same", line) for line in a[i1:i2]]
            continue
        out += [("removed", line) for line in a[i1:i2]]
        out += [("added", line) for line in b[j1:j2]]
    return out


# -- the roadmap as a Gantt chart ---------------------------------------------------------------------------------

LABEL_W, MONTH_W, ROW_H, TOP = 250, 46, 26, 30
STATUS_COLOURS = {"planned": "#7cc09b", "under_way": "#24805e", "done": "#13503b", "cancelled": "#b8c2bc"}


# The years a roadmap plans: from a few years back (activities done) to a strategy's horizon. Dates outside are
# refused by the form; the chart never spans more (a 1950 typo made it 930 months wide, and the Word export hang).
ROADMAP_YEARS_BACK, ROADMAP_YEARS_AHEAD = 5, 15


def roadmap_window(today: date | None = None) -> tuple[date, date]:
    """The first and last day a roadmap activity may have."""
    year = (today or date.today()).year
    return date(year - ROADMAP_YEARS_BACK, 1, 1), date(year + ROADMAP_YEARS_AHEAD, 12, 31)


def roadmap_months(activities: list[Activity]) -> list[date]:
    """The first day of each month the activities span, from the first start to the last end, within
    `roadmap_window` (the Gantt chart's scale, and the DOCX's Gantt table's columns)."""
    earliest, latest = roadmap_window()
    month = max(min(a.starts for a in activities), earliest).replace(day=1)
    last = min(max(a.ends for a in activities), latest)
    month = min(month, last.replace(day=1))
    months = []
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _month_index(day: date, first: date) -> float:
    """Months from the first month's start to `day`, with the day as a fraction of its month."""
    days = calendar.monthrange(day.year, day.month)[1]
    return (day.year - first.year) * 12 + day.month - first.month + (day.day - 1) / days


def gantt(activities: list[Activity]) -> dict[str, Any] | None:
    """Bars of the activities on a scale of months (SVG units), or None without activities."""
    if not activities:
        return None
    months = roadmap_months(activities)
    first = months[0]
    width = LABEL_W + len(months) * MONTH_W + 10
    ticks = [
        {
            "x": LABEL_W + m * MONTH_W,
            "label": str(MONTHS_AP[month.month]),
            "year": month.year if month.month == 1 or m == 0 else "",
        }
        for m, month in enumerate(months)
    ]
    bars = []
    right = LABEL_W + len(months) * MONTH_W
    for row, a in enumerate(activities):  # an activity beyond the chart's window is drawn to its edge
        x0 = min(max(LABEL_W + _month_index(a.starts, first) * MONTH_W, LABEL_W), right - 4)
        x1 = min(max(LABEL_W + (_month_index(a.ends, first) + 1 / 30) * MONTH_W, LABEL_W), right)
        bars.append(
            {
                "y": TOP + row * ROW_H,
                "x": round(x0, 1),
                "width": round(max(x1 - x0, 4), 1),
                "label": a.title if len(a.title) <= 34 else a.title[:33].rstrip() + "…",
                "colour": STATUS_COLOURS.get(a.status, "#7cc09b"),
                "title": f"{a.title}: {date_range(a.starts, a.ends)} ({a.get_status_display()})",
            }
        )
    return {
        "view_box": f"0 0 {width:.0f} {TOP + len(activities) * ROW_H + 10}",
        "width": width,
        "height": TOP + len(activities) * ROW_H + 10,
        "ticks": ticks,
        "bars": bars,
        "label_w": LABEL_W,
        "month_w": MONTH_W,
        "row_h": ROW_H,
        "legend": [(str(label), STATUS_COLOURS[key]) for key, label in Activity.Status.choices],
    }
