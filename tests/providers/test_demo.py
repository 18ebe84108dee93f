import datetime as dt

import pytest
from tests.conftest import built_once

from concord.accounts.models import User
from concord.demo import build
from concord.demo.steps import DemoAlreadyLoaded
from concord.providers import selectors
from concord.providers.models import Agent, Provider

TODAY = dt.date(2026, 6, 30)


# one build for the module's tests (each still rolls back what it changes): the full demo takes ~50 s
pytestmark = pytest.mark.xdist_group("full-demo")


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(
        django_db_blocker, tmp_path_factory.mktemp("demo"), lambda: build(seed=7, scale=1.0, today=TODAY)
    ) as world:
        yield world


@pytest.fixture
def demo(_demo_once, db):
    return _demo_once


def test_demo_operation_has_a_client_team_and_three_partners_on_several_continents(demo):
    kinds = sorted(Provider.objects.values_list("kind", flat=True))
    assert kinds == ["internal", "vendor", "vendor", "vendor"]
    zones = {s.timezone.split("/")[0] for p in Provider.objects.all() for s in p.sites.all()}
    assert {"Europe", "Asia", "America", "Africa"} <= zones
    active = Agent.objects.filter(exit_date__isnull=True).count()
    assert 350 <= active <= 450


def test_atlas_attrition_is_markedly_higher(demo):
    admin = User.objects.get(username="admin")
    rates = {
        p.code: selectors.attrition_summary(admin, p, today=TODAY)["annual_attrition"] for p in Provider.objects.all()
    }
    assert rates["ATLAS"] > 1.8 * max(rates["BRAVO"], rates["CORA"], rates["NWI"])


def test_loading_twice_is_refused_and_changes_nothing(demo):
    count = Agent.objects.count()
    with pytest.raises(DemoAlreadyLoaded):
        build(seed=7, today=TODAY)
    assert Agent.objects.count() == count


def test_demo_logins_work(demo, client):
    for username, password, _ in demo.logins:
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")
    assert User.objects.filter(username="atlas.lead", provider__code="ATLAS").exists()


def test_demo_governance_has_six_months_of_closed_reviews_per_partner(demo):
    # issue 14's demo: six months of past meetings with frozen packs; actions open at once never repeat
    from collections import Counter

    from concord.governance.models import Action, Meeting

    for code in ("ATLAS", "BRAVO", "CORA"):
        closed = Meeting.objects.filter(provider__code=code, closed_at__isnull=False)
        monthly = closed.filter(cadence__frequency="monthly").order_by("starts_at")
        assert monthly.count() == 6, code
        first, last = monthly.first().starts_at.date(), monthly.last().starts_at.date()
        assert (last - first).days >= 140 and last <= TODAY, (code, first, last)
        assert all(m.pack.frozen_at is not None for m in closed)
        open_titles = Counter(
            Action.objects.filter(provider__code=code, status__in=["open", "in_progress"]).values_list(
                "title", flat=True
            )
        )
        assert open_titles and max(open_titles.values()) == 1, (code, open_titles)
