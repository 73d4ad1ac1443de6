"""The results of an assessment as a PDF (WeasyPrint: HTML and CSS to PDF, the chart as SVG)."""

from greenbridge.core.pdf import html_to_pdf


def report_pdf(html: str) -> bytes:
    return html_to_pdf(html, "assessments/report.css")
