"""Every change to scorecards: the client defines them, partners are measured on them."""

from __future__ import annotations

from django.db import transaction

from concord.accounts import access, audit
from concord.accounts.roles import Cap

from .models import Scorecard, ScorecardMetric

SCORECARD_FIELDS = ("program", "name", "grain", "description", "count_by", "hours")
LINE_FIELDS = ("metric_key", "params", "target", "weight", "band_low", "band_high", "min_volume", "position")


def _check(fields, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"no editable field {', '.join(sorted(unknown))}")


def _require(actor) -> None:
    # scorecards are the client's standard: a partner's user may never write one
    access.require_for_provider(actor, Cap.EDIT_SCORECARDS, None)


@transaction.atomic
def scorecard_create(*, actor, lines=(), **fields) -> Scorecard:
    """Create a card, optionally with its lines (dicts of LINE_FIELDS) in one transaction."""
    _require(actor)
    _check(fields, SCORECARD_FIELDS)
    card = audit.create(actor=actor, instance=Scorecard(**fields))
    for position, line in enumerate(lines):
        line_create(actor=actor, scorecard=card, **{"position": position, **line})
    return card


@transaction.atomic
def scorecard_update(*, actor, scorecard: Scorecard, **changes) -> Scorecard:
    _require(actor)
    _check(changes, SCORECARD_FIELDS)
    return audit.update(actor=actor, instance=scorecard, changes=changes)


@transaction.atomic
def line_create(*, actor, scorecard: Scorecard, **fields) -> ScorecardMetric:
    _require(actor)
    _check(fields, LINE_FIELDS)
    if "position" not in fields:
        fields["position"] = scorecard.lines.count()
    return audit.create(actor=actor, instance=ScorecardMetric(scorecard=scorecard, **fields))


@transaction.atomic
def line_update(*, actor, line: ScorecardMetric, **changes) -> ScorecardMetric:
    _require(actor)
    _check(changes, LINE_FIELDS)
    return audit.update(actor=actor, instance=line, changes=changes)


@transaction.atomic
def line_delete(*, actor, line: ScorecardMetric) -> None:
    _require(actor)
    audit.delete(actor=actor, instance=line)
