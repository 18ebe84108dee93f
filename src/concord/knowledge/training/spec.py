"""A program's training document, checked (no Django).

::

    assessments:
      - key: returns-basics
        title: Returns basics
        questions_per_attempt: 5      # drawn at random (stored seed) from the bank
        pass_percent: 80              # percent of drawn questions answered exactly right
        max_attempts: 3               # per certification cycle: attempts since the last pass
        cooldown_hours: 24            # between a failed attempt and the next
        questions:
          - {key: q1, kind: single, text: ..., choices: [A, B, C], correct: [1]}
          - {key: q2, kind: multiple, text: ..., choices: [A, B, C, D], correct: [0, 2]}
          - {key: q3, kind: true_false, text: ..., correct: true}
    certifications:
      - {key: returns-cert, title: Returns, assessment: returns-basics, valid_months: 12, recertify_within_days: 30}
    curricula:
      - contact_type: RETURN
        title: Returns desk
        modules:
          - {key: read-refunds, kind: article, article: refund-damaged-item, version: 2}
          - {key: walk-payment, kind: tree, tree: failed-payment}
          - {key: pass-basics, kind: assessment, assessment: returns-basics}
          - {key: shadow, kind: shadowing, title: Shadow a senior agent, hours: 8}
    gates:
      - {contact_type: RETURN, modules: all, certification: returns-cert, nesting_days: 14,   # or modules: [key, ...]
         nesting_from: hire, qa_floor_percent: 85, qa_window_days: 90}

Every message names where the problem is (``assessments[0].questions[2].correct``) and why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
KINDS = ("article", "tree", "assessment", "shadowing")
QUESTION_KINDS = ("single", "multiple", "true_false")
TRUE_FALSE = ["True", "False"]


class SpecError(ValueError):
    pass


def _key(value, where: str) -> str:
    if not isinstance(value, str) or not KEY.match(value):
        raise SpecError(f"{where}: a key is lower-case letters, digits and hyphens (got {value!r}).")
    return value


def _text(value, where: str, limit: int = 500) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise SpecError(f"{where}: give a text of 1 to {limit} characters.")
    return value.strip()


def _int(value, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SpecError(f"{where}: a whole number from {low} to {high} (got {value!r}).")
    return value


def _percent(value, where: str) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(-1)
    if isinstance(value, bool) or not Decimal(0) <= number <= Decimal(100):
        raise SpecError(f"{where}: a percentage from 0 to 100 (got {value!r}).")
    return str(number.quantize(Decimal("0.01")))


def _list(raw: Mapping, name: str) -> list:
    value = raw.get(name) or []
    if not isinstance(value, list):
        raise SpecError(f"{name}: a list.")
    return value


def check(raw: object) -> dict:
    """The document as stored, or ``SpecError`` naming the place and the reason."""
    if not isinstance(raw, Mapping):
        raise SpecError("The training plan must be a mapping with assessments, certifications, curricula, gates.")
    unknown = sorted(set(raw) - {"assessments", "certifications", "curricula", "gates"})
    if unknown:
        raise SpecError(f"Unknown section {unknown[0]!r}: use assessments, certifications, curricula, gates.")
    assessments = [_assessment(a, f"assessments[{i}]") for i, a in enumerate(_list(raw, "assessments"))]
    _unique([a["key"] for a in assessments], "assessments")
    known = {a["key"] for a in assessments}
    certs = [_certification(c, f"certifications[{i}]", known) for i, c in enumerate(_list(raw, "certifications"))]
    _unique([c["key"] for c in certs], "certifications")
    curricula = [_curriculum(c, f"curricula[{i}]", known) for i, c in enumerate(_list(raw, "curricula"))]
    _unique([c["contact_type"] for c in curricula], "curricula (one per contact type)")
    _unique([m["key"] for c in curricula for m in c["modules"]], "module keys")
    modules_of = {c["contact_type"]: [m["key"] for m in c["modules"]] for c in curricula}
    gates = [
        _gate(g, f"gates[{i}]", known, {c["key"] for c in certs}, modules_of) for i, g in enumerate(_list(raw, "gates"))
    ]
    _unique([g["contact_type"] for g in gates], "gates (one per contact type)")
    return {"assessments": assessments, "certifications": certs, "curricula": curricula, "gates": gates}


def _unique(keys: list[str], what: str) -> None:
    seen = set()
    for key in keys:
        if key in seen:
            raise SpecError(f"{what}: {key!r} appears twice.")
        seen.add(key)


def _mapping(raw, where: str) -> Mapping:
    if not isinstance(raw, Mapping):
        raise SpecError(f"{where}: a mapping of fields.")
    return raw


def _assessment(raw, where: str) -> dict:
    raw = _mapping(raw, where)
    questions = [_question(q, f"{where}.questions[{i}]") for i, q in enumerate(raw.get("questions") or [])]
    if not questions:
        raise SpecError(f"{where}.questions: an assessment needs a bank of at least one question.")
    _unique([q["key"] for q in questions], f"{where}.questions")
    per_attempt = _int(raw.get("questions_per_attempt", len(questions)), f"{where}.questions_per_attempt", 1, 200)
    if per_attempt > len(questions):
        raise SpecError(
            f"{where}.questions_per_attempt: {per_attempt} drawn but the bank holds {len(questions)} questions."
        )
    return {
        "key": _key(raw.get("key"), f"{where}.key"),
        "title": _text(raw.get("title"), f"{where}.title", 200),
        "questions_per_attempt": per_attempt,
        "pass_percent": _percent(raw.get("pass_percent", 80), f"{where}.pass_percent"),
        "max_attempts": _int(raw.get("max_attempts", 3), f"{where}.max_attempts", 1, 50),
        "cooldown_hours": _int(raw.get("cooldown_hours", 0), f"{where}.cooldown_hours", 0, 24 * 90),
        "questions": questions,
    }


def _question(raw, where: str) -> dict:
    raw = _mapping(raw, where)
    kind = raw.get("kind", "single")
    if kind not in QUESTION_KINDS:
        raise SpecError(f"{where}.kind: one of {', '.join(QUESTION_KINDS)} (got {kind!r}).")
    out = {"key": _key(raw.get("key"), f"{where}.key"), "kind": kind, "text": _text(raw.get("text"), f"{where}.text")}
    if kind == "true_false":
        if not isinstance(raw.get("correct"), bool):
            raise SpecError(f"{where}.correct: true or false.")
        return out | {"choices": TRUE_FALSE, "correct": [0 if raw["correct"] else 1]}
    choices = raw.get("choices")
    if not isinstance(choices, list) or not 2 <= len(choices) <= 10:
        raise SpecError(f"{where}.choices: a list of 2 to 10 answers.")
    choices = [_text(c, f"{where}.choices[{i}]", 300) for i, c in enumerate(choices)]
    correct = raw.get("correct")
    if (
        not isinstance(correct, list)
        or not correct
        or any(isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < len(choices) for c in correct)
    ):
        raise SpecError(f"{where}.correct: the indexes (0 = first) of the right answers, e.g. [1].")
    if kind == "single" and len(set(correct)) != 1:
        raise SpecError(f"{where}.correct: a single-choice question has exactly one right answer.")
    return out | {"choices": choices, "correct": sorted(set(correct))}


def _certification(raw, where: str, assessments: set[str]) -> dict:
    raw = _mapping(raw, where)
    assessment = raw.get("assessment")
    if assessment not in assessments:
        raise SpecError(f"{where}.assessment: {assessment!r} is not an assessment of this plan.")
    return {
        "key": _key(raw.get("key"), f"{where}.key"),
        "title": _text(raw.get("title"), f"{where}.title", 200),
        "assessment": assessment,
        "valid_months": _int(raw.get("valid_months", 12), f"{where}.valid_months", 1, 120),
        "recertify_within_days": _int(raw.get("recertify_within_days", 30), f"{where}.recertify_within_days", 0, 365),
    }


def _curriculum(raw, where: str, assessments: set[str]) -> dict:
    raw = _mapping(raw, where)
    modules = [_module(m, f"{where}.modules[{i}]", assessments) for i, m in enumerate(raw.get("modules") or [])]
    if not modules:
        raise SpecError(f"{where}.modules: a curriculum needs at least one module.")
    return {
        "contact_type": _text(raw.get("contact_type"), f"{where}.contact_type", 32),
        "title": _text(raw.get("title"), f"{where}.title", 200),
        "modules": modules,
    }


def _module(raw, where: str, assessments: set[str]) -> dict:
    raw = _mapping(raw, where)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise SpecError(f"{where}.kind: one of {', '.join(KINDS)} (got {kind!r}).")
    out = {"key": _key(raw.get("key"), f"{where}.key"), "kind": kind}
    if kind == "article":
        out["article"] = _key(raw.get("article"), f"{where}.article")
        if raw.get("version") is not None:
            out["version"] = _int(raw.get("version"), f"{where}.version", 1, 100_000)
    elif kind == "tree":
        out["tree"] = _key(raw.get("tree"), f"{where}.tree")
    elif kind == "assessment":
        if raw.get("assessment") not in assessments:
            raise SpecError(f"{where}.assessment: {raw.get('assessment')!r} is not an assessment of this plan.")
        out["assessment"] = raw["assessment"]
    else:
        out["hours"] = _percent(raw.get("hours"), f"{where}.hours") if raw.get("hours") is not None else None
        if out["hours"] is None or Decimal(out["hours"]) <= 0:
            raise SpecError(f"{where}.hours: the shadowing or nesting hours required, more than 0.")
    out["title"] = _text(raw.get("title"), f"{where}.title", 200) if raw.get("title") else ""
    return out


def _gate(raw, where: str, assessments: set[str], certs: set[str], modules_of: dict[str, list[str]]) -> dict:
    raw = _mapping(raw, where)
    contact_type = _text(raw.get("contact_type"), f"{where}.contact_type", 32)
    modules = raw.get("modules", "all")
    if modules != "none" and contact_type not in modules_of:
        raise SpecError(f"{where}.modules: no curriculum for contact type {contact_type!r} to require.")
    if modules == "all":
        modules = list(modules_of[contact_type])
    elif modules == "none":
        modules = []
    elif not isinstance(modules, list) or any(m not in modules_of[contact_type] for m in modules):
        raise SpecError(f"{where}.modules: 'all', 'none', or a list of module keys of the {contact_type!r} curriculum.")
    out = {"contact_type": contact_type, "modules": list(dict.fromkeys(modules))}
    if raw.get("assessment") is not None and raw["assessment"] not in assessments:
        raise SpecError(f"{where}.assessment: {raw['assessment']!r} is not an assessment of this plan.")
    out["assessment"] = raw.get("assessment")
    if raw.get("certification") is not None and raw["certification"] not in certs:
        raise SpecError(f"{where}.certification: {raw['certification']!r} is not a certification of this plan.")
    out["certification"] = raw.get("certification")
    out["nesting_days"] = _int(raw.get("nesting_days", 0), f"{where}.nesting_days", 0, 365)
    nesting_from = raw.get("nesting_from", "hire")
    if nesting_from not in ("hire", "nesting_start"):
        raise SpecError(f"{where}.nesting_from: 'hire' or 'nesting_start'.")
    out["nesting_from"] = nesting_from
    floor = raw.get("qa_floor_percent")
    out["qa_floor_percent"] = None if floor is None else _percent(floor, f"{where}.qa_floor_percent")
    out["qa_window_days"] = _int(raw.get("qa_window_days", 90), f"{where}.qa_window_days", 1, 730)
    return out


def assessment(plan: Mapping, key: str) -> dict | None:
    return next((a for a in plan.get("assessments", []) if a["key"] == key), None)


def certification(plan: Mapping, key: str) -> dict | None:
    return next((c for c in plan.get("certifications", []) if c["key"] == key), None)


def curriculum(plan: Mapping, contact_type: str) -> dict | None:
    return next((c for c in plan.get("curricula", []) if c["contact_type"] == contact_type), None)


def gate(plan: Mapping, contact_type: str) -> dict | None:
    return next((g for g in plan.get("gates", []) if g["contact_type"] == contact_type), None)


def module(plan: Mapping, key: str) -> dict | None:
    return next((m for c in plan.get("curricula", []) for m in c["modules"] if m["key"] == key), None)
