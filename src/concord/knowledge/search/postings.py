"""What ranking reads, held in memory per index generation: term statistics and postings per stem.

A search used to join the full-text match to the postings table and sum BM25F in SQL: a query
holding a word most articles contain grouped tens of thousands of rows on every call. The numbers
behind a stem only change when an article is (re)indexed, so each process loads a stem's postings
once, as arrays, and scores them with numpy. The generation key (two primary-key maxima, one index
lookup each) is asked on every search, so a publish in any process empties every process's cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.db import connection

from . import rank

#: postings held per process, least recently used dropped first: about 24 bytes each (~24 MB)
POSTINGS_BUDGET = 1_000_000


@dataclass(frozen=True)
class Postings:
    """One stem's current postings: parallel arrays, one entry per article holding the stem."""

    version_ids: np.ndarray  # int64
    program_ids: np.ndarray  # int64
    #: BM25F's weighted, length-normalised term frequency (``rank.score``'s ``weighted``)
    weighted: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.version_ids)


_EMPTY = Postings(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64))


def weighted_frequencies(counts: np.ndarray, average_body_length: float) -> np.ndarray:
    """``rank.score``'s ``weighted`` for rows of (title, heading, body count, body length), vectorised.

    The operations run in ``rank.score``'s order, so each value is the same float it computes.
    """
    title, heading, body, length = (counts[:, i].astype(np.float64) for i in range(4))
    w = rank.FIELD_WEIGHTS
    if average_body_length:
        norm = 1 - rank.B + rank.B * (length / average_body_length)
    else:
        norm = np.full(len(counts), 1 - rank.B + rank.B * 1.0)
    return w["t"] * title + w["h"] * heading + body / norm


class Index:
    """Term statistics (loaded whole) and postings (loaded per stem, on first use) of one generation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self.frequencies: dict[str, int] = {}
        self.stems: list[str] = []  # the vocabulary as a list, for typo matching
        self.documents = 0
        self.average_body_length = 0.0
        self._postings: OrderedDict[str, Postings] = OrderedDict()
        self._held = 0

    def forget(self) -> None:
        with self._lock:
            self._key = None
            self._postings.clear()
            self._held = 0

    def forget_postings(self) -> None:
        """Drop the postings held, keeping the statistics: the first searches after a start (benchmark)."""
        with self._lock:
            self._postings.clear()
            self._held = 0

    def current(self) -> Index:
        with connection.cursor() as cursor:
            # every re-index writes postings with new, higher ids (ids are never reused), in any process
            cursor.execute(
                "SELECT (SELECT MAX(id) FROM knowledge_posting), (SELECT MAX(id) FROM knowledge_articleversion)"
            )
            key = (connection.alias, connection.vendor, *cursor.fetchone())
            with self._lock:
                if key == self._key:
                    return self
            # joined to the versions: rows left behind by a flush that only knows Django's tables
            # (tests, ``manage.py flush``) do not count. The sum, not AVG: integers on both databases,
            # so the average (and every score) is the same float on SQLite and PostgreSQL
            cursor.execute(
                "SELECT COUNT(*), SUM(v.length) FROM knowledge_fts f"
                " JOIN knowledge_articleversion v ON v.id = f.version_id"
            )
            documents, total_length = cursor.fetchone()
            # the same query on both databases: how many current articles hold each stem
            cursor.execute("SELECT stem, COUNT(*) FROM knowledge_posting GROUP BY stem")
            frequencies = dict(cursor.fetchall())
        with self._lock:
            self.frequencies, self.stems = frequencies, list(frequencies)
            self.documents = documents
            self.average_body_length = int(total_length or 0) / documents if documents else 0.0
            self._postings.clear()
            self._held = 0
            self._key = key
        return self

    def postings(self, stems: list[str]) -> dict[str, Postings]:
        """Each stem's postings, from memory or in one query for those not held yet."""
        with self._lock:
            found = {s: self._postings[s] for s in stems if s in self._postings}
            for s in found:
                self._postings.move_to_end(s)
            average, key = self.average_body_length, self._key
        missing = [s for s in stems if s not in found]
        if missing:
            loaded = self._load(missing, average)
            with self._lock:
                if key == self._key:  # not a generation that changed while we read
                    for s, p in loaded.items():
                        self._hold(s, p)
            found.update(loaded)
        return found

    def _load(self, stems: list[str], average: float) -> dict[str, Postings]:
        marks = ", ".join(["%s"] * len(stems))  # only placeholders are formatted in; the stems are parameters
        sql = (
            "SELECT stem, version_id, program_id, title_count, heading_count, body_count, body_length"  # noqa: S608
            f" FROM knowledge_posting WHERE stem IN ({marks}) ORDER BY stem, version_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, stems)
            rows = cursor.fetchall()
        loaded = dict.fromkeys(stems, _EMPTY)
        if not rows:
            return loaded
        names = [r[0] for r in rows]
        numbers = np.array([r[1:] for r in rows], dtype=np.int64)
        weighted = weighted_frequencies(numbers[:, 2:], average)
        start = 0
        for end in [*(i for i in range(1, len(names)) if names[i] != names[i - 1]), len(names)]:
            loaded[names[start]] = Postings(numbers[start:end, 0], numbers[start:end, 1], weighted[start:end])
            start = end
        return loaded

    def _hold(self, stem: str, postings: Postings) -> None:
        if stem in self._postings or len(postings) > POSTINGS_BUDGET:
            return
        self._postings[stem] = postings
        self._held += len(postings)
        while self._held > POSTINGS_BUDGET:
            _, dropped = self._postings.popitem(last=False)
            self._held -= len(dropped)
