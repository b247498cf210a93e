"""Ranking a query's matches: BM25F over the index's postings, held in memory per generation.

Whoosh's matcher tree walks every term of every field in pure Python for each
query (most of a search's time on the full catalog). The catalog is small, so
each term's postings are read from the index once per generation into a dict
(document number -> term frequency) and every match is scored here:

    score(d) = Σ_terms Σ_fields weight_f · idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·len_f(d)/avg_f))
               + boosts for whole-query matches (exact names, arXiv ids, paper titles, …)

(each posting's tf and BM25 denominator worked out once per generation), then
multiplied by how much of the query the document covers (the share of
the query terms' IDF it holds in any field; a whole-query match covers all)
and by a small popularity prior.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

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


@dataclass
class Scored:
    score: dict[int, float] = field(default_factory=dict)
    covered: dict[int, float] = field(default_factory=dict)
    whole: set[int] = field(default_factory=set)


def _terms(state: GenerationState, name: str, token: str) -> tuple[tuple[int, float, float], ...]:
    """(document, tf, BM25 denominator) for each document holding `token` in field `name`."""
    key = ("bm25", name, token)
    found = state.derived.get(key)
    if found is None:
        postings = state.postings(name, token)
        if postings:
            lengths, average = state.lengths(name)
            norm = K1 / average
            found = tuple(
                (docnum, tf, tf + K1 * (1 - B) + norm * B * lengths[docnum])
                for docnum, tf in postings.items()
            )
        else:
            found = ()
        if len(state.derived) < MAX_CACHED_POSTINGS:
            state.derived[key] = found
    return found


def score(state: GenerationState, weights: dict[str, float], boosts: Iterable[Boost]) -> dict[int, float]:
    """Document number -> final score for every document matching a query term or a whole-query boost."""
    scored = Scored()
    score, covered = scored.score, scored.covered
    part, k1_1 = score.get, K1 + 1  # the loop below runs once per posting: no lookups in it
    for token, idf in weights.items():
        holders: set[int] = set()
        for name, weight in FIELD_WEIGHTS.items():
            scale = weight * idf
            for docnum, tf, denominator in _terms(state, name, token):
                score[docnum] = part(docnum, 0.0) + scale * tf * k1_1 / denominator
            holders.update(state.postings(name, token))
        for docnum in holders:
            covered[docnum] = covered.get(docnum, 0.0) + idf
    for boost in boosts:
        for docnum in boost.docs:
            score[docnum] = score.get(docnum, 0.0) + boost.amount
            scored.whole.add(docnum)
    total = sum(weights.values())
    prior, whole, rest = _prior(state), scored.whole, 1 - COVERAGE_FLOOR
    final = {}
    for docnum, value in score.items():
        cover = 1.0 if docnum in whole or not total else covered.get(docnum, 0.0) / total
        final[docnum] = value * (COVERAGE_FLOOR + rest * cover**COVERAGE_POWER) * prior[docnum]
    return final


def _prior(state: GenerationState) -> list[float]:
    """Document number -> its popularity factor, 1 + 0.25 · ln(1 + papers)."""
    found = state.derived.get("prior")
    if found is None:
        found = state.derived["prior"] = [1.0 + POPULARITY * math.log1p(p) for p in state.popularity]
    return found
