"""BM25F: one ranking rule for every database (no Django).

Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009), §3.2:
field term frequencies are weighted and length-normalised per field, summed, then saturated once.
A title word counts three times a body word and a heading word twice, which is what an agent
expects: the article called "Refund a damaged item" beats one that mentions refunds in passing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FIELD_WEIGHTS = {"t": 3.0, "h": 2.0, "b": 1.0}
K1 = 1.2
B = 0.75
#: a query word matched only through a one-letter correction counts this much of an exact match
CORRECTED_WEIGHT = 0.6


@dataclass(frozen=True)
class QueryTerm:
    stem: str
    weight: float = 1.0  # CORRECTED_WEIGHT for a typo correction


def idf(documents: int, containing: int) -> float:
    """BM25's idf, the "+1" form that is never negative (Lucene's)."""
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))


def score(
    terms: Mapping[str, Mapping[str, int]],
    body_length: int,
    query: Sequence[QueryTerm],
    *,
    idfs: Mapping[str, float],
    average_body_length: float,
) -> float:
    total = 0.0
    norm = 1 - B + B * (body_length / average_body_length if average_body_length else 1.0)
    for term in query:
        weighted = 0.0
        for field, weight in FIELD_WEIGHTS.items():
            tf = terms.get(field, {}).get(term.stem, 0)
            if tf:
                # titles and headings are short: normalise the body only
                weighted += weight * tf / (norm if field == "b" else 1.0)
        if weighted:
            total += term.weight * idfs[term.stem] * weighted / (K1 + weighted)
    return total
