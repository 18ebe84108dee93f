"""Articles holding a query's stems, ranked by ``rank.score``.

Publishing writes two indexes of the same stems. The full-text index (table ``knowledge_fts``, one
row per article) is the database's own: SQLite keeps it as an FTS5 table, PostgreSQL as a
``tsvector`` with a GIN index, both fed our stems under a tokeniser that does not stem again
(``unicode61`` / the ``simple`` configuration); it counts the indexed articles and is the
benchmark's floor. The postings (``Posting``, one row per stem and article) hold the counts
ranking needs; a search reads them per stem, once per index generation (``postings``), so the
candidates are the articles with a posting of a query stem: the full-text match by construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from . import postings, rank, text

#: words shorter than this are not typo-corrected: "cat" -> "car" is a different word, not a slip
MIN_CORRECTABLE = 4


@dataclass(frozen=True)
class Hit:
    article_id: int
    version_id: int
    slug: str
    title: str
    version: int
    program: str
    score: float


# ---- writing the index -------------------------------------------------------------------------


def index_version(version) -> None:
    """Make ``version`` the indexed text of its article (replacing the one before)."""
    title = " ".join(text.stems(version.title))
    headings = " ".join(text.stems(version.headings))
    body = " ".join(text.stems(version.body))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DELETE FROM knowledge_fts WHERE article_id = %s", [version.article_id])
            cursor.execute(
                "INSERT INTO knowledge_fts (article_id, version_id, program_id, document) VALUES (%s, %s, %s, "
                "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
                " || setweight(to_tsvector('simple', %s), 'C'))",
                [version.article_id, version.pk, version.article.program_id, title, headings, body],
            )
        else:
            # FTS5 cannot index article_id: the row's rowid is the article id (migration 0006), so replacing
            # an article's row is a key lookup, not a scan of the whole index
            cursor.execute("DELETE FROM knowledge_fts WHERE rowid = %s", [version.article_id])
            cursor.execute(
                "INSERT INTO knowledge_fts (rowid, article_id, version_id, program_id, title, headings, body)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [version.article_id, version.article_id, version.pk, version.article.program_id, title, headings, body],
            )
    from ..models import Posting

    Posting.objects.filter(article_id=version.article_id).delete()
    counts = version.terms
    stems = set(counts.get("t", {})) | set(counts.get("h", {})) | set(counts.get("b", {}))
    Posting.objects.bulk_create(
        [
            Posting(
                article_id=version.article_id,
                version_id=version.pk,
                program_id=version.article.program_id,
                stem=stem[:64],
                title_count=counts.get("t", {}).get(stem, 0),
                heading_count=counts.get("h", {}).get(stem, 0),
                body_count=counts.get("b", {}).get(stem, 0),
                body_length=version.length,
            )
            for stem in sorted(stems)
        ],
        batch_size=1000,
    )
    _vocabulary.forget()


# ---- the vocabulary and postings, cached per index generation (``postings``) ----------------------


_vocabulary = postings.Index()


def _query_terms(query: str, vocabulary: postings.Index) -> list[rank.QueryTerm]:
    terms: dict[str, float] = {}
    for word in text.words(query):
        stem = text.stem(word)
        if stem in vocabulary.frequencies:
            terms[stem] = max(terms.get(stem, 0.0), 1.0)
            continue
        if len(word) < MIN_CORRECTABLE:
            continue
        # one-letter slips: a stem at edit distance 1 from the word's stem or the word itself
        for candidate in {stem, word}:
            for match, _distance, _ in process.extract(
                candidate, vocabulary.stems, scorer=Levenshtein.distance, score_cutoff=1, limit=5
            ):
                terms[match] = max(terms.get(match, 0.0), rank.CORRECTED_WEIGHT)
    return [rank.QueryTerm(stem, weight) for stem, weight in terms.items()]


def _match_sql(stems: list[str]) -> tuple[str, list]:
    """The database's full-text match of any of the stems: (SQL selecting version_id, parameters)."""
    if connection.vendor == "postgresql":
        tsquery = " | ".join(stems)  # stems are word characters only: nothing to escape
        return "SELECT version_id FROM knowledge_fts WHERE document @@ to_tsquery('simple', %s)", [tsquery]
    return "SELECT version_id FROM knowledge_fts WHERE knowledge_fts MATCH %s", [" OR ".join(f'"{s}"' for s in stems)]


def _candidates(stems: Iterable[str], program_ids: set[int] | None) -> list[int]:
    """Ids of the versions the full-text index matches (the benchmark's floor)."""
    sql, params = _match_sql(list(stems))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [row[0] for row in cursor.fetchall()]
    return rows


def _ranked(terms: list[rank.QueryTerm], idfs: dict[str, float], index: postings.Index, program_ids, limit: int):
    """(version_id, score) best first, by ``rank.score``'s formula (BM25F) over the stems' cached postings.

    The same arithmetic as ``rank.score``, in the same order (a test holds the two equal), vectorised:
    a query whose words are in most articles adds a few arrays instead of grouping rows in SQL. Scores
    are rounded to 6 places and ties go to the lower version id, as the SQL ranking did.
    """
    held = index.postings([t.stem for t in terms])
    parts = [(held[t.stem], t.weight * idfs[t.stem]) for t in terms if len(held[t.stem])]
    if not parts:
        return []
    version_ids = np.concatenate([p.version_ids for p, _ in parts])
    # per term in query order, so each article's sum adds its terms in rank.score's order
    contributions = np.concatenate([w * p.weighted / (rank.K1 + p.weighted) for p, w in parts])
    if program_ids is not None:
        visible = np.isin(np.concatenate([p.program_ids for p, _ in parts]), np.fromiter(program_ids, np.int64))
        version_ids, contributions = version_ids[visible], contributions[visible]
    articles, slot = np.unique(version_ids, return_inverse=True)
    scores = np.round(np.bincount(slot, weights=contributions, minlength=len(articles)), 6)
    best = np.lexsort((articles, -scores))[:limit]
    return [(int(articles[i]), float(scores[i])) for i in best]


def search(query: str, *, program_ids: set[int] | None = None, limit: int = 20) -> list[Hit]:
    """Best first. ``program_ids`` limits to those programs (the caller's visible ones)."""
    vocabulary = _vocabulary.current()
    terms = _query_terms(query, vocabulary)
    if not terms:
        return []
    if program_ids is not None and not program_ids:
        return []
    idfs = {t.stem: rank.idf(vocabulary.documents, vocabulary.frequencies.get(t.stem, 0)) for t in terms}
    ranked = _ranked(terms, idfs, vocabulary, program_ids, limit)
    if not ranked:
        return []
    scores = dict(ranked)
    # one plain query, not the ORM: building model instances for 20 rows cost more than ranking them
    marks = ", ".join(["%s"] * len(scores))  # only placeholders are formatted in; the ids are parameters
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.id, v.article_id, a.slug, v.title, v.number, p.code FROM knowledge_articleversion v"  # noqa: S608
            " JOIN knowledge_article a ON a.id = v.article_id JOIN providers_program p ON p.id = a.program_id"
            f" WHERE v.id IN ({marks})",
            list(scores),
        )
        rows = cursor.fetchall()
    hits = [
        Hit(article_id=article_id, version_id=version_id, slug=slug, title=title, version=number, program=program,
            score=scores[version_id])
        for version_id, article_id, slug, title, number, program in rows
    ]  # fmt: skip
    hits.sort(key=lambda h: (-h.score, h.version_id))
    return hits[:limit]


__all__ = ["Hit", "index_version", "search"]
