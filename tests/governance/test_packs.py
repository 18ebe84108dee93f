"""Review packs: built from live data, frozen when the meeting closes, restatements noted beside the
frozen figure; client-only agenda items and notes never reach a partner, in the page or the PDF.

Hand numbers (conftest): PA's AHT is 300 s in May 2026 and 360 s in April; nothing in May 2025.
A contact of 1000 s added to May after the freeze makes May's AHT (1200 + 1000) / 5 = 440 s.
"""

import datetime as dt

import pytest

from concord.governance import services
from concord.governance.packs import render
from concord.governance.packs.build import meeting_pack

from .conftest import MAY, contact, write_lake


def _aht(pack):
    (card,) = pack.sections["scorecard"]["cards"]
    (line,) = card["lines"]
    return line


def _layout_text(document) -> str:
    """Every string WeasyPrint laid out on the PDF's pages (the text the PDF draws)."""
    out = []

    def walk(box):
        text = getattr(box, "text", None)
        if isinstance(text, str):
            out.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(out)


def test_the_pack_reads_the_period_against_the_previous_one_and_last_year(world, lake_uri, card, meeting):
    pack = meeting_pack(meeting, user=world.users["client_admin"])
    line = _aht(pack)
    assert (line["value"], line["previous"], line["last_year"], line["volume"]) == (300.0, 360.0, None, 4)
    assert pack.sections["scorecard"]["periods"] == {"value": "May 2026", "previous": "April 2026",
                                                     "last_year": "May 2025"}  # fmt: skip
    assert pack.lake_versions == {"interactions": 0}
    assert list(pack.sections) == ["scorecard", "sla", "follow_up", "quality", "drift", "knowledge"]  # a tactical pack
    assert pack.sections["drift"]["alerts"] == [] and not pack.frozen
    assert pack.sections["knowledge"] == {"changes": []}  # no article asked for acknowledgement


@pytest.mark.slow
def test_closing_freezes_numbers_charts_and_versions_and_a_restatement_is_only_noted(world, lake_uri, card, meeting):
    admin = world.users["client_admin"]
    services.close_meeting(actor=admin, meeting=meeting)
    pack = meeting_pack(meeting, user=admin)
    assert pack.frozen and set(pack.svgs) == {f"scorecard-{card.pk}"}
    assert pack.svgs[f"scorecard-{card.pk}"].startswith("<svg")
    write_lake(lake_uri, [contact("PA", talk=1000, when=MAY)])  # a late contact restates May
    pack = meeting_pack(meeting, user=admin)
    assert _aht(pack)["value"] == 300.0 and pack.lake_versions == {"interactions": 0}
    pv = render.view(admin, pack)
    # AHT now 440 s; the index: attainment 300 / 440 on a lower-is-better line, on a 0-100 scale capped at 1.2
    restated = pv.restated["scorecard"]
    assert restated.keys() == {_aht(pack)["key"], f"{card.pk}:index"}
    assert restated[_aht(pack)["key"]] == 440.0
    assert abs(restated[f"{card.pk}:index"] - 100 * (300 / 440) / 1.2) < 1e-9
    page = _page(world, meeting)
    assert "Frozen" in page and "restated since: now 7m 20s" in page and "5m 00s" in page
    # closing again changes nothing
    services.close_meeting(actor=admin, meeting=meeting)
    assert meeting_pack(meeting, user=admin).frozen_at == pack.frozen_at


def _page(world, meeting):
    from django.test import Client

    c = Client()
    c.force_login(world.users["client_admin"])
    return c.get(f"/governance/meetings/{meeting.pk}/pack/").content.decode()


@pytest.mark.slow
def test_client_only_items_stay_client_only_in_the_pdf(world, lake_uri, card, meeting):
    admin, lead = world.users["client_admin"], world.users["partner_a_lead"]
    services.note_add(actor=admin, meeting=meeting, text="Walk-away price is 12 EUR an hour", client_only=True)
    services.note_add(actor=lead, meeting=meeting, text="Night shift hired 12 agents")
    services.close_meeting(actor=admin, meeting=meeting)
    pack = meeting_pack(meeting, user=admin)
    client_pdf = _layout_text(render.document(render.view(admin, pack), printed_by="client_admin"))
    partner_pdf = _layout_text(render.document(render.view(lead, pack), printed_by="partner_a_lead"))
    for secret in ("Walk-away price", "Commercial position"):
        assert secret in client_pdf and secret not in partner_pdf
    assert "Night shift hired 12 agents" in partner_pdf and "Frozen" in partner_pdf
    pdf, pages = render.pdf(render.view(lead, pack), printed_by="partner_a_lead")
    assert pdf.startswith(b"%PDF-") and pages >= 1


def test_a_partner_sees_its_pack_and_not_anothers(world, lake_uri, card, meeting, client):
    pack = meeting_pack(meeting, user=world.users["client_admin"])
    client.force_login(world.users["partner_b_lead"])
    assert client.get(f"/governance/packs/{pack.pk}/pdf/").status_code == 404
    client.force_login(world.users["partner_a_lead"])
    response = client.get(f"/governance/packs/{pack.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert dt.date(2026, 5, 1) == pack.period_start


def test_the_drift_section_reads_the_drift_selector_when_it_exists(world, meeting, monkeypatch):
    import sys
    import types

    asked = {}

    class Alert:
        pk = 7

        def __str__(self):
            return "AHT drifting up since 12 May"

        def get_absolute_url(self):
            return "/performance/drift/7/"

    def alerts(*, user, provider, start, end):
        asked.update(provider=provider.code, start=start, end=end)
        return [Alert()]

    monkeypatch.setitem(sys.modules, "concord.performance.drift_selectors", types.SimpleNamespace(alerts=alerts))
    pack = meeting_pack(meeting, user=world.users["client_admin"])
    assert pack.sections["drift"]["alerts"] == [
        {"id": 7, "text": "AHT drifting up since 12 May", "url": "/performance/drift/7/"}
    ]
    assert asked == {"provider": "PA", "start": dt.date(2026, 5, 1), "end": dt.date(2026, 6, 1)}


def test_a_pack_with_a_knowledge_change_in_its_period_is_stored_and_shown(world, lake_uri, card, meeting, client):
    """CI's production run (PostgreSQL) answered 500 on the open meetings' packs: the knowledge section carried a
    datetime, which a JSON column cannot store. Every section's data is plain JSON; the change reads as the
    reporting-zone day it was published (23:30 UTC on 11 May is 12 May in Madrid)."""
    import json

    from concord.knowledge import services as knowledge
    from concord.knowledge.models import ArticleVersion

    version = knowledge.publish(
        user=world.users["client_admin"], program=world.program_shared,
        data=knowledge.ArticleInput(slug="refunds", title="Refund window 14 days", body="Refunds.", requires_ack=True),
    ).version  # fmt: skip
    ArticleVersion.objects.filter(pk=version.pk).update(created_at=dt.datetime(2026, 5, 11, 23, 30, tzinfo=dt.UTC))
    pack = meeting_pack(meeting, user=world.users["client_admin"])
    json.dumps(pack.sections)  # no encoder: what the database column receives
    pack.refresh_from_db()
    (change,) = pack.sections["knowledge"]["changes"]
    assert (change["title"], change["published"]) == ("Refund window 14 days", "2026-05-12")
    client.force_login(world.users["partner_a_lead"])
    page = client.get(f"/governance/meetings/{meeting.pk}/pack/")
    assert page.status_code == 200 and "2026-05-12" in page.content.decode()
