"""Search does bounded work for any input, and filters alone browse the catalog."""

import random

from catalog.search._query import plan
from catalog.search._state import state_of
from catalog.search.corrections import MAX_CORRECTIONS
from catalog.search.query_text import MAX_WORDS
from catalog.store import Catalog


def _random_words(count: int) -> str:
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(count))


def test_a_query_of_a_thousand_words_searches_only_its_first_words(seed_catalog: Catalog):
    text = _random_words(1_100)
    with seed_catalog.index.generations.searcher() as searcher:
        the_plan = plan(state_of(searcher), text)
    assert len(the_plan.words) == MAX_WORDS, f"{len(the_plan.words)} words searched, not {MAX_WORDS}"
    terms = len(the_plan.weights)
    assert terms <= 2 * MAX_WORDS, f"{terms} weighted terms for {MAX_WORDS} words and their corrections"
    if the_plan.suggestion:
        changed = sum(a != b for a, b in zip(the_plan.words, the_plan.suggestion.split(), strict=False))
        assert changed <= MAX_CORRECTIONS, f"{changed} words corrected, at most {MAX_CORRECTIONS} allowed"
    result = seed_catalog.index.search(text)
    assert result.query == text, "the answer names the query as sent"


def test_a_parameter_bound_beyond_64_bits_means_no_bound(seed_catalog: Catalog):
    unbounded = seed_catalog.index.search("attention")
    huge = seed_catalog.index.search("attention", max_params=2**70)
    assert huge.count == unbounded.count > 0, (
        f"max_params=2**70 gave {huge.count}, no bound {unbounded.count}"
    )
    assert seed_catalog.index.search("attention", max_params=2**63 - 1).count <= unbounded.count


def test_filters_without_words_list_every_method_they_admit_by_name(seed_catalog: Catalog):
    everything = seed_catalog.index.search("", filters={"has_implementation": "true"}, limit=100)
    names = [hit["name"].lower() for hit in everything.hits]
    assert everything.count == len(names) == seed_catalog.count(), (
        f"{everything.count} implemented methods listed of {seed_catalog.count()} (every seed method has one)"
    )
    assert names == sorted(names), f"browsing lists by name: {names[:5]}"
    assert everything.facets["has_implementation"] == {"true": everything.count}, everything.facets
    optimizers = seed_catalog.index.search("", filters={"kind": "optimizer"}).hits
    assert {h["slug"] for h in optimizers} == {"nesterov-accelerated-gradient", "evolved-sign-momentum"}, (
        optimizers
    )
    assert seed_catalog.index.search("").count == 0, "no words and no filter is no search"


def test_browsing_sorts_by_papers_on_request(seed_catalog: Catalog):
    by_papers = seed_catalog.index.search(
        "", filters={"has_implementation": "true"}, sort="papers", limit=100
    )
    with seed_catalog.session() as session:
        from sqlmodel import select

        from catalog.models import Method

        papers = {m.slug: m.num_papers or 0 for m in session.exec(select(Method)).all()}
    counts = [papers[hit["slug"]] for hit in by_papers.hits]
    assert counts == sorted(counts, reverse=True), f"papers order: {counts}"


def test_a_query_with_words_can_be_sorted_by_name(seed_catalog: Catalog):
    ranked = seed_catalog.index.search("attention")
    by_name = seed_catalog.index.search("attention", sort="name")
    assert by_name.count == ranked.count, "sorting does not change what matches"
    names = [hit["name"].lower() for hit in by_name.hits]
    assert names == sorted(names), f"sort=name: {names}"
