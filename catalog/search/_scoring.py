"""Ranking a query's matches: BM25F over the index's postings, held in memory per generation.

Whoosh's matcher tree walks every term of every field in pure Python for each
query (most of a search's time on the full catalog). The catalog is small, so
each term's postings are read from the index once per generation into a dict
(document number -> term frequency) and every match is scored here:

    score(d) = Σ_terms Σ_fields weight_f · idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·len_f(d)/avg_f))
               + boosts for whole-query matches (exact names, arXiv ids, paper titles, …)

(each posting's tf and BM25 denominator worked out once per generation, as
NumPy arrays), then multiplied by how much of the query the document covers
(the share of the query terms' IDF it holds in any field; a whole-query match
covers all) and by a small popularity prior. Every document is scored at once
over arrays: a query of common words matching most of a 50,000-method catalog
takes a third of the time a loop over its postings took, with the same scores
to the last bit (`tests/catalog/test_scoring.py`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from catalog.search._state import MAX_CACHED_POSTINGS, GenerationState

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {
    "name": 1.2,
    "full_name": 1.0,
    "aliases": 1.0,
    "derived": 0.6,
    "paper": 1.5,
    "description": 2.0,
}
"""Per term, a name counts about what a description does (names are short, so BM25 already favours
them): one word shared with a name must not outweigh a description that says what the query says.
Tuned on the judged queries of `tests/relevance/`."""
POPULARITY = 0.25
"""A method many papers use moves up: score × (1 + 0.25 · ln(1 + papers))."""
COVERAGE_FLOOR = 0.15
COVERAGE_POWER = 3.0
"""score × (0.15 + 0.85 · coverage³): a method holding half the query's weight keeps a quarter."""


@dataclass
class Boost:
    """Documents matching the whole query in one keyword field, and what that adds to their score."""

    docs: Iterable[int]
    amount: float


_NONE: tuple[Any, Any, Any] = ((), (), ())
"""A word no document holds in a field: nothing to score."""


def _terms(state: GenerationState, name: str, token: str) -> tuple[Any, Any, Any]:
    """Arrays of (documents holding `token` in field `name`, their tf, their BM25 denominator)."""
    import numpy as np

    key = ("bm25", name, token)
    found = state.derived.get(key)
    if found is None:
        postings = state.postings(name, token)
        if not postings:
            return _NONE  # most fields lack most words: no array work for them
        docnums = np.fromiter(postings.keys(), dtype=np.int64, count=len(postings))
        tfs = np.fromiter(postings.values(), dtype=np.float64, count=len(postings))
        lengths, average = _lengths(state, name)
        denominators = tfs + K1 * (1 - B) + (K1 / average) * B * lengths[docnums]
        found = (docnums, tfs, denominators)
        if len(state.derived) < MAX_CACHED_POSTINGS:
            state.derived[key] = found
    return found


def _lengths(state: GenerationState, name: str) -> tuple[Any, float]:
    """Every document's length in field `name`, as an array, and the average."""
    import numpy as np

    key = ("lengths", name)
    found = state.derived.get(key)
    if found is None:
        lengths, average = state.lengths(name)
        found = state.derived[key] = (np.asarray(lengths, dtype=np.float64), average)
    return found


def score(state: GenerationState, weights: dict[str, float], boosts: Iterable[Boost]) -> dict[int, float]:
    """Document number -> final score for every document matching a query term or a whole-query boost.

    Computed over arrays of every document at once, each document's sums in the same order and with the
    same operations as a loop over postings would, so the scores are the same to the last bit."""
    import numpy as np

    size = len(state.popularity)
    score = np.zeros(size)
    covered = np.zeros(size)
    matched = np.zeros(size, dtype=bool)
    k1_1 = K1 + 1
    for token, idf in weights.items():
        holders = np.zeros(size, dtype=bool)
        for name, weight in FIELD_WEIGHTS.items():
            docnums, tfs, denominators = _terms(state, name, token)
            if len(docnums):
                score[docnums] += weight * idf * tfs * k1_1 / denominators
                holders[docnums] = True
        covered[holders] += idf
        matched |= holders
    whole = np.zeros(size, dtype=bool)
    for boost in boosts:
        docnums = np.fromiter(boost.docs, dtype=np.int64)
        np.add.at(score, docnums, boost.amount)
        whole[docnums] = True
    matched |= whole
    found = np.flatnonzero(matched)
    total = sum(weights.values())
    cover = np.ones(len(found)) if not total else np.where(whole[found], 1.0, covered[found] / total)
    # C's pow, as Python's `**` is: NumPy's own rounds the last bit differently for one value in twenty
    cubed = np.array([c**COVERAGE_POWER for c in cover.tolist()])
    final = score[found] * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * cubed) * _prior(state)[found]
    return dict(zip(found.tolist(), final.tolist(), strict=True))


def _prior(state: GenerationState) -> Any:
    """Document number -> its popularity factor, 1 + 0.25 · ln(1 + papers), as an array."""
    import numpy as np

    found = state.derived.get("prior")
    if found is None:
        found = state.derived["prior"] = np.array(
            [1.0 + POPULARITY * math.log1p(p) for p in state.popularity]
        )
    return found
