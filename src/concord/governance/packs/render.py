"""A pack as the viewer may see it: the page and the PDF share one view; client-only agenda items
and notes are left out for a partner's people before any template sees them."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .. import selectors
from ..models import Pack
from .build import draw, restatements
from .sections import SECTIONS


@dataclass
class PackView:
    pack: Pack
    sections: list[dict]
    restated: dict
    agenda: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    client_view: bool = False

    @property
    def title(self) -> str:
        p = self.pack
        return f"{p.get_cadence_kind_display()} · {p.provider.name} · {self.period_label}"

    @property
    def period_label(self) -> str:
        from concord import periods

        return periods.label(self.pack.period_start, self.pack.grain)


def view(user, pack: Pack) -> PackView:
    meeting = pack.meeting
    agenda = list(selectors.agenda(user, meeting)) if meeting else []
    notes = list(selectors.notes(user, meeting)) if meeting else []
    restated = restatements(pack)
    sections = [
        {
            "key": k,
            "title": SECTIONS[k].title,
            "template": SECTIONS[k].template,
            "data": data,
            "restated": restated.get(k, {}),
        }
        for k, data in pack.sections.items()
        if k in SECTIONS
    ]
    return PackView(pack, sections, restated, agenda, notes, selectors.sees_client_only(user))


def svg_images(pack: Pack) -> dict[str, str]:
    """Chart id -> a data: URI of its SVG: the frozen drawings, or drawn now for a live pack."""
    svgs = pack.svgs if pack.frozen or pack.svgs else draw(pack.charts)
    return {k: "data:image/svg+xml;base64," + base64.b64encode(v.encode()).decode() for k, v in svgs.items()}


def html(pv: PackView, *, printed_by: str) -> str:
    with timezone.override(settings.REPORTING_TIMEZONE):
        return render_to_string(
            "governance/pack_print.html",
            {"pv": pv, "images": svg_images(pv.pack), "printed_at": timezone.now(), "printed_by": printed_by},
        )


def document(pv: PackView, *, printed_by: str):
    """The laid-out WeasyPrint document (its pages; ``write_pdf`` makes the file)."""
    from weasyprint import HTML  # loads Pango: only packs and statements need it

    return HTML(string=html(pv, printed_by=printed_by)).render()


def pdf(pv: PackView, *, printed_by: str) -> tuple[bytes, int]:
    doc = document(pv, printed_by=printed_by)
    return doc.write_pdf(), len(doc.pages)
