"""The ranking rule and the tokeniser, against hand computations (no database)."""

from __future__ import annotations

import math

import pytest

from concord.knowledge import markdown
from concord.knowledge.search import rank, text


def test_idf_by_hand():
    # 3 articles, 1 holds the word: ln(1 + (3 - 1 + 0.5) / (1 + 0.5)) = ln(8/3)
    assert rank.idf(3, 1) == pytest.approx(math.log(8 / 3))
    assert rank.idf(10, 10) > 0  # the Lucene form never goes negative


def test_bm25f_score_by_hand():
    # title tf 1 (weight 3) + body tf 2 (weight 1, body length = average, so norm 1) = 5
    # score = idf * 5 / (1.2 + 5) with idf = ln(8/3) = 0.980829 -> 0.790991
    terms = {"t": {"refund": 1}, "h": {}, "b": {"refund": 2}}
    got = rank.score(terms, 10, [rank.QueryTerm("refund")], idfs={"refund": rank.idf(3, 1)}, average_body_length=10)
    assert got == pytest.approx(0.790991, abs=1e-6)


def test_long_body_is_normalised_down_and_corrections_count_less():
    terms = {"t": {}, "h": {}, "b": {"refund": 2}}
    short = rank.score(terms, 10, [rank.QueryTerm("refund")], idfs={"refund": 1.0}, average_body_length=20)
    long = rank.score(terms, 40, [rank.QueryTerm("refund")], idfs={"refund": 1.0}, average_body_length=20)
    assert short > long
    # norm for 40/20: 1 - 0.75 + 0.75 * 2 = 1.75; weighted 2 / 1.75 = 1.142857; 1.142857 / 2.342857 = 0.487805
    assert long == pytest.approx(0.487805, abs=1e-6)
    corrected = rank.score(
        terms, 40, [rank.QueryTerm("refund", rank.CORRECTED_WEIGHT)], idfs={"refund": 1.0}, average_body_length=20
    )
    assert corrected == pytest.approx(0.6 * 0.487805, abs=1e-6)


def test_stems_join_word_forms_and_drop_stopwords():
    assert text.stems("Refunds refunded REFUNDING the refund") == ["refund"] * 4
    assert text.stems("cancellations") == text.stems("cancellation")
    assert text.words("What is the cut-off?") == ["cut", "off"]


def test_headings_are_found_in_markdown():
    body = "# Refund a damaged item\n\nText\n\n## Who notifies the customer ##\n\n    # not a heading (code)\n"
    assert text.headings(body) == ["Refund a damaged item", "Who notifies the customer"]


def test_rendered_markdown_is_sanitised():
    html = markdown.render(
        "# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://example.com)\n\n"
        '![i](https://example.com/a.png "t")\n\n| a | b |\n|---|---|\n| 1 | 2 |\n'
    )
    assert "<script" not in html and 'href="javascript' not in html
    assert '<a href="https://example.com" rel="noopener noreferrer">ok</a>' in html
    assert "<table>" in html and "<h1>Title</h1>" in html
    # raw HTML in the source is shown as text, never as markup
    assert "&lt;script&gt;" in html


def test_diff_escapes_both_sides():
    table = markdown.diff_html("old <b>x</b>", "new <i>y</i>", before_label="v1 <", after_label="v2")
    assert "<b>" not in table and "&lt;b&gt;" in table and "v1 &lt;" in table
