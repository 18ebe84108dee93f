"""``concord knowledge import DIR``: Markdown files with YAML front matter become articles.

Front matter keys: ``title`` (required), ``slug`` (default: the file name), ``contact_type``,
``audience``, ``requires_ack``, ``ack_due_days``, ``review_by`` and ``note``. Importing the same
directory twice changes nothing; a changed file makes a new version; a bad file is reported with
its name and reason and the good ones are still imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from . import services

KEYS = {"title", "slug", "contact_type", "audience", "requires_ack", "ack_due_days", "review_by", "note"}


class FrontMatterError(ValueError):
    pass


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)  # new articles
    versioned: list[str] = field(default_factory=list)  # a new version of an existing article
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    def as_json(self) -> dict:
        return {
            "created": self.created,
            "versioned": self.versioned,
            "unchanged": self.unchanged,
            "errors": [{"file": f, "reason": r} for f, r in self.errors],
        }


def split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        raise FrontMatterError("no front matter: start the file with a '---' line, then title: …, then '---'")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise FrontMatterError("the front matter has no closing '---' line")
    try:
        meta = yaml.safe_load(parts[0][3:]) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise FrontMatterError(f"the front matter is not valid YAML{where}") from None
    if not isinstance(meta, dict):
        raise FrontMatterError("the front matter must be key: value lines")
    unknown = sorted(set(meta) - KEYS)
    if unknown:
        raise FrontMatterError(f"unknown front matter key {unknown[0]!r} (use {', '.join(sorted(KEYS))})")
    return meta, parts[1].lstrip("-").lstrip("\n")


def article_input(path: Path) -> services.ArticleInput:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FrontMatterError("not UTF-8 text") from None
    meta, body = split_front_matter(text)
    review_by = meta.get("review_by")
    if review_by is not None and not isinstance(review_by, dt.date):
        try:
            review_by = dt.date.fromisoformat(str(review_by))
        except ValueError:
            raise FrontMatterError("review_by must be a date like 2027-06-30") from None
    requires_ack = meta.get("requires_ack", False)
    if not isinstance(requires_ack, bool):
        raise FrontMatterError("requires_ack must be true or false")
    due = meta.get("ack_due_days", 7)
    if not isinstance(due, int) or isinstance(due, bool):
        raise FrontMatterError("ack_due_days must be a whole number of days")
    return services.ArticleInput(
        slug=str(meta.get("slug") or path.stem),
        title=str(meta.get("title") or ""),
        body=body,
        contact_type=str(meta.get("contact_type") or ""),
        note=str(meta.get("note") or f"Imported from {path.name}"),
        requires_ack=requires_ack,
        audience=meta.get("audience"),
        ack_due_days=due,
        review_by=review_by,
    )


def import_directory(*, user, program, directory: Path) -> ImportReport:
    report = ImportReport()
    for path in sorted(directory.rglob("*.md")):
        name = str(path.relative_to(directory))
        try:
            published = services.publish(user=user, program=program, data=article_input(path))
        except FrontMatterError as exc:
            report.errors.append((name, str(exc)))
            continue
        except ValidationError as exc:
            report.errors.append((name, "; ".join(_messages(exc))))
            continue
        if not published.created:
            report.unchanged.append(name)
        elif published.version.number == 1:
            report.created.append(name)
        else:
            report.versioned.append(name)
    return report


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [f"{key}: {' '.join(msgs)}" for key, msgs in exc.message_dict.items()]
    return list(exc.messages)
