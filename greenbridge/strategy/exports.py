"""A strategy as a Word document (python-docx: headings, paragraphs, tables; the roadmap as a Gantt table whose
cells are shaded by month), as a PDF (WeasyPrint, with the Gantt chart as SVG) and its roadmap as iCalendar."""

from __future__ import annotations

import io
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from icalendar import Event as CalendarEvent

from greenbridge.core.ics import new_calendar
from greenbridge.core.pdf import html_to_pdf

from .models import Strategy
from .sections import SECTIONS, STATUS_COLOURS, month_end, roadmap_months, text_of


def _shade(cell, colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), colour.lstrip("#"))
    props.append(fill)


def _gantt_table(doc, strategy: Strategy) -> None:
    activities = list(strategy.activities.all())
    if not activities:
        return
    months = roadmap_months(activities)
    table = doc.add_table(rows=1 + len(activities), cols=1 + len(months))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.cell(0, 0).text = _("Activity")
    for i, month in enumerate(months, 1):
        table.cell(0, i).text = month.strftime("%m/%y")
    for r, a in enumerate(activities, 1):
        table.cell(r, 0).text = a.title
        for i, month in enumerate(months, 1):
            if a.starts <= month_end(month) and a.ends >= month:
                _shade(table.cell(r, i), STATUS_COLOURS.get(a.status, "#7cc09b"))
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(7)


def strategy_docx(strategy: Strategy) -> bytes:
    """The strategy as a Word document: each section as its text (as a version keeps it), the SWOT as a table of
    four quadrants and the roadmap as a Gantt table too."""
    texts = text_of(strategy)
    doc = Document()
    doc.add_heading(strategy.title, level=0)
    members = ", ".join(f"{m.organisation.name} ({m.get_role_display()})" for m in strategy.members.all())
    doc.add_paragraph(members)
    for key, title in SECTIONS.items():
        doc.add_heading(str(title), level=1)
        if key == "swot" and strategy.swot.exists():
            table = doc.add_table(rows=2, cols=2)
            table.style = "Table Grid"
            quadrants = strategy.swot.model.Quadrant.choices
            for n, (quadrant, label) in enumerate(quadrants):
                cell = table.cell(n // 2, n % 2)
                cell.text = str(label)
                cell.paragraphs[0].runs[0].bold = True
                for item in strategy.swot.filter(quadrant=quadrant):
                    line = item.text + (f" [{item.evidence_label}]" if item.evidence_label else "")
                    cell.add_paragraph(line, style="List Bullet")
            continue
        lines = texts[key].splitlines()
        if not lines:
            doc.add_paragraph(_("(empty)"))
        for line in lines:
            if line.startswith("- "):
                doc.add_paragraph(line[2:], style="List Bullet")
            elif line:
                doc.add_paragraph(line)
        if key == "roadmap":
            _gantt_table(doc, strategy)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def strategy_pdf(html: str) -> bytes:
    return html_to_pdf(html, "strategy/print.css")


def roadmap_calendar(strategy: Strategy) -> bytes:
    """The roadmap's activities as all-day events (the end day included)."""
    cal = new_calendar("Strategies", strategy.title)
    stamp = timezone.now()
    where = f"{settings.BASE_URL}{strategy.get_absolute_url()}"
    for a in strategy.activities.select_related("owner", "event"):
        item = CalendarEvent()
        item.add("uid", f"strategy-activity-{a.pk}@greenbridge")
        item.add("summary", f"{a.get_kind_display()}: {a.title}")
        item.add("dtstart", a.starts)
        item.add("dtend", a.ends + timedelta(days=1))
        item.add("dtstamp", stamp)
        item.add("url", (a.event and f"{settings.BASE_URL}{a.event.get_absolute_url()}") or where)
        item.add("description", "\n".join(x for x in (strategy.title, a.owner.name if a.owner else "", where) if x))
        if a.status == "cancelled":
            item.add("status", "CANCELLED")
        cal.add_component(item)
    return cal.to_ical()
