"""What one searcher's generation of the index lets every query reuse: facets, vocabulary, spelling.

Built when a searcher is first used and dropped with it, so nothing here can
outlive the index it was read from. Opening reads every method's stored
fields once (what a hit shows, its description ready for snippets) and the
lexicon of each field a query looks words up in (a few hundred milliseconds
on the full catalog), so a query asks Whoosh only for postings it has not
read yet and never for a word the index does not hold. A thread with its own
reader then reads the postings of common words and builds the spelling
dictionary (a second or two on the full catalog), so only a query that needs
the dictionary before it is ready waits; a server waits for all of it before
the index serves (`_generations.py`, `warm_aside`).
"""

from __future__ import annotations

import bisect
import math
import threading
import weakref
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

from whoosh.codec.whoosh3 import W3TermInfo, W3TermsReader
from whoosh.searching import Searcher

from catalog.search._analysis import tokens
from catalog.search._snippets import plain
from catalog.search.backend import FACETS
from catalog.search.facet_table import FacetTable
from catalog.search.spelling_dictionary import SpellingDictionary

WORD_FIELDS = ("name", "full_name", "aliases", "derived", "paper", "description")
"""Fields whose analyzed words a query's words are looked up in."""
LEXICON_FIELDS = (*WORD_FIELDS, "exact", "derived_exact", "initials", "joined", "arxiv", "paper_key")
"""Fields whose terms (with their document frequencies) are read once per generation."""
SPELLING_PREFIX = "spell_"
SPELLING_FIELDS = ("spell_name", "spell_full_name", "aliases")
"""Where the words of names are (unstemmed); descriptions' words are in `spell_description`."""
MIN_TEXT_FREQUENCY = 2
"""A description word is a correction only when two methods use it: one-off words are mostly typos."""
MAX_EXPANSIONS = 64
"""Terms a prefix expands to; a one-letter prefix must not read the whole vocabulary."""
COMMON_DOCUMENTS = 8
"""A word this many documents hold in a field has its postings there read aside when the generation
opens (half a second on the full catalog), so no query pays for reading a long posting list; rarer
words are read when first searched."""
MAX_CACHED_POSTINGS = 50_000
"""Postings kept per generation (a few MB on the full catalog); past it they are read per query."""


_TERM_INFO = W3TermInfo._struct
"""How a segment's terms table stores a term's info: flags, total weight, document frequency, ..."""
WEIGHT, DOCUMENTS = 1, 2
"""Which of a term info's values `_term_counts` sums."""


def _leaf_counts(leaf: Any, field: str, slot: int) -> Iterator[tuple[bytes, float]]:
    """Every term of `field` in one segment with its info's value at `slot`, read from the segment's
    terms table: Whoosh's own `iter_field` decodes a whole term info object per term, about three times
    slower, which a reader opening a changed index would spend on every term of every field."""
    terms = leaf._terms
    assert isinstance(terms, W3TermsReader), f"a segment in another codec: {type(terms)}"
    prefix = terms._keycoder(field, b"")  # the field's number, then the term's bytes
    unpack, start = _TERM_INFO.unpack_from, len(prefix)
    for key, info in terms._tindex.items_from(prefix):
        if not key.startswith(prefix):
            return
        yield key[start:], unpack(info)[slot]


@dataclass(frozen=True, slots=True)
class Shown:
    """What a hit shows of one method, from its stored fields."""

    slug: str
    name: str
    full_name: str
    collections: tuple[str, ...]
    has_implementation: bool
    text: str
    """The description as snippets read it (`_snippets.plain`)."""
    labels: tuple[str, ...]
    """The name and aliases completion offers for it."""


def _shown(stored: dict[str, Any]) -> Shown:
    return Shown(
        slug=stored["slug"],
        name=stored["name"],
        full_name=stored.get("full_name", ""),
        collections=tuple(c for c in stored.get("collection_names", "").split(",") if c),
        has_implementation=stored.get("has_implementation") == "true",
        text=plain(stored.get("text", "")),
        # "-step Returns" is kept as an alias for search, but nobody types a leading dash
        labels=tuple(label for label in stored.get("labels", "").splitlines() if label[:1].isalnum()),
    )


def _term_counts(reader: Any, field: str, slot: int) -> dict[str, int]:
    """Every term of `field`, in the index's (sorted) order, with its term info's `slot` (`WEIGHT` or
    `DOCUMENTS`) summed over the index's segments (read one segment at a time: Whoosh's merged view
    combines every term's info from every segment, several times slower on an index written in
    parallel)."""
    leaves = list(reader.leaf_readers())
    found: dict[str, int] = {}
    for leaf, _ in leaves:
        if field in leaf.indexed_field_names():
            for raw, value in _leaf_counts(leaf, field, slot):
                word = raw.decode("utf-8")
                found[word] = found.get(word, 0) + int(value)
    return dict(sorted(found.items())) if len(leaves) > 1 else found


def _lexicon(reader: Any, field: str) -> dict[str, int]:
    """Every term of `field`, in the index's (sorted) order, with its document frequency."""
    return _term_counts(reader, field, DOCUMENTS)


