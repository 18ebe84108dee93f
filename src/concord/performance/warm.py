"""After a lake commit, compute the scorecard pages' default views so the first visitor finds them ready.

The worker runs this once an ingest has committed a new version (``ingest.tasks``):
for every scorecard, the portfolio (its trend over every provider) and the
provider pages' breakdown by site, for the last complete month. Results go to the
metric cache keyed by lake version (``cache``), where each viewer's page is a
slice of them, so the client's and every partner's first view after the commit
read results, not the lake. It needs a cache shared by the processes
(``CACHE_URL``); with the per-process default it only warms the worker itself.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model

from concord.accounts import access
from concord.accounts.roles import Cap

from . import grain as grains
from . import reports, selectors
from .models import Scorecard

log = logging.getLogger(__name__)


def _client_viewer():
    """A user who sees every provider's numbers (the warmed results are sliced per viewer later)."""
    for user in get_user_model().objects.filter(is_active=True).order_by("pk"):
        if access.can(user, Cap.VIEW_PERFORMANCE) and access.provider_scope(user) is None:
            return user
    return None


def warm_defaults() -> int:
    """Compute every scorecard's default views at the lake's latest versions; returns the cards warmed."""
    viewer = _client_viewer()
    if viewer is None:
        return 0
    period = selectors.parse_period(None)
    warmed = 0
    for card in Scorecard.objects.all():
        try:
            reports.portfolio(viewer, card, period)
            grains.score(viewer, card, grain="month", period=period, by="site")
        except Exception:  # a card that cannot be computed now is computed by its first visitor instead
            log.warning("could not warm scorecard %s", card.pk, exc_info=True)
            continue
        warmed += 1
    return warmed
