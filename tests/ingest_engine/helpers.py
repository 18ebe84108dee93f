import pytest

from concord.lake.store import Lake

HEADER = (
    "source,external_id,provider,program,channel,created_at,resolved_at,updated_at,wait_seconds,csat,nps,agent,site"
)


@pytest.fixture
def lake(tmp_path):
    return Lake(tmp_path / "lake")


@pytest.fixture
def write(tmp_path):
    def _write(name: str, text: str | bytes, encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return path

    return _write


def row(
    i,
    *,
    provider="ALPHA",
    channel="chat",
    created="2024-03-01T10:00:00Z",
    resolved="2024-03-01T10:30:00Z",
    updated="2024-03-01T11:00:00Z",
    wait="12.5",
    csat="",
    nps="",
    agent="A1",
    site="LIS",
):
    return f"zd,T{i},{provider},CARE,{channel},{created},{resolved},{updated},{wait},{csat},{nps},{agent},{site}"


def csv_text(*rows):
    return HEADER + "\n" + "\n".join(rows) + "\n"
