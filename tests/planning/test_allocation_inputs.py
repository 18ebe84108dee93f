"""Allocation inputs from elsewhere: quality from the performance scorecard, hours of coverage per provider."""

from __future__ import annotations

import datetime as dt

import pytest

from concord.performance import services as performance_services
from concord.planning import selectors
from concord.planning.allocation_forms import AllocationForm

MAY, APRIL = dt.date(2026, 5, 1), dt.date(2026, 4, 1)


@pytest.fixture
def scored_lake(settings, tmp_path, world):
    """The performance tests' tiny lake: May 2026 PA index 91.667, PB 20.833; April has PA only."""
    import importlib.util
    from pathlib import Path

    source = Path(__file__).parents[1] / "performance" / "conftest.py"
    spec = importlib.util.spec_from_file_location("perf_conftest", source)
    perf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(perf)
    uri = str(tmp_path / "lake")
    perf.write_lake(uri, perf.TINY)
    settings.LAKE_URI = uri
    settings.REPORTING_TIMEZONE = "Europe/Madrid"
    performance_services.scorecard_create(
        actor=world.users["client_admin"],
        program=world.program_shared,
        name="Shared card",
        lines=[
            {"metric_key": "aht", "target": 300, "weight": 1, "min_volume": 1},
            {"metric_key": "service_level", "params": {"threshold_seconds": 20}, "target": 80, "weight": 1,
             "min_volume": 1},
            {"metric_key": "csat", "target": 80, "weight": 1},
        ],
    )  # fmt: skip
    return uri


def test_quality_is_the_scorecard_index_of_the_last_full_month(world, scored_lake, client_admin):
    quality, month, _ = selectors.scorecard_quality(client_admin, [world.partner_a, world.partner_b], month=MAY)
    assert month == MAY
    assert quality["PA"] == (pytest.approx(91.7), ["Shared card"])
    assert quality["PB"] == (pytest.approx(20.8), ["Shared card"])


def test_allocation_page_prefills_quality_and_falls_back_with_a_note(
    world, scored_lake, client_admin, login, monkeypatch
):
    # given the last full month is May: PA and PB have an index
    monkeypatch.setattr(selectors, "last_full_month", lambda today=None: MAY)
    page = login(client_admin).get("/planning/allocation/")
    form = page.context["form"]
    assert form[f"p{world.partner_a.pk}_quality"].value() == pytest.approx(91.7)
    assert form[f"p{world.partner_b.pk}_quality"].value() == pytest.approx(20.8)
    assert "PA scorecard index for May 2026 (Shared card)" in page.content.decode()
    # given April, when PB had no contacts: PB falls back to a manual 100, and the page says so
    monkeypatch.setattr(selectors, "last_full_month", lambda today=None: APRIL)
    page = login(client_admin).get("/planning/allocation/")
    assert page.context["form"][f"p{world.partner_b.pk}_quality"].value() == 100.0
    assert "PB no scorecard index for April 2026: enter it by hand" in page.content.decode()


def test_a_role_without_scorecards_enters_quality_by_hand(world):
    viewer = world.users["partner_a_agent"]  # agents have no performance view
    quality, _, why = selectors.scorecard_quality(viewer, [world.partner_a], month=MAY)
    assert quality == {} and "does not see scorecards" in why


@pytest.mark.parametrize(
    ("text", "hours"),
    [("24/7", None), ("", None), ("08-20", (8, 20)), ("8-20", (8, 20)), ("20-08", (20, 8)), ("00-24", None)],
)
def test_parse_hours(text, hours):
    assert selectors.parse_hours(text) == hours


@pytest.mark.parametrize("text", ["9am-5pm", "25-3", "08-08", "8"])
def test_parse_hours_refuses(text):
    with pytest.raises(ValueError, match=r"HH-HH|differ|start"):
        selectors.parse_hours(text)


def _terms(code, rate, hours, capacity=100.0):
    return selectors.ProviderTerms(
        provider_id=0, name=code, rate=rate, capacity=capacity, languages=frozenset({"en"}), quality_index=100,
        min_share=0, max_share=1, headcount=0, annual_attrition=None, hours=hours,
    )  # fmt: skip


