"""Governance objects for the access matrix: partner A's and partner B's of each kind.

Every object carries the provider it belongs to (no program on cadences and packs: a program shared
by both partners would make an object look like both's). Partner A's monthly meeting has a
client-only note and agenda item; ``test_governance_client_only`` proves a partner never gets them.
"""

from __future__ import annotations

import datetime as dt


def _admin(w):
    return w.users["client_admin"]


def _cadences(w):
    from concord.governance.models import Cadence

    def make(provider):
        found = Cadence.objects.filter(provider=provider, name=f"{provider.code} monthly").first()
        if found:
            return found
        from concord.governance import services

        return services.cadence_create(
            actor=_admin(w), provider=provider, name=f"{provider.code} monthly", kind="tactical",
            frequency="monthly", weekday=0, agenda=["Scorecard", ("Commercial position", True)],
        )  # fmt: skip

    return make(w.partner_a), make(w.partner_b)


def _meetings(w):
    from concord.governance import services
    from concord.governance.models import MinuteNote

    out = []
    for c in _cadences(w):
        m = c.meetings.first()
        if m is None:
            (m,) = services._meeting_on(c, dt.date(2026, 6, 1))
            MinuteNote.objects.create(meeting=m, text="Walk-away price", client_only=True, author_name="admin")
        out.append(m)
    return tuple(out)


def _packs(w):
    from concord.governance.packs.build import meeting_pack

    return tuple(meeting_pack(m, user=_admin(w)) for m in _meetings(w))


def _actions(w):
    from concord.governance.models import Action

    def make(provider):
        return Action.objects.get_or_create(
            provider=provider, title=f"{provider.code} action",
            defaults={"owner": _admin(w), "due": dt.date(2026, 6, 30), "created_by_name": "admin"},
        )[0]  # fmt: skip

    return make(w.partner_a), make(w.partner_b)


def _ladders(w):
    from concord.governance import escalations
    from concord.governance.models import EscalationLadder

    sev = [{"code": "P2", "name": "High", "response_minutes": 120, "resolution_minutes": 960, "basis": "business"}]
    for p in (w.partner_a, w.partner_b):
        if not EscalationLadder.objects.filter(provider=p).exists():
            escalations.ladder_set(actor=_admin(w), provider=p, severities=sev,
                                   levels=[{"number": 1, "name": "Lead", "contact_name": "Lead"}])  # fmt: skip


def _escalations(w):
    from concord.governance.models import Escalation, Severity

    _ladders(w)

    def make(provider):
        at = dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC)
        return Escalation.objects.get_or_create(
            provider=provider, title=f"{provider.code} escalation",
            defaults={"severity": Severity.objects.get(ladder__provider=provider), "opened_at": at,
                      "opened_by_name": "admin", "response_due_at": at, "resolution_due_at": at},
        )[0]  # fmt: skip

    return make(w.partner_a), make(w.partner_b)


def _providers(w):
    _ladders(w)
    return w.partner_a, w.partner_b


def _escalation_create_post(w, obj=None):
    from concord.governance.models import Severity

    return {"severity": Severity.objects.get(ladder__provider=obj).pk, "title": "Matrix escalation"}


def _action_create_post(w, obj=None):
    return {"title": "Matrix action", "owner": w.users["client_admin"].pk, "due": "2026-07-01"}


def _cadence_post(w, obj=None):
    return {"provider": w.partner_a.pk, "name": "Matrix cadence", "kind": "tactical", "frequency": "weekly",
            "weekday": 0, "local_time": "10:00", "duration_minutes": 60}  # fmt: skip


def _api_action_post(w, obj=None):
    return {"provider": w.partner_a.pk, "title": "Matrix action", "owner": "client_admin", "due": "2026-07-01"}
