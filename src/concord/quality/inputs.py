"""Turning what a person or a client program sent into service arguments, or one clear refusal."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError

from .models import FormVersion
from .services import CriterionSpec, RatingInput, SectionSpec

_CRITERION_KEYS = {"code", "label", "scale", "weight", "guidance", "na_allowed", "critical", "max_points"}


def _number(value, where: str) -> float:
    if isinstance(value, bool):
        raise ValidationError(f"{where}: {value!r} is not a number.")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{where}: {value!r} is not a number.") from None


def sections_from_json(data) -> list[SectionSpec]:
    """``[{"title", "criteria": [{"code", "label", "scale", "weight", ...}]}]`` -> section specs."""
    if not isinstance(data, list):
        raise ValidationError("sections: give a list of sections, each with a title and criteria.")
    sections = []
    for s_number, section in enumerate(data, start=1):
        if not isinstance(section, Mapping) or not isinstance(section.get("criteria"), list):
            raise ValidationError(f"Section {s_number}: give an object with a title and a list of criteria.")
        criteria = []
        for c_number, item in enumerate(section["criteria"], start=1):
            where = f"Section {s_number}, criterion {c_number}"
            if not isinstance(item, Mapping):
                raise ValidationError(f"{where}: give an object.")
            unknown = sorted(set(item) - _CRITERION_KEYS)
            if unknown:
                raise ValidationError(f"{where}: unknown field {', '.join(unknown)}.")
            max_points = item.get("max_points")
            criteria.append(
                CriterionSpec(
                    code=str(item.get("code", "")),
                    label=str(item.get("label", "")),
                    scale=str(item.get("scale", "")),
                    weight=_number(item.get("weight", 1), f"{where}, weight"),
                    guidance=str(item.get("guidance", "")),
                    na_allowed=bool(item.get("na_allowed", False)),
                    critical=bool(item.get("critical", False)),
                    max_points=None if max_points in (None, "") else int(_number(max_points, f"{where}, max_points")),
                )
            )
        sections.append(SectionSpec(title=str(section.get("title", "")), criteria=tuple(criteria)))
    return sections


def ratings_from_json(data) -> dict[str, RatingInput]:
    """``{code: {"value": 4, "not_applicable": false, "comment": ""}}`` -> rating inputs."""
    if not isinstance(data, Mapping):
        raise ValidationError("ratings: give an object keyed by criterion code.")
    out = {}
    for code, item in data.items():
        if not isinstance(item, Mapping):
            raise ValidationError(f"ratings.{code}: give an object with value, not_applicable and comment.")
        value = item.get("value")
        out[str(code)] = RatingInput(
            value=None if value is None else _number(value, f"ratings.{code}.value"),
            not_applicable=bool(item.get("not_applicable", False)),
            comment=str(item.get("comment", "")),
        )
    return out


def ratings_from_post(version: FormVersion, post) -> dict[str, RatingInput]:
    """The evaluation page's fields: ``rate-<code>`` ("", "na" or a number), ``comment-<code>``."""
    out = {}
    for criterion in version.criteria_in_order():
        raw = (post.get(f"rate-{criterion.code}") or "").strip()
        na = raw == "na" or post.get(f"na-{criterion.code}") == "on"
        if na and raw not in ("", "na"):
            raise ValidationError(f"{criterion.label}: give a rating or N/A, not both.")
        value = None if na or raw == "" else _number(raw, criterion.label)
        out[criterion.code] = RatingInput(
            value=value, not_applicable=na, comment=post.get(f"comment-{criterion.code}", "")
        )
    return out


def rating_from_text(raw, where: str) -> RatingInput | None:
    """One rating typed as text: empty for none, "na" for N/A, else a number."""
    text = str(raw if raw is not None else "").strip()
    if text == "":
        return None
    if text.lower() == "na":
        return RatingInput(None, True)
    return RatingInput(_number(text, where))


def rating_from_json(data, where: str) -> RatingInput | None:
    """``{"value": 4}`` or ``{"not_applicable": true}``; null or {} for none."""
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ValidationError(f"{where}: give an object with value or not_applicable.")
    value = data.get("value")
    na = bool(data.get("not_applicable", False))
    if value is None and not na:
        return None
    return RatingInput(None if value is None else _number(value, f"{where}.value"), na)
