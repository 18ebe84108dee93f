"""The credit statement as a PDF (WeasyPrint: HTML and CSS to PDF, no browser), for the page and the CLI."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import StatementView


def statement_pdf(view: StatementView) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only this export needs

    with timezone.override(settings.REPORTING_TIMEZONE):
        html = render_to_string("contracts/statement_print.html", {"view": view, "printed_at": timezone.now()})
    return HTML(string=html).write_pdf()
