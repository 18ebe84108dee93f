"""The credit statement as a PDF (WeasyPrint: HTML and CSS to PDF, no browser), for the page and the CLI."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import StatementView


def statement_html(view: StatementView) -> str:
    """The printable statement, exactly the HTML the PDF is made of."""
    with timezone.override(settings.REPORTING_TIMEZONE):
        return render_to_string("contracts/statement_print.html", {"view": view, "printed_at": timezone.now()})


def statement_pdf(view: StatementView) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only this export needs

    return HTML(string=statement_html(view)).write_pdf()
