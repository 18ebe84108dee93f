"""Writes for the volume a forecast assigns to providers, and the providers' capacity commitments.

The client's planner assigns each provider serving a program a share of one forecast
version; the provider's lead answers with the FTE it commits to staff. Same rules as
every service: keyword-only arguments, the acting user, one transaction, one audit record.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction

from concord.accounts import access, audit
from concord.accounts.roles import Cap
from concord.providers.models import Provider

from .models import CapacityCommitment, Forecast, VolumeAssignment


@transaction.atomic
def assign_volume(*, actor, forecast: Forecast, provider: Provider, share: float) -> VolumeAssignment:
    """Give ``provider`` ``share`` percent (80 means 80%) of ``forecast``'s volume; the same share twice records
    nothing new. The shares of one forecast add up to at most 100%."""
    access.require(actor, Cap.EDIT_PLANNING)
    forecast = Forecast.objects.select_for_update().get(pk=forecast.pk)
    if not forecast.ready:
        raise ValidationError(f"{forecast} has no volume to assign yet ({forecast.get_status_display()}).")
    if not forecast.program.providers.filter(pk=provider.pk).exists():
        raise ValidationError({"provider": f"{provider.name} does not serve {forecast.program.name}."})
    if not (math.isfinite(share) and 0 < share <= 100):
        raise ValidationError({"share": f"The share must be more than 0 and at most 100% (got {share:g}%)."})
    others = forecast.assignments.exclude(provider=provider).select_related("provider")
    total = share + sum(a.share for a in others)
    if total > 100 + 1e-9:
        listed = ", ".join(f"{a.provider.code} {a.share:g}%" for a in others)
        raise ValidationError(
            {"share": f"The shares of {forecast} would add up to {total:g}% ({listed}, and {share:g}% here); "
                      "at most 100%."}
        )  # fmt: skip
    existing = forecast.assignments.filter(provider=provider).first()
    if existing is not None:
        return audit.update(actor=actor, instance=existing, changes={"share": share})
    assignment = VolumeAssignment(forecast=forecast, provider=provider, share=share, created_by=actor)
    assignment.full_clean()
    return audit.create(actor=actor, instance=assignment)


@transaction.atomic
def commit_capacity(*, actor, assignment: VolumeAssignment, fte: float, note: str = "") -> CapacityCommitment:
    """The provider's lead commits ``fte`` FTE to its assigned volume; the same commitment twice records nothing."""
    access.require_for_provider(actor, Cap.COMMIT_CAPACITY, assignment.provider_id)
    note = (note or "").strip()
    latest = assignment.commitments.first()
    if latest is not None and latest.fte == fte and latest.note == note:
        return latest
    commitment = CapacityCommitment(assignment=assignment, fte=fte, note=note, created_by=actor)
    commitment.full_clean()
    return audit.create(actor=actor, instance=commitment)
