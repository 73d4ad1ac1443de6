"""HTML and CSS to PDF (WeasyPrint): the assessments' reports and the strategies' exports."""

from django.contrib.staticfiles import finders


def html_to_pdf(html: str, stylesheet: str) -> bytes:
    """`html` as a PDF, styled by the static file `stylesheet`. No base URL: the page has everything inline
    (charts are SVG in the page) and fetches nothing."""
    from weasyprint import CSS, HTML  # imported when a PDF is asked for: it loads Pango

    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find(stylesheet))])