def test_a_provider_only_takes_the_hours_it_covers():
    # given 48 FTE of English needed 24/7; PA (900 a week) open 08-20, PB (1000) 24/7
    # the day is cut where the set of providers open changes: 00-08 (PB), 08-20 (both), 20-24 (PB),
    # carrying 48 x 8/24 = 16, 48 x 12/24 = 24 and 48 x 4/24 = 8 FTE
    terms = [_terms("PA", 900, (8, 20)), _terms("PB", 1000, None)]
    out = selectors.compare_allocations({"en": 48}, terms, [selectors.ScenarioSpec("Base")])
    assert [(b.label, b.hours) for b in out["bands"]] == [("00:00-08:00", 8), ("08:00-20:00", 12), ("20:00-24:00", 4)]
    base = out["results"][0]
    # then the cheaper PA takes all of its 12 hours (24 FTE) and PB the rest (16 + 8): 24 x 900 + 24 x 1000
    assert base.shares == pytest.approx({"PA": 0.5, "PB": 0.5})
    assert base.cost == pytest.approx(24 * 900 + 24 * 1000)
    assert {per for (prov, per, _), v in base.allocation.items() if prov == "PA"} == {"08:00-20:00"}


def test_work_needed_only_in_the_day_goes_to_the_day_provider():
    # given the work is needed 08-20 only, PA covers all of it and is cheaper: it takes everything
    terms = [_terms("PA", 900, (8, 20)), _terms("PB", 1000, None)]
    out = selectors.compare_allocations({"en": 48}, terms, [selectors.ScenarioSpec("Base")], demand_hours=(8, 20))
    assert out["results"][0].shares == pytest.approx({"PA": 1.0, "PB": 0.0})


def test_nobody_covering_the_night_is_named():
    # given both providers work days only, 24/7 work cannot be placed at night
    terms = [_terms("PA", 900, (8, 20)), _terms("PB", 1000, (6, 22))]
    out = selectors.compare_allocations({"en": 24}, terms, [selectors.ScenarioSpec("Base")])
    base = out["results"][0]
    assert not base.feasible and "no eligible provider covers en in 00:00-06:00" in base.message


def test_hours_on_the_page_and_in_the_api(world, client_admin, login, settings):
    settings.REPORTING_TIMEZONE = "Asia/Manila"  # the sites' own zone: hours are not moved
    client = login(client_admin)
    # an hours field that does not parse is named next to it
    pa = world.partner_a.pk
    form = AllocationForm.from_json(
        {"demand": {"en": 10}, "providers": [{"provider": "PA", "hours": "nine to five"}]},
        defaults=selectors.provider_defaults(client_admin),
    )
    assert not form.is_valid() and f"p{pa}_hours" in form.errors
    # and the API places day-only PA in the day band only
    response = client.post(
        "/api/planning/allocation/",
        {"demand": {"en": 48}, "volume_up": 0, "lost_provider": "",
         "providers": [{"provider": "PA", "rate": 900, "capacity": 100, "hours": "08-20"},
                       {"provider": "PB", "rate": 1000, "capacity": 100, "hours": "24/7"}]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    (base,) = response.json()["scenarios"]
    pa_row = next(a for a in base["allocation"] if a["provider"] == "PA")
    assert pa_row["fte"] == pytest.approx(24) and [s["period"] for s in pa_row["segments"]] == ["08:00-20:00"]


@pytest.mark.parametrize(
    ("hours", "to_zone", "on", "moved"),
    [
        ((8, 20), "Europe/Madrid", dt.date(2026, 1, 15), (1, 13)),  # Manila UTC+8, Madrid UTC+1 in winter
        ((8, 20), "Europe/Madrid", dt.date(2026, 7, 15), (2, 14)),  # Madrid UTC+2 in summer
        ((8, 20), "UTC", dt.date(2026, 1, 15), (0, 12)),
        ((4, 20), "UTC", dt.date(2026, 1, 15), (20, 12)),  # runs past midnight UTC
        ((18, 8), "UTC", dt.date(2026, 1, 15), (10, 24)),
        (None, "UTC", dt.date(2026, 1, 15), None),
    ],
)
def test_site_hours_move_to_the_reporting_clock(hours, to_zone, on, moved):
    assert selectors.shift_hours(hours, "Asia/Manila", to_zone, on) == moved


def test_a_manila_day_shift_covers_the_utc_night(world, client_admin, login, settings):
    # given the reporting zone is UTC and PA's Manila site works 08-20 local (00-12 UTC), PB 24/7
    settings.REPORTING_TIMEZONE = "UTC"
    response = login(client_admin).post(
        "/api/planning/allocation/",
        {"demand": {"en": 48}, "volume_up": 0, "lost_provider": "", "demand_hours": "24/7",
         "providers": [{"provider": "PA", "rate": 900, "capacity": 100, "hours": "08-20"},
                       {"provider": "PB", "rate": 1000, "capacity": 100}]},
        content_type="application/json",
    )  # fmt: skip
    (base,) = response.json()["scenarios"]
    pa_row = next(a for a in base["allocation"] if a["provider"] == "PA")
    # then PA takes the 00-12 UTC half of the day: 24 of the 48 FTE
    assert [s["period"] for s in pa_row["segments"]] == ["00:00-12:00"] and pa_row["fte"] == pytest.approx(24)
