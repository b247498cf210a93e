"""Scores over arrays are the BM25F formula computed one posting at a time, to the last bit."""

import math

import pytest

from catalog.search import _query, facet_table
from catalog.search._scoring import (
    COVERAGE_FLOOR,
    COVERAGE_POWER,
    FIELD_WEIGHTS,
    K1,
    POPULARITY,
    B,
    score,
)
from catalog.search._state import state_of

QUERIES = [
    "ghost module",
    "residual connections between layers",
    "attention",
    "normalisation",
    "R-CNN",
    "squeeze and excitation block",
    "1512.03385",
    "selective kernel convolution",
    "the of and",
    "",
]


def reference(state, weights, boosts) -> dict[int, float]:
    """The formula of `_scoring.py`'s docstring, one posting at a time."""
    scores: dict[int, float] = {}
    covered: dict[int, float] = {}
    for token, idf in weights.items():
        holders = set()
        for name, weight in FIELD_WEIGHTS.items():
            lengths, average = state.lengths(name)
            for docnum, tf in state.postings(name, token).items():
                denominator = tf + K1 * (1 - B) + K1 / average * B * lengths[docnum]
                scores[docnum] = scores.get(docnum, 0.0) + weight * idf * tf * (K1 + 1) / denominator
                holders.add(docnum)
        for docnum in holders:
            covered[docnum] = covered.get(docnum, 0.0) + idf
    whole = set()
    for boost in boosts:
        for docnum in boost.docs:
            scores[docnum] = scores.get(docnum, 0.0) + boost.amount
            whole.add(docnum)
    total = sum(weights.values())
    final = {}
    for docnum, value in scores.items():
        cover = 1.0 if docnum in whole or not total else covered.get(docnum, 0.0) / total
        prior = 1.0 + POPULARITY * math.log1p(state.popularity[docnum])
        final[docnum] = value * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * cover**COVERAGE_POWER) * prior
    return final


@pytest.mark.parametrize("query", QUERIES)
def test_scores_are_the_formula_to_the_last_bit(seed_catalog, query):
    with seed_catalog.index.generations.searcher() as searcher:
        state = state_of(searcher)
        plan = _query.plan(state, query)
        boosts = _query._boosts(state, plan)
        expected = reference(state, plan.weights, boosts)
        assert score(state, plan.weights, boosts) == expected, f"{query!r}: scores differ from the formula"
    assert bool(expected) == bool(plan.weights or any(b.docs for b in boosts)), f"{query!r}: nothing scored"


def test_facets_counted_over_arrays_are_the_facets_counted_one_by_one(seed_catalog, monkeypatch):
    with seed_catalog.index.generations.searcher() as searcher:
        table = state_of(searcher).facets
        for docnums in (set(range(searcher.doc_count_all())), {0, 3, 7}, set()):
            monkeypatch.setattr(facet_table, "MANY", 10**9)
            one_by_one = table.count(docnums)
            monkeypatch.setattr(facet_table, "MANY", 0)
            assert table.count(docnums) == one_by_one, f"{len(docnums)} documents: facet counts differ"
            assert list(map(list, table.count(docnums).values())) == list(map(list, one_by_one.values())), (
                "facet values come in another order"
            )
