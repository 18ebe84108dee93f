"""The objects each route is about, found or made from the test World.

Each function takes the World and returns (partner A's object, partner B's object),
or builds valid form data for a write (``*_post``).
"""

from __future__ import annotations


def _provider(w):
    return w.partner_a, w.partner_b


def _site(w):
    return w.site_a, w.site_b


def _team(w):
    return w.team_a, w.team_b


def _agent(w):
    return w.agent_a, w.agent_b


def _program(w):
    return w.program_shared, w.program_b_only


def _contact_type(w):
    return w.contact_type_shared, w.contact_type_b_only


def _site_post(w, obj=None):
    return {
        "code": "NEW",
        "name": "New site",
        "city": "Davao",
        "country": "PH",
        "timezone": "Asia/Manila",
        "languages": "en",
        "seats": 10,
    }


def _agent_post(w, obj=None):
    return {
        "employee_id": "NEW-1",
        "display_name": "New Person",
        "role": "agent",
        "status": "active",
        "hire_date": "2026-01-05",
    }


def _forecasts(w):
    """Two stored forecasts (client-side records: partners are refused by capability first)."""
    import datetime as dt

    from concord.planning.models import Forecast, ForecastPoint

    made = []
    for program in (w.program_shared, w.program_b_only):
        at = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
        forecast, _ = Forecast.objects.get_or_create(
            program=program,
            version=1,
            defaults={"grain": "60min", "horizon_days": 1, "model": "SeasonalNaive", "explanation": "test",
                      "status": "succeeded", "history_start": at - dt.timedelta(days=42), "history_end": at,
                      "created_by": w.users["client_admin"]},
        )  # fmt: skip
        ForecastPoint.objects.get_or_create(forecast=forecast, period_start=at, defaults={"base": 10, "value": 10})
        made.append(forecast)
    return tuple(made)


def _assignments(w):
    """Partner A's and partner B's shares of the shared program's forecast."""
    from concord.planning.models import VolumeAssignment

    shared, _ = _forecasts(w)
    return tuple(
        VolumeAssignment.objects.get_or_create(
            forecast=shared, provider=p, defaults={"share": 40, "created_by": w.users["client_admin"]}
        )[0]
        for p in (w.partner_a, w.partner_b)
    )


def _override_post(w, obj=None):
    return {"period_start": obj.points.get().period_start.isoformat(), "value": 12, "reason": "Known outage"}


def _events(w):
    import datetime as dt

    from concord.planning.models import PlanningEvent

    at = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    return tuple(
        PlanningEvent.objects.get_or_create(
            program=program, name=f"Mailing {program.code}",
            defaults={"start": at, "end": at + dt.timedelta(hours=4), "value": 1.3,
                      "created_by": w.users["client_admin"]},
        )[0]
        for program in (w.program_shared, w.program_b_only)
    )  # fmt: skip


def _event_post(w, obj=None):
    return {"program": w.program_shared.pk, "name": "Peak", "start": "2026-03-02T08:00", "end": "2026-03-02T12:00",
            "kind": "multiplicative", "value": 1.2}  # fmt: skip


def _erlang(w, **extra):
    return {"volume": 100, "interval_minutes": 30, "aht_seconds": 180, "target_sl": 80, "target_seconds": 20, **extra}


def _scorecard(w):
    from concord.performance.models import Scorecard

    own, _ = Scorecard.objects.get_or_create(program=w.program_shared, name="Shared card")
    other, _ = Scorecard.objects.get_or_create(program=w.program_b_only, name="B only card")
    return own, other


def _scorecard_line(w):
    from concord.performance.models import ScorecardMetric

    return tuple(
        ScorecardMetric.objects.get_or_create(scorecard=card, metric_key="aht", defaults={"target": 300})[0]
        for card in _scorecard(w)
    )


def _ingest_runs(w):
    """One failed upload of each partner, with a quarantine file (made lazily: the world has no runs)."""
    import tempfile
    from pathlib import Path

    from concord.ingest.models import IngestRun

    def make(provider):
        quarantine = Path(tempfile.gettempdir()) / f"concord-matrix-{provider.code}.quarantine.csv"
        quarantine.write_text("external_id,_row,_column,_reason\nX,1,csat,above the maximum 5\n")
        return IngestRun.objects.get_or_create(
            provider=provider,
            file_name=f"{provider.code}.csv",
            defaults=dict(
                started_by_name="matrix",
                via="upload",
                profile_name="canonical-csv",
                status="failed",
                read=1,
                rejected=1,
                quarantine_path=str(quarantine),
                file_path=str(quarantine),
            ),
        )[0]

    return make(w.partner_a), make(w.partner_b)


