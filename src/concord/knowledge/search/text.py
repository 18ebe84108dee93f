"""Words and stems: the one tokeniser both indexing and querying use (no Django)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
# Words too common to tell articles apart; dropping them keeps candidate sets small.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)
_stemmer = snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) <= 64]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def headings(markdown: str) -> list[str]:
    return [m.group(1) for m in _HEADING.finditer(markdown)]


def term_counts(*, title: str, headings_text: str, body: str) -> dict[str, dict[str, int]]:
    """Stem counts per field, as stored on a version for ranking: t(itle), h(eadings), b(ody)."""
    return {
        "t": dict(Counter(stems(title))),
        "h": dict(Counter(stems(headings_text))),
        "b": dict(Counter(stems(body))),
    }
