"""Articles are Markdown; what reaches a browser is rendered once and sanitised (no Django).

markdown-it-py renders CommonMark with tables; nh3 (Ammonia) then keeps only the tags and
attributes an article needs, so an author's pasted ``<script>`` or ``onerror=`` never runs in an
agent's browser, and links get ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import difflib
import html

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}


def render(markdown: str) -> str:
    return nh3.clean(
        _md.render(markdown),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def diff_html(before: str, after: str, *, before_label: str, after_label: str) -> str:
    """A line diff of two Markdown texts as an escaped HTML table (difflib), for "what changed"."""
    table = difflib.HtmlDiff(wrapcolumn=80).make_table(
        before.splitlines(), after.splitlines(), html.escape(before_label), html.escape(after_label), context=True
    )
    return table
