"""Facet values read once per index generation, then counted over a query's matches.

Whoosh's `FieldFacet` rebuilds its per-document caches for every search: about
half of a query's time on the full catalog. The values of a facet field never
change within one searcher, so they are read here once, from the postings of
each value (no stored-field decoding), and kept as each document's values; a
query's counts are then one pass in C over its matches' values (a few times
cheaper than one set intersection per value, even when most documents match),
or, from `MANY` matches on, one pass of NumPy over every document's values
(a few times cheaper again when a query matches most of a large catalog).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from itertools import chain
from typing import Any

MANY = 2_000
"""Documents from which counting goes over arrays of every membership instead of document by document."""


class FacetTable:
    """For each facet field, value -> the document numbers of one reader holding it."""

    def __init__(self, reader: Any, fields: Sequence[str]) -> None:
        self.fields = tuple(fields)
        self._docs: dict[str, dict[str, frozenset[int]]] = {}
        for name in self.fields:
            values: dict[str, frozenset[int]] = {}
            if name in reader.indexed_field_names():
                for raw in reader.lexicon(name):
                    value = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
                    if value:
                        values[value] = frozenset(reader.postings(name, raw).all_ids())
            self._docs[name] = values
        self._pairs = [(name, value) for name, values in self._docs.items() for value in values]
        of_doc: list[list[int]] = [[] for _ in range(reader.doc_count_all())]
        for index, (name, value) in enumerate(self._pairs):
            for docnum in self._docs[name][value]:
                of_doc[docnum].append(index)
        self._of_doc = [tuple(indexes) for indexes in of_doc]
        """Document number -> the indexes in `_pairs` of the (field, value) pairs it holds."""
        self._flat: tuple[Any, Any] | None = None
        """Every (document, pair index) membership as two arrays, for counting many documents at once."""

    def values(self, name: str, docnum: int) -> tuple[str, ...]:
        return tuple(value for value, docs in self._docs[name].items() if docnum in docs)

    def count(self, docnums: Collection[int]) -> dict[str, dict[str, int]]:
        """Per field, value -> number of `docnums` (distinct) holding it, most frequent first, then by value."""
        counts: dict[str, dict[str, int]] = {name: {} for name in self.fields}
        tally = self._tally_many(docnums) if len(docnums) >= MANY else self._tally(docnums)
        for index, found in tally.items():
            name, value = self._pairs[index]
            counts[name][value] = found
        return {
            name: dict(sorted(held.items(), key=lambda kv: (-kv[1], kv[0]))) for name, held in counts.items()
        }

    def _tally(self, docnums: Collection[int]) -> dict[int, int]:
        return Counter(chain.from_iterable(map(self._of_doc.__getitem__, docnums)))

    def _tally_many(self, docnums: Collection[int]) -> dict[int, int]:
        """`_tally` over arrays: one pass over every membership, whatever the number of documents."""
        import numpy as np

        if self._flat is None:
            sizes = np.fromiter(map(len, self._of_doc), dtype=np.int64, count=len(self._of_doc))
            pairs = np.fromiter(chain.from_iterable(self._of_doc), dtype=np.int64, count=int(sizes.sum()))
            self._flat = (np.repeat(np.arange(len(self._of_doc)), sizes), pairs)
        doc_of, pair_of = self._flat
        chosen = np.zeros(len(self._of_doc), dtype=bool)
        chosen[np.fromiter(docnums, dtype=np.int64, count=len(docnums))] = True
        tally = np.bincount(pair_of[chosen[doc_of]], minlength=len(self._pairs))
        held = np.flatnonzero(tally)
        return dict(zip(held.tolist(), tally[held].tolist(), strict=True))
