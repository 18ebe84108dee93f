"""Full-text search over the current version of every article.

The database holds the index (postings per stem, and SQLite FTS5 or PostgreSQL full-text search)
and one ranking function in Python orders the hits, so both databases give the same hits in the
same order. Both engines index text we have already stemmed (``text.stems``), not their own
stemmers' output: FTS5's Porter and PostgreSQL's English Snowball stem differently, and a search
must not answer differently because of where it is deployed.
"""

from .engine import Hit, search

__all__ = ["Hit", "search"]
