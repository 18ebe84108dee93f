"""Validators every form and serializer shares: one rule, one message, wherever a person types text."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from concord.safetext import control_characters


def refuse_control_characters(value) -> None:
    """Text with invisible control characters is refused, naming them, before it reaches a chart, file or log."""
    if not isinstance(value, str):
        return
    found = control_characters(value)
    if found:
        plural = "s" if len(found) > 1 else ""
        raise ValidationError(
            f"Remove the invisible control character{plural} {', '.join(found)}: text may not contain "
            "control characters (they cannot be shown, printed or exported).",
            code="control_characters",
        )
