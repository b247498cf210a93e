"""Facet values read once per index generation, then counted over a query's matches.

Whoosh's `FieldFacet` rebuilds its per-document caches for every search: about
half of a query's time on the full catalog. The values of a facet field never
change within one searcher, so they are read here once, from the postings of
each value (no stored-field decoding), into one tuple of values per document
number; a query's counts are then a pass over its matched document numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any


class FacetTable:
    """For each facet field, the values of every document number of one reader."""

    def __init__(self, reader: Any, fields: Sequence[str]) -> None:
        size = reader.doc_count_all()
        self.fields = tuple(fields)
        self._values: dict[str, list[tuple[str, ...]]] = {}
        for name in self.fields:
            per_doc: list[list[str]] = [[] for _ in range(size)]
            if name in reader.indexed_field_names():
                for raw in reader.lexicon(name):
                    value = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
                    for docnum in reader.postings(name, raw).all_ids():
                        per_doc[docnum].append(value)
            self._values[name] = [tuple(values) for values in per_doc]

    def values(self, name: str, docnum: int) -> tuple[str, ...]:
        return self._values[name][docnum]

    def count(self, docnums: Iterable[int]) -> dict[str, dict[str, int]]:
        """Per field, value -> number of `docnums` holding it, most frequent first, then by value."""
        docs = list(docnums)
        counted: dict[str, dict[str, int]] = {}
        for name in self.fields:
            table = self._values[name]
            counts = Counter(chain.from_iterable(table[d] for d in docs))
            counted[name] = dict(
                sorted(((k, v) for k, v in counts.items() if k), key=lambda kv: (-kv[1], kv[0]))
            )
        return counted
