"""Facet values read once per index generation, then counted over a query's matches.

Whoosh's `FieldFacet` rebuilds its per-document caches for every search: about
half of a query's time on the full catalog. The values of a facet field never
change within one searcher, so they are read here once, from the postings of
each value (no stored-field decoding), as the set of document numbers holding
each value; a query's counts are then one set intersection per value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


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

    def values(self, name: str, docnum: int) -> tuple[str, ...]:
        return tuple(value for value, docs in self._docs[name].items() if docnum in docs)

    def count(self, docnums: Iterable[int]) -> dict[str, dict[str, int]]:
        """Per field, value -> number of `docnums` holding it, most frequent first, then by value."""
        matched = docnums if isinstance(docnums, (set, frozenset)) else set(docnums)
        counted: dict[str, dict[str, int]] = {}
        for name in self.fields:
            counts = ((value, len(docs & matched)) for value, docs in self._docs[name].items())
            counted[name] = dict(sorted(((k, v) for k, v in counts if v), key=lambda kv: (-kv[1], kv[0])))
        return counted
