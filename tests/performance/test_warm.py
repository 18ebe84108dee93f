"""After a commit the worker computes the default views; every viewer's first page then reads no lake."""

from __future__ import annotations

import datetime as dt

import pytest

from concord.ingest import services as ingest_services
from concord.performance import cache as result_cache
from concord.performance import reports, selectors, warm


@pytest.fixture
def engine_calls(monkeypatch):
    calls = []
    real = result_cache.engine.metrics.run

    def counting(request, lake, con=None):
        calls.append(request)
        return real(request, lake, con)

    monkeypatch.setattr(result_cache.engine.metrics, "run", counting)
    return calls


@pytest.mark.django_db
def test_warmed_views_serve_the_client_and_each_partner_without_a_query(world, lake_uri, card, engine_calls,
                                                                         monkeypatch):
    # given the last complete month is May 2026 (most of the fixture's data), and the worker warmed the pages
    period = dt.date(2026, 5, 1)
    monkeypatch.setattr(selectors, "parse_period", lambda text, **kw: period)
    assert warm.warm_defaults() == 1
    warmed = len(engine_calls)
    assert warmed > 0
    # when the client opens the portfolio and partner A its own provider page (by site)
    reports.portfolio(world.users["client_admin"], card, period)
    page = reports.provider_scorecard(world.users["partner_a_lead"], world.partner_a, card, period)
    # then no query ran: both were slices of the warmed results, and partner A sees only itself
    assert len(engine_calls) == warmed
    assert {row.dimensions.get("provider") for row in page.breakdown.rows} == {world.partner_a.code}


@pytest.mark.django_db
def test_a_run_that_commits_queues_the_warming_and_a_dry_run_does_not(world, settings, tmp_path, monkeypatch):
    settings.LAKE_URI = str(tmp_path / "lake")
    settings.INGEST_DIR = tmp_path / "ingest"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    warmed = []
    monkeypatch.setattr(warm, "warm_defaults", lambda: warmed.append(1) or 0)
    path = tmp_path / "export.csv"
    path.write_text("source,external_id,provider,program,channel,created_at,updated_at\n"
                    "zd,T1,PA,SHARED,voice,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z\n")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        ingest_services.ingest_path(actor=None, path=path, profile_name="canonical-csv", dry_run=True)
    assert warmed == []
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = ingest_services.ingest_path(actor=None, path=path, profile_name="canonical-csv")
    assert run.inserted == 1 and warmed == [1]
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = ingest_services.ingest_path(actor=None, path=path, profile_name="canonical-csv")
    assert again.unchanged == 1 and warmed == [1]  # nothing committed: nothing to warm
