"""Property tests: messy CSV files never crash the run and never break its invariants."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord.ingest.engine.run import ingest_file
from concord.lake.store import Lake

COLUMNS = [
    "source",
    "external_id",
    "provider",
    "program",
    "channel",
    "created_at",
    "wait_seconds",
    "csat",
    "updated_at",
]
cell = st.one_of(
    st.sampled_from(
        [
            "",
            "abc",
            "-1",
            "3",
            "7.5",
            "chat",
            "voice",
            "2024-01-02T03:04:05Z",
            "2024-13-40",
            "ALPHA",
            "x,y",
            'q"uote',
            "é ü €",
        ]
    ),
    st.text(max_size=8),
    st.text(min_size=2000, max_size=3000, alphabet="ab"),  # huge field
)


@st.composite
def messy_csv(draw):
    names = draw(st.lists(st.sampled_from([*COLUMNS, "extra", "source"]), min_size=0, max_size=12))
    if draw(st.booleans()):
        names = [c for c in COLUMNS if draw(st.booleans()) or c in ("external_id", "created_at")] + names[:2]
    n = draw(st.integers(0, 12))
    ids = st.sampled_from(["1", "2", "3", ""]) if draw(st.booleans()) else st.sampled_from([str(i) for i in range(50)])
    rows = []
    for _ in range(n):
        values = {c: draw(cell) for c in names}
        if "external_id" in values:
            values["external_id"] = draw(ids)
        width = len(names) + draw(st.sampled_from([0, 0, 0, 1, -1]))
        rows.append([values.get(c, "") for c in names][:width] + ["?"] * (width - len(names)))
    delim = draw(st.sampled_from([",", ";", "\t", "|"]))
    quote = draw(st.booleans())

    def fmt(v):
        v = str(v)
        if quote or any(ch in v for ch in (delim, '"', "\n", "\r")):
            return '"' + v.replace('"', '""') + '"'
        return v

    text = "\n".join(delim.join(fmt(v) for v in r) for r in [names, *rows]) + ("\n" if rows else "")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 20)) == 0:
        data = b""
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(messy_csv())
def test_messy_csv_keeps_the_invariants(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "messy.csv"
        path.write_bytes(data)
        lake = Lake(Path(tmp) / "lake")
        first = ingest_file(
            path,
            "canonical-csv",
            lake,
            bound_provider="ALPHA",
            constants={"program": "CARE"},
            quarantine_path=Path(tmp) / "q1.csv",
        )
        assert first.read == first.accepted + first.rejected
        for message in first.errors:
            assert "messy.csv" in message or "profile" in message
            assert "Traceback" not in message and len(message) < 600
        version = lake.version("interactions")
        second = ingest_file(
            path,
            "canonical-csv",
            lake,
            bound_provider="ALPHA",
            constants={"program": "CARE"},
            quarantine_path=Path(tmp) / "q2.csv",
        )
        assert second.read == second.accepted + second.rejected
        assert second.inserted == second.updated == 0
        assert lake.version("interactions") == version
