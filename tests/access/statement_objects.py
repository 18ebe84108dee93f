"""Objects of the month-close routes (credit statements and their disputes) for the access matrix."""

from __future__ import annotations

from .objects import _dispute


def _dispute_attachment(w):
    """Each partner's dispute with one CSV file attached (a tiny one: the route serves bytes, any type will do)."""
    import hashlib

    from concord.contracts.models import DisputeAttachment

    data = b"date,calls held\n2026-05-20,42\n"
    return tuple(
        DisputeAttachment.objects.get_or_create(
            dispute=d, name="evidence.csv",
            defaults={"content_type": "text/csv", "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                      "data": data, "uploaded_by_name": "matrix"},
        )[0]
        for d in _dispute(w)
    )  # fmt: skip
