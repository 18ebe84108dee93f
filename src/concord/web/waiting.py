"""What waits on this person, for the start page: their open actions, statements to sign or decide.

Each item says what to do and by when, and links to the page where it is done; read through the
domains' scoped selectors, so a partner's lead sees their own provider's only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from concord import reporting
from concord.accounts import access
from concord.accounts.roles import Cap
from concord.contracts import selectors as contract_selectors
from concord.governance import selectors as governance_selectors

#: most actions listed; the actions page has every one
ACTIONS_SHOWN = 8


def on(user) -> list[dict]:
    """Items ``{"what", "detail", "due", "overdue", "url"}``, overdue first, then by due date."""
    items = _actions(user) + _statements(user)
    return sorted(items, key=lambda i: (not i["overdue"], i["due"] or reporting.today()))


def _actions(user) -> list[dict]:
    if not access.can(user, Cap.VIEW_GOVERNANCE):
        return []
    today = reporting.today()
    return [
        {"what": f"Action: {a.title}", "detail": f"{a.provider.name} · {a.get_status_display().lower()}",
         "due": a.due, "overdue": a.due < today, "url": reverse("governance:action", args=[a.pk])}
        for a in governance_selectors.open_actions(user).filter(owner=user).order_by("due", "pk")[:ACTIONS_SHOWN]
    ]  # fmt: skip


def _statements(user) -> list[dict]:
    if not access.can(user, Cap.VIEW_CONTRACTS):
        return []
    if user.provider_id is not None:  # the partner signs
        if not access.can(user, Cap.SIGN_STATEMENTS):
            return []
        verb = "Sign off or dispute"
    else:  # the client decides disputes
        if not access.can(user, Cap.EDIT_CONTRACTS):
            return []
        verb = "Decide the dispute on"
    now = timezone.now()
    statements = contract_selectors.statements_awaiting(user)
    return [
        {"what": f"{verb} the credit statement of {s.period:%B %Y}",
         "detail": f"{s.contract.name} · {s.get_status_display().lower()}",
         "due": timezone.localtime(s.signoff_due).date() if user.provider_id else None,
         "overdue": bool(user.provider_id) and s.signoff_overdue(now),
         "url": reverse("contracts:statement", args=[s.contract_id]) + f"?period={s.period:%Y-%m}"}
        for s in statements
    ]  # fmt: skip
