"""The writer that builds a whole generation of the index, or one segment of it, in one commit.

Whoosh's `SegmentWriter`, changed in places that do not touch what searches
read, only how fast it is written (each measured on a 10,000-method build):

- Postings wait in a pool that is sorted and spilled to disk in runs when it
  outgrows `limitmb`, then merged at commit. Whoosh pickles each posting
  alone, one `dump` and one `load` call apiece: about as long as analysing
  the text. `_BatchedPool` pickles them in batches.
- At commit each posting's field length is read back from the new segment,
  one file seek per posting, and for a field without lengths (ids, keywords,
  numbers: half the postings) with a check of the file system each time: a
  third of the commit. `_SegmentLengths` reads every length once.
- A spelling field (`spell_description`: the description's words unstemmed)
  gets one posting per word per document, all on document 0, only so that
  the count of them says how many documents use the word: a third of all
  postings. The pool counts them instead and writes one posting per word
  whose weight is that count; Whoosh's own writer (updates) writes weight-1
  postings, so a word's summed weight is its document count either way
  (`_state.py` reads it so).

Several `BulkWriter`s may write segments of one new index at once
(`_parallel_build.py`): each keeps its temporary files apart, `segment()`
finishes one without committing, and `commit_segments` commits them all.
"""

from __future__ import annotations

import contextlib
import pickle
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from whoosh.system import pack_uint
from whoosh.writing import PostingPool, SegmentWriter

BATCH = 10_000
"""Postings per pickle in a spilled run."""


class _BatchedPool(PostingPool):
    """Whoosh's posting pool, whose runs on disk hold batches of postings instead of single ones, and
    which counts the postings of `spelling` fields instead of holding them."""

    def __init__(self, *args: Any, spelling: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._spelling = spelling
        self._spelled: Counter[tuple[str, bytes]] = Counter()

    def add(self, item: tuple) -> None:
        if item[0] in self._spelling:
            self._spelled[item[0], item[1]] += 1
        else:
            super().add(item)

    def add_spelling_counts(self) -> None:
        """One posting per spelling word, on document 0, weighing as many documents as hold the word."""
        for (field, word), count in self._spelled.items():
            super().add((field, word, 0, float(count), pack_uint(count)))
        self._spelled.clear()

    def _write_run(self, f: Any, items: Iterable[tuple]) -> None:
        batch: list[tuple] = []
        for item in items:
            batch.append(item)
            if len(batch) == BATCH:
                pickle.dump(batch, f, pickle.HIGHEST_PROTOCOL)
                batch = []
        if batch:
            pickle.dump(batch, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[tuple]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    batch = pickle.load(f)
                except EOFError:
                    return
                yield from batch
        finally:
            f.close()
            self._remove_run(path)


class _SegmentLengths:
    """The new segment's per-document reader, with each field's lengths read once, when first asked."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lengths: dict[tuple[str, int], list[int | None] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        key = (fieldname, default)
        if key not in self._lengths:
            self._lengths[key] = self._read(fieldname, default)
        lengths = self._lengths[key]
        return default if lengths is None else lengths[docnum]

    def _read(self, fieldname: str, default: int) -> list[int | None] | None:
        # the column's name as whoosh.codec.whoosh3 spells it (`_lenfield`); without one, every length is `default`
        if not self._reader.has_column(f"_{fieldname}_len"):
            return None
        return [
            self._reader.doc_field_length(d, fieldname, default) for d in range(self._reader.doc_count_all())
        ]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


class BulkWriter(SegmentWriter):
    """A `SegmentWriter` (same arguments) for a new index: all documents, then one commit."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        # Whoosh names every writer's temporary folder after the index: writers side by side need their own
        # for the posting pool (whose folder is removed whole); columns keep theirs, file by file
        self._tempstorage = self.storage.temp_storage(f"{self.indexname}.{self.newsegment.segment_id()}.tmp")
        spelling = frozenset(
            field.spelling_fieldname(name) for name, field in self.schema.items() if field.separate_spelling()
        )
        self.pool = _BatchedPool(self._tempstorage, self.newsegment, limitmb=limitmb, spelling=spelling)

    def per_document_reader(self) -> Any:
        return _SegmentLengths(super().per_document_reader())

    def _flush_segment(self) -> None:
        self.pool.add_spelling_counts()
        super()._flush_segment()

    def segment(self) -> Any:
        """Write this writer's documents as a finished segment, listed in no index yet; None without any.

        Then `commit_segments` commits it with the segments other writers wrote, or `close` ends a writer
        whose segment another one commits.
        """
        if not self._added:
            self._close_segment()
            return None
        return self._finalize_segment()

    def commit_segments(self, segments: Sequence[Any]) -> None:
        """Commit `segments` (from `segment()` of this and other writers of the index) as the whole index."""
        self._commit_toc([segment for segment in segments if segment is not None])
        self._finish()
        self._remove_shared_folder()

    def commit(self, *args: Any, **kwargs: Any) -> None:
        super().commit(*args, **kwargs)
        self._remove_shared_folder()

    def _remove_shared_folder(self) -> None:
        """Whoosh's temporary folder named after the index, empty once every writer is done."""
        with contextlib.suppress(OSError):
            (Path(self.storage.folder) / f"{self.indexname}.tmp").rmdir()

    def close(self) -> None:
        """Free this writer's temporary files and lock without committing anything."""
        self._finish()
