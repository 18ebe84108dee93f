"""The demo loaded onto an ``s3://`` lake, then used as its people use it: every main page of the
navigation as the client admin and as a partner lead, the scorecard API and an export, all
answering 200; the scorecard's numbers are those of the same files on a local lake.

The demo is the smallest the command takes (``concord demo --scale 0.05``, with the test suite's
reduced interaction count, about 1,000 contacts): most of its time is the demo's own steps, not the rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pyarrow.fs as pafs
import pytest
from django.core.cache import cache
from django.urls import reverse

from concord import periods
from concord.accounts import access
from concord.accounts.models import User
from concord.demo import build
from concord.lake.storage import pyarrow_filesystem
from concord.lake.store import Lake
from concord.providers.models import Provider
from concord.web.nav import NAV

PARTNER_LEAD = "atlas.lead"  # the demo's lead of partner ATLAS
#: the demo's day: a fixed one, as the demo's forecasts on so few contacts depend on which weeks they see
DEMO_TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def demo_on_s3(db, s3_lake, settings, monkeypatch):
    """``concord demo --scale 0.05`` (its service, so the day can be fixed) on the bucket; the pages' clock
    reads the demo's day, so their default periods are months the demo filled."""
    settings.LAKE_URI = s3_lake.uri
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(periods, "utc_now", lambda: dt.datetime.combine(DEMO_TODAY, dt.time(12), dt.UTC))
    build(seed=7, scale=0.05, today=DEMO_TODAY)
    assert s3_lake.version("interactions") is not None
    return s3_lake


def _main_pages(user: User) -> list[str]:
    """The navigation's entries this user is shown (the same rule as the menu), and the start page."""
    return [reverse("web:home")] + [reverse(item.url_name) for item in NAV if access.can(user, item.capability)]


def _scorecards(client, provider: Provider) -> dict:
    response = client.get(reverse("scorecard-query"), {"provider": provider.code})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def _volumes(report: dict) -> dict[tuple, int]:
    """Each card's contacts per row (site) and metric, for a check that the numbers are not all empty."""
    return {(card["scorecard"]["name"], str(row["dimensions"]), line["metric"]): line["volume"]
            for card in report["scorecards"] for row in card["rows"] for line in row["components"]}  # fmt: skip


def test_the_demo_on_an_s3_lake_serves_every_main_page_the_api_and_an_export(demo_on_s3, client, settings, tmp_path):
    atlas = Provider.objects.get(code="ATLAS")
    admin, lead = User.objects.get(username="admin"), User.objects.get(username=PARTNER_LEAD)
    assert lead.provider_id == atlas.pk
    # every main page, as the client admin and as a partner lead
    for user in (admin, lead):
        client.force_login(user)
        pages = _main_pages(user)
        assert len(pages) > 5, (user.username, pages)
        answers = {path: client.get(path).status_code for path in pages}
        assert answers == dict.fromkeys(pages, 200), user.username
    # an export: the partner lead's own scorecard as CSV, one row per site
    exported = client.get(reverse("performance:provider", args=[atlas.pk]), {"format": "csv"})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(exported.content.decode())))) > 1
    # the scorecard API on the bucket, as the client admin
    client.force_login(admin)
    on_s3 = _scorecards(client, atlas)
    assert on_s3["scorecards"] and max(_volumes(on_s3).values()) > 0, on_s3
    # the same files on a local lake give the same numbers
    local = tmp_path / "copy"
    fs, root = pyarrow_filesystem(demo_on_s3.uri)
    pafs.copy_files(root, str(local), source_filesystem=fs, destination_filesystem=pafs.LocalFileSystem())
    settings.LAKE_URI = str(local)
    cache.clear()
    assert Lake(local).version("interactions") == demo_on_s3.version("interactions")
    assert _scorecards(client, atlas) == on_s3
