"""What one searcher's generation of the index lets every query reuse: facets, vocabulary, spelling.

Built when a searcher is first used and dropped with it, so nothing here can
outlive the index it was read from. The spelling dictionary (a second or two
on the full catalog) is built aside in a thread with its own reader, so only
a query that needs it before it is ready waits.
"""

from __future__ import annotations

import math
import threading
import weakref
from functools import lru_cache
from itertools import islice
from typing import Any

from whoosh.searching import Searcher

from catalog.search._analysis import name_analyzer
from catalog.search.backend import FACETS
from catalog.search.facet_table import FacetTable
from catalog.search.spelling_dictionary import SpellingDictionary

WORD_FIELDS = ("name", "full_name", "aliases", "derived", "paper", "description")
"""Fields whose analyzed words a query's words are looked up in."""
SPELLING_FIELDS = ("spell_name", "spell_full_name", "aliases")
"""Where the words of names are (unstemmed); descriptions' words are in `spell_description`."""
MIN_TEXT_FREQUENCY = 2
"""A description word is a correction only when two methods use it: one-off words are mostly typos."""
MAX_EXPANSIONS = 64
"""Terms a prefix expands to; a one-letter prefix must not read the whole vocabulary."""
MAX_CACHED_POSTINGS = 50_000
"""Postings kept per generation (a few MB on the full catalog); past it they are read per query."""
_ANALYZER = name_analyzer()


@lru_cache(maxsize=65536)
def tokens(word: str) -> tuple[str, ...]:
    """The index's forms of `word` ("Networks" -> "network"; "R-CNN" -> "r-cnn", "r", "cnn", "rcnn")."""
    return tuple(t.text for t in _ANALYZER(word))


class GenerationState:
    def __init__(self, searcher: Searcher) -> None:
        self.reader = searcher.reader()
        self.doc_count = max(1, searcher.doc_count())
        self.facets = FacetTable(self.reader, FACETS)
        self._spelling: SpellingDictionary | None = None
        self._builder: threading.Thread | None = None
        index = getattr(searcher, "_ix", None)
        if index is not None:
            # its own reader: Whoosh readers are not shared across threads
            self._builder = threading.Thread(target=self._build_aside, args=(index.reader(),), daemon=True)
            self._builder.start()
        self._frequency: dict[str, int] = {}
        self._order: dict[str, dict[int, int]] | None = None
        self._postings: dict[tuple[str, str], dict[int, float]] = {}
        self._lengths: dict[str, tuple[list[int], float]] = {}
        size = self.reader.doc_count_all()
        self.popularity = [0] * size
        if "popularity" in self.reader.indexed_field_names():
            for docnum in range(size):
                if not self.reader.is_deleted(docnum):
                    self.popularity[docnum] = self.reader.stored_fields(docnum).get("popularity") or 0

    def postings(self, field: str, token: str) -> dict[int, float]:
        """Document number -> frequency of `token` in `field`, for live documents; read once."""
        key = (field, token)
        found = self._postings.get(key)
        if found is None:
            found = {}
            if self.reader.doc_frequency(field, token):
                found = dict(self.reader.postings(field, token).items_as("weight"))
            if len(self._postings) < MAX_CACHED_POSTINGS:
                self._postings[key] = found
        return found

    def live(self) -> list[int]:
        return [d for d in range(self.reader.doc_count_all()) if not self.reader.is_deleted(d)]

    def prefixed(self, field: str, prefix: str) -> set[int]:
        """Documents holding a term of `field` that starts with `prefix` (the first `MAX_EXPANSIONS` terms)."""
        docs: set[int] = set()
        if field in self.reader.indexed_field_names():
            for term in islice(self.reader.expand_prefix(field, prefix), MAX_EXPANSIONS):
                docs.update(self.postings(field, term.decode("utf-8") if isinstance(term, bytes) else term))
        return docs

    def lengths(self, field: str) -> tuple[list[int], float]:
        """Every document's length in `field` (in terms), and the average."""
        found = self._lengths.get(field)
        if found is None:
            size = self.reader.doc_count_all()
            lengths = [self.reader.doc_field_length(d, field, 0) or 0 for d in range(size)]
            found = self._lengths[field] = (lengths, max(1.0, sum(lengths) / max(1, self.doc_count)))
        return found

    def order(self, by: str) -> dict[int, int]:
        """Document number -> its place when every document is sorted by "name", "papers" or "year".

        Papers and years run from the most (the newest) down; methods without a year come last."""
        if self._order is None:
            reader = self.reader
            rows = [
                (d, reader.stored_fields(d))
                for d in range(reader.doc_count_all())
                if not reader.is_deleted(d)
            ]
            by_name = sorted(rows, key=lambda r: (r[1]["name"].lower(), r[1]["slug"]))
            by_papers = sorted(rows, key=lambda r: (-(r[1].get("popularity") or 0), r[1]["name"].lower()))
            by_year = sorted(rows, key=lambda r: (-(r[1].get("year") or 0), r[1]["name"].lower()))
            self._order = {
                sort: {d: place for place, (d, _) in enumerate(ranked)}
                for sort, ranked in (("name", by_name), ("papers", by_papers), ("year", by_year))
            }
        return self._order.get(by, self._order["name"])

    def frequency(self, token: str) -> int:
        """Documents holding `token` in their most common field for it (0: the index has no such word)."""
        found = self._frequency.get(token)
        if found is None:
            found = max(self.reader.doc_frequency(field, token) for field in WORD_FIELDS)
            self._frequency[token] = found
        return found

    def idf(self, token: str) -> float:
        return math.log(1.0 + self.doc_count / (1.0 + self.frequency(token)))

    def known(self, word: str) -> bool:
        """Every analyzed form of `word` occurs in some field."""
        forms = tokens(word.lower())
        return bool(forms) and all(self.frequency(t) for t in forms)

    def _build_spelling(self, reader: Any) -> None:
        fields = set(reader.indexed_field_names())

        def words(field: str, least: int = 1) -> list[tuple[str, int]]:
            if field not in fields:
                return []
            found = []
            for raw, info in reader.iter_field(field):
                word = raw.decode("utf-8")
                if info.doc_frequency() >= least and word.replace("-", "").isalpha():
                    found.append((word, info.doc_frequency()))
            return found

        names = [w for field in SPELLING_FIELDS for w in words(field)]
        self._spelling = SpellingDictionary(names, words("spell_description", MIN_TEXT_FREQUENCY))

    def _build_aside(self, reader: Any) -> None:
        try:
            self._build_spelling(reader)
        except OSError:
            pass  # the generation was pruned under it: the first query that needs the dictionary builds it
        finally:
            reader.close()

    @property
    def spelling(self) -> SpellingDictionary:
        """Built aside when the generation is opened; a query that needs it first waits for it."""
        if self._builder is not None:
            self._builder.join()
            self._builder = None
        if self._spelling is None:
            self._build_spelling(self.reader)
        assert self._spelling is not None
        return self._spelling


_STATES: weakref.WeakKeyDictionary[Searcher, GenerationState] = weakref.WeakKeyDictionary()


def state_of(searcher: Searcher) -> GenerationState:
    """The state of `searcher`'s generation; callers hold the searcher's lock."""
    state = _STATES.get(searcher)
    if state is None:
        state = _STATES[searcher] = GenerationState(searcher)
    return state
