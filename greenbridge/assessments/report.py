"""The results of an assessment as a PDF (WeasyPrint: HTML and CSS to PDF, the chart as SVG)."""

from django.contrib.staticfiles import finders


def report_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # imported when a report is asked for: it loads Pango

    stylesheet = finders.find("assessments/report.css")
    # No base URL: the report has everything inline (the chart is SVG in the page) and fetches nothing.
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)])
