"""Audit records for every change made through a service.

``create`` / ``update`` / ``delete`` do the write and its audit row together;
callers wrap them in their service's transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any, TypeVar

from django.db.models import Model

from .models import AuditEntry

M = TypeVar("M", bound=Model)

#: never copied into an audit row: a password hash, a webhook's signing secret
SECRET_FIELDS = frozenset({"password", "secret"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: Model) -> dict[str, Any]:
    """The instance's own fields as JSON-safe values (foreign keys as ids)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    return data


def record(*, actor, action: str, instance: Model, before: dict | None, after: dict | None) -> AuditEntry:
    # SQLite would store any string; PostgreSQL refuses one longer than the column. Refuse an
    # action outside the choices on both, so the embedded default catches it first.
    if action not in AuditEntry.Action.values:
        raise ValueError(f"audit action {action!r} is not one of {AuditEntry.Action.values}")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
    )


def create(*, actor, instance: M) -> M:
    instance.full_clean()
    instance.save()
    record(actor=actor, action=AuditEntry.Action.CREATE, instance=instance, before=None, after=snapshot(instance))
    return instance


def update(*, actor, instance: M, changes: dict[str, Any]) -> M:
    """Apply ``changes``; an update that changes nothing writes nothing and records nothing."""
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    after = snapshot(instance)
    if after == before:
        return instance
    instance.save()
    record(actor=actor, action=AuditEntry.Action.UPDATE, instance=instance, before=before, after=after)
    return instance


def delete(*, actor, instance: Model) -> None:
    before = snapshot(instance)
    record(actor=actor, action=AuditEntry.Action.DELETE, instance=instance, before=before, after=None)
    instance.delete()