def _saved_profile(w):
    from concord.ingest.models import SavedProfile

    profile, _ = SavedProfile.objects.get_or_create(
        name="matrix",
        defaults={"table": "interactions", "definition": {"table": "interactions", "columns": {"external_id": "id"}}},
    )
    return profile, profile


def _upload_post(w, obj=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (
        b"source,external_id,provider,program,channel,created_at,updated_at\n"
        b"m,1,PA,SHARED,voice,2026-01-05T10:00:00Z,2026-01-05T10:00:00Z\n"
        b"m,3,PA,SHARED,voice,2026-01-05T10:00:00Z,2026-01-05T10:00:00Z\n"
    )
    return {"file": SimpleUploadedFile("matrix.csv", data), "profile": "canonical-csv"}


def _wizard_sample():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("sample.csv", b"external_id,channel,created_at\n1,voice,2026-01-05T10:00:00Z\n")


_PROFILE_YAML = "table: interactions\ncolumns:\n  external_id: id\n"


def _contract(w):
    import datetime as dt

    from concord.contracts.models import Contract

    def make(provider):
        return Contract.objects.get_or_create(
            provider=provider,
            name=f"{provider.code} contract",
            defaults={"start_date": dt.date(2026, 1, 1), "monthly_fee": 1000, "at_risk_percent": 10},
        )[0]

    return make(w.partner_a), make(w.partner_b)


def _sla(w):
    from concord.contracts.models import SLA

    return tuple(
        SLA.objects.get_or_create(
            contract=c, name="Matrix ASA", defaults={"metric_key": "asa", "comparator": "<=", "target": 30,
                                                     "allocation_percent": 50},
        )[0]
        for c in _contract(w)
    )  # fmt: skip


def _outage(w):
    import datetime as dt

    from concord.contracts.models import OutageWindow

    start = dt.datetime(2026, 5, 14, 10, tzinfo=dt.UTC)
    return tuple(
        OutageWindow.objects.get_or_create(
            contract=c, reason="Matrix outage", defaults={"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}
        )[0]
        for c in _contract(w)
    )


def _contract_post(w, obj=None):
    return {"provider": w.partner_a.pk, "programs": [w.program_shared.pk], "name": "Matrix contract",
            "start_date": "2026-01-01", "currency": "EUR", "monthly_fee": "1000", "at_risk_percent": "10",
            "earn_back_periods": 0}  # fmt: skip


def _sla_post(w, obj=None):
    return {"name": "Matrix SL", "metric_key": "service_level", "params": '{"threshold_seconds": 20}',
            "comparator": ">=", "target": 80, "filters": "{}", "min_volume": 0, "allocation_percent": 50,
            "position": 0}  # fmt: skip


def _outage_post(w, obj=None):
    return {"sla": "", "starts_at": "2026-05-14T10:00", "ends_at": "2026-05-14T12:00", "reason": "Carrier"}


def _closable_contract(w):
    """Each partner's contract with one SLA whose May 2026 result is final and up to date: closable."""
    import datetime as dt

    from django.conf import settings

    from concord.contracts.models import SLAResult
    from concord.contracts.terms import terms_hash
    from concord.lake.store import Lake

    may = dt.date(2026, 5, 1)
    version = Lake(settings.LAKE_URI).version("interactions")  # the matrix may have seeded the lake: read it
    for sla in _sla(w):
        SLAResult.objects.get_or_create(
            sla=sla,
            period=may,
            defaults={"status": "met", "value": 20.0, "volume": 10, "lake_table": "interactions",
                      "lake_version": version, "terms_hash": terms_hash(sla.contract, may)},
        )  # fmt: skip
    return _contract(w)


def _closed_contract(w):
    """Each partner's contract with May 2026 closed: its statement issued, awaiting sign-off."""
    import datetime as dt

    from concord.contracts.models import Statement
    from concord.contracts.month_close import statement_lines, statement_totals
    from concord.contracts.terms import terms_hash

    may = dt.date(2026, 5, 1)
    contracts = _closable_contract(w)
    for c in contracts:
        lines = statement_lines(c, may)
        # complete as close_month makes it, so a sign-off step's own checks pass (a blank field made them fail)
        Statement.objects.get_or_create(
            contract=c, period=may,
            defaults={"closed_by_name": "matrix", "lines": lines, "totals": statement_totals(c, may, lines),
                      "lake_versions": {ln["lake_table"]: ln["lake_version"] for ln in lines},
                      "terms_hash": terms_hash(c, may)},
        )  # fmt: skip
    return contracts


def _dispute(w):
    from concord.contracts.models import Dispute, Statement

    return tuple(
        Dispute.objects.get_or_create(
            statement=Statement.objects.get(contract=c), reason="Matrix",
            defaults={"lines": [c.slas.first().pk], "raised_by_name": "matrix"},
        )[0]
        for c in _closed_contract(w)
    )  # fmt: skip
