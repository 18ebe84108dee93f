"""Every documented profile option, given a bad value, is refused in one line naming where and why."""

from __future__ import annotations

import pytest

from concord.ingest.engine.profiles import ColumnSpec, Profile, ProfileError, profile_from_dict
from concord.ingest.engine.run import ingest_file

BASE = {
    "name": "p",
    "table": "interactions",
    "format": "csv",
    "source": "src",
    "columns": {
        "external_id": "id",
        "provider": {"const": "PA"},
        "program": {"const": "CARE"},
        "channel": {"const": "voice"},
        "created_at": "created",
        "updated_at": "created",
        "talk_seconds": {"field": "talk"},
    },
}

COLUMN_OPTIONS = {
    "field": 5,
    "const": {"a": 1},
    "formats": 5,
    "timezone": "Mars/Olympus",
    "map": "phone=voice",
    "unit": "parsecs",
    "default": ["a"],
    "optional": "maybe",
    "fallback": 5,
    "offset_from": "talk_seconds",
    "time_field": 5,
    "multiply_by": "channel",
    "counts": "often",
    "aliases": 5,
}
PROFILE_OPTIONS = {
    "table": "calls",
    "format": "xlsx",
    "source": ["a"],
    "timezone": "Mars/Olympus",
    "timestamp_formats": 5,
    "true_values": 5,
    "false_values": 5,
    "unknown_agents": "maybe",
    "transform": "rm_rf",
    "transform_options": "x",
    "records": 5,
    "delimiter": "ab",
    "encoding": "klingon-8",
    "decimal": ";",
    "description": 5,
}


def test_every_documented_option_is_covered():
    assert set(COLUMN_OPTIONS) == set(ColumnSpec.__dataclass_fields__)
    assert set(PROFILE_OPTIONS) | {"name", "columns"} == set(Profile.__dataclass_fields__)


@pytest.mark.parametrize(("option", "bad"), COLUMN_OPTIONS.items())
def test_a_bad_column_option_names_the_column_and_the_reason(option, bad):
    spec = {"field": "talk", option: bad} if option != "const" else {"const": bad}
    data = {**BASE, "columns": {**BASE["columns"], "talk_seconds": spec}}
    with pytest.raises(ProfileError) as err:
        profile_from_dict(data)
    message = str(err.value)
    assert "columns.talk_seconds" in message and option in message and "\n" not in message, message


@pytest.mark.parametrize(("option", "bad"), PROFILE_OPTIONS.items())
def test_a_bad_profile_option_names_it_and_the_reason(option, bad):
    with pytest.raises(ProfileError) as err:
        profile_from_dict({**BASE, option: bad})
    message = str(err.value)
    assert option in message and "\n" not in message, message


def test_a_bad_option_through_a_run_is_one_error_and_writes_nothing(lake, write):
    path = write("in.csv", "id,created,talk\n1,2026-03-02T10:00:00Z,5\n")
    result = ingest_file(path, {**BASE, "decimal": ";"}, lake)
    assert len(result.errors) == 1 and "decimal" in result.errors[0] and lake.version("interactions") is None


def test_a_transform_that_meets_a_bad_value_rejects_that_row_naming_it(lake, tmp_path):
    import json

    from concord.ingest.engine.profiles import IngestOptions, load_profile, with_options

    ticket = {"id": 1, "status": "open", "via": {"channel": "web"}, "created_at": "2026-03-02T09:00:00Z",
              "updated_at": "2026-03-02T09:00:00Z", "url": "https://acme.zendesk.com/api/v2/tickets/1.json"}
    page = {"tickets": [ticket, {**ticket, "id": 2, "url": ticket["url"].replace("/1.", "/2.")}],
            "metric_sets": [{"ticket_id": 1, "reopens": "many"}]}
    path = tmp_path / "zd.json"
    path.write_text(json.dumps(page))
    profile = with_options(load_profile("zendesk-json"), IngestOptions(program="CARE"))
    result = ingest_file(path, profile, lake, bound_provider="PA", quarantine_path=tmp_path / "q.csv")
    assert (result.errors, result.accepted, result.rejected) == ([], 1, 1)
    assert "metric set reopens: not a number: 'many'" in (tmp_path / "q.csv").read_text()
