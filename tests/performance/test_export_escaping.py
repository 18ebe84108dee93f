"""Exports keep hostile names as text (#9.6): a team named like a formula is not a live formula in CSV or Excel.

Rule from OWASP's CSV injection guidance (ASVS 1.2.10): a text cell starting with = + - @, tab or
carriage return gets a leading single quote in CSV; in Excel it is stored as a string with the quote prefix.
"""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from .conftest import contact, write_lake

EVIL_TEAM = '=HYPERLINK("http://evil.example","x")'


def _breakdown(client, world, fmt):
    return client.get(
        f"/performance/providers/{world.partner_a.pk}/", {"period": "2026-05", "by": "team", "format": fmt}
    )


def test_a_team_named_like_a_formula_stays_text(world, lake_uri, card, login, settings):
    write_lake(lake_uri, [contact("PA", "PA-001", talk=300, wait=10, team=EVIL_TEAM)])
    client = login(world.users["partner_a_lead"])

    rows = list(csv.DictReader(io.StringIO(_breakdown(client, world, "csv").content.decode())))
    teams = [r["team"] for r in rows]
    assert "'" + EVIL_TEAM in teams and EVIL_TEAM not in teams

    sheet = load_workbook(io.BytesIO(_breakdown(client, world, "xlsx").content)).active
    cells = [c for c in sheet["A"] if c.value == EVIL_TEAM]
    assert cells, [c.value for c in sheet["A"]]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)  # openpyxl would store "f": a formula