class GenerationState:
    def __init__(self, searcher: Searcher) -> None:
        self.reader = searcher.reader()
        self.doc_count = max(1, searcher.doc_count())
        self.facets = FacetTable(self.reader, FACETS)
        self._spelling: SpellingDictionary | None = None
        self._postings: dict[tuple[str, str], dict[int, float]] = {}
        self._builder: threading.Thread | None = None
        self._order: tuple[dict[int, int], dict[int, int]] | None = None
        self.derived: dict[Hashable, Any] = {}
        """What other modules compute once from this generation's postings (BM25 inputs), at most
        `MAX_CACHED_POSTINGS` entries."""
        self._lengths: dict[str, tuple[list[int], float]] = {}
        self._sorted_terms: dict[str, list[str]] = {}
        indexed = set(self.reader.indexed_field_names())
        self._lexicons = {name: _lexicon(self.reader, name) for name in LEXICON_FIELDS if name in indexed}
        self._frequency: dict[str, int] = {}
        for name in WORD_FIELDS:
            for term, count in self._lexicons.get(name, {}).items():
                if count > self._frequency.get(term, 0):
                    self._frequency[term] = count
        index = getattr(searcher, "_ix", None)
        if index is not None:
            # its own reader: Whoosh readers are not shared across threads
            self._builder = threading.Thread(target=self._build_aside, args=(index.reader(),), daemon=True)
            self._builder.start()
        size = self.reader.doc_count_all()
        self.popularity = [0] * size
        self.year = [0] * size
        self.shown: list[Shown | None] = [None] * size
        """Document number -> what its hit shows (None for a deleted document)."""
        for docnum in range(size):
            if not self.reader.is_deleted(docnum):
                stored = self.reader.stored_fields(docnum)
                self.popularity[docnum] = stored.get("popularity") or 0
                self.year[docnum] = stored.get("year") or 0
                self.shown[docnum] = _shown(stored)

    def postings(self, field: str, token: str) -> dict[int, float]:
        """Document number -> frequency of `token` in `field`, for live documents; read once."""
        lexicon = self._lexicons.get(field)
        if lexicon is not None and token not in lexicon:
            return {}
        key = (field, token)
        found = self._postings.get(key)
        if found is None:
            found = {}
            if lexicon is not None or self.reader.doc_frequency(field, token):
                found = dict(self.reader.postings(field, token).items_as("weight"))
            if len(self._postings) < MAX_CACHED_POSTINGS:
                self._postings[key] = found
        return found

    def live(self) -> list[int]:
        return [d for d in range(self.reader.doc_count_all()) if not self.reader.is_deleted(d)]

    def prefixed(self, field: str, prefix: str) -> set[int]:
        """Documents holding a term of `field` that starts with `prefix` (the first `MAX_EXPANSIONS` terms)."""
        docs: set[int] = set()
        terms = self._sorted_terms.get(field)
        if terms is None:
            terms = self._sorted_terms[field] = list(self._lexicons.get(field, ()))
        start = bisect.bisect_left(terms, prefix)
        for term in terms[start : start + MAX_EXPANSIONS]:
            if not term.startswith(prefix):
                break
            docs.update(self.postings(field, term))
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
            names = {d: (shown.name.lower(), shown.slug) for d, shown in enumerate(self.shown) if shown}
            live = list(names)
            by_name = sorted(live, key=names.__getitem__)
            by_papers = sorted(live, key=lambda d: (-self.popularity[d], names[d][0]))
            by_year = sorted(live, key=lambda d: (-self.year[d], names[d][0]))
            self._order = {
                sort: {d: place for place, d in enumerate(ranked)}
                for sort, ranked in (("name", by_name), ("papers", by_papers), ("year", by_year))
            }
        return self._order.get(by, self._order["name"])

    def frequency(self, token: str) -> int:
        """Documents holding `token` in their most common field for it (0: the index has no such word)."""
        return self._frequency.get(token, 0)

    def idf(self, token: str) -> float:
        return math.log(1.0 + self.doc_count / (1.0 + self.frequency(token)))

    def known(self, word: str) -> bool:
        """Every analyzed form of `word` occurs in some field."""
        forms = tokens(word.lower())
        return bool(forms) and all(self.frequency(t) for t in forms)

    def _build_spelling(self, reader: Any) -> None:
        def words(field: str, least: int = 1) -> list[tuple[str, int]]:
            # a spelling field's postings all sit on document 0: their summed weight counts the documents
            # (`_bulk_writer.py`)
            slot = WEIGHT if field.startswith(SPELLING_PREFIX) else DOCUMENTS
            return [
                (word, documents)
                for word, documents in _term_counts(reader, field, slot).items()
                if documents >= least and word.replace("-", "").isalpha()
            ]

        names = [w for field in SPELLING_FIELDS for w in words(field)]
        self._spelling = SpellingDictionary(names, words("spell_description", MIN_TEXT_FREQUENCY))

    def _read_common(self, reader: Any) -> None:
        """The postings of every word `COMMON_DOCUMENTS` or more documents hold in a field."""
        if reader.generation() != self.reader.generation():
            return  # a commit came in between: its document numbers are not this searcher's
        found = {}
        for field in WORD_FIELDS:
            for term, documents in self._lexicons.get(field, {}).items():
                if documents >= COMMON_DOCUMENTS:
                    found[field, term] = dict(reader.postings(field, term).items_as("weight"))
        self._postings.update(found)

    def _build_aside(self, reader: Any) -> None:
        try:
            self._read_common(reader)
            self._build_spelling(reader)
        except OSError:
            pass  # the generation was pruned under it: queries read what they need themselves
        finally:
            reader.close()

    @property
    def spelling(self) -> SpellingDictionary:
        """Built aside when the generation is opened (after the common postings); a query that needs
        it first waits for it."""
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
