"""``concord knowledge import|search|adoption`` from a terminal, as a user types them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from concord.cli import _mount_subcommands, app
from concord.knowledge.models import Article, ArticleVersion

_mount_subcommands()
runner = CliRunner()

REFUND = """---
title: Refund a damaged item
slug: refund-damaged
contact_type: ORD
requires_ack: true
audience: {providers: [PA]}
---
# Refund a damaged item

## When the photo shows damage

Issue the refund to the original payment method.
"""


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "refund.md").write_text(REFUND)
    (tmp_path / "shipping.md").write_text("---\ntitle: Shipping times\n---\nFive working days.\n")
    return tmp_path


def _run(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_import_twice_changes_nothing_and_a_changed_file_makes_a_version(world, folder):
    first = _run("knowledge", "import", str(folder), "--program", "SHARED", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output) == {
        "created": ["refund.md", "shipping.md"],
        "versioned": [],
        "unchanged": [],
        "errors": [],
    }
    again = _run("knowledge", "import", str(folder), "--program", "SHARED", "--json")
    assert json.loads(again.output)["unchanged"] == ["refund.md", "shipping.md"]
    assert ArticleVersion.objects.count() == 2
    (folder / "shipping.md").write_text("---\ntitle: Shipping times\n---\nThree working days from 2027.\n")
    third = _run("knowledge", "import", str(folder), "--program", "SHARED", "--json")
    assert json.loads(third.output)["versioned"] == ["shipping.md"]
    refund = Article.objects.get(slug="refund-damaged")
    assert refund.contact_type.code == "ORD"
    assert refund.current.requires_ack and refund.current.audience == {"providers": ["PA"]}
    assert refund.current.headings.splitlines() == ["Refund a damaged item", "When the photo shows damage"]


def test_bad_files_are_named_with_their_reason_and_good_ones_still_load(world, folder):
    (folder / "no-front.md").write_text("Just text\n")
    (folder / "bad-key.md").write_text("---\ntitle: X\ncolour: red\n---\nBody\n")
    (folder / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    (folder / "bad-type.md").write_text("---\ntitle: X\ncontact_type: NOPE\n---\nBody\n")
    (folder / "bad-ack.md").write_text("---\ntitle: X\nrequires_ack: maybe\n---\nBody\n")
    result = _run("knowledge", "import", str(folder), "--program", "SHARED", "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["created"] == ["refund.md", "shipping.md"]
    reasons = {e["file"]: e["reason"] for e in report["errors"]}
    assert reasons == {
        "bad-ack.md": "requires_ack must be true or false",
        "bad-key.md": "unknown front matter key 'colour' (use ack_due_days, audience, contact_type, note, "
        "requires_ack, review_by, slug, title)",
        "bad-type.md": "contact_type: Program SHARED has no contact type 'NOPE'.",
        "bad-yaml.md": "the front matter is not valid YAML (line 2)",
        "no-front.md": "no front matter: start the file with a '---' line, then title: …, then '---'",
    }


def test_unknown_program_and_folder_are_one_line(world, folder, tmp_path):
    result = runner.invoke(app, ["knowledge", "import", str(folder), "--program", "NOPE"])
    assert result.exit_code == 1 and "no program with code 'NOPE'" in result.output
    result = runner.invoke(app, ["knowledge", "import", str(tmp_path / "missing"), "--program", "SHARED"])
    assert result.exit_code == 1 and "no such folder" in result.output


def test_search_prints_hits_best_first(world, folder):
    _run("knowledge", "import", str(folder), "--program", "SHARED")
    result = _run("knowledge", "search", "damaged refnd", "--json")
    hits = json.loads(result.output)["hits"]
    assert [h["slug"] for h in hits] == ["refund-damaged"]
    assert set(hits[0]) == {"slug", "title", "version", "program", "score"}
