"""The Whoosh search backend: the only module callers reach Whoosh through.

Its helpers stay private to the package: `_generations.py` (the on-disk
generations and the shared searcher), `_parallel_build.py` and
`_bulk_writer.py` (a generation written by several processes, one segment
each), `_query.py` (parsing and ranking), `_spelling.py`, `_schema.py`,
`_fields.py` and `_analysis.py` (the analyzers, run in one pass when
indexing). Completion is built from the names the index stores, so it always
agrees with what search finds.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from whoosh.searching import Searcher

from catalog.search import _query
from catalog.search._document import whoosh_document
from catalog.search._generations import Generations
from catalog.search._state import state_of
from catalog.search.backend import IndexDocument, SearchResult, StagedIndex
from catalog.search.suggest import Completion, Suggester
from catalog.settings import Settings


@dataclass
class _Staged:
    generations: Generations
    name: str

    def publish(self) -> None:
        self.generations.publish(self.name)

    def discard(self) -> None:
        self.generations.discard(self.name)


class WhooshBackend:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.generations = Generations(settings.index_dir, settings.index_processes)
        self._suggesters: weakref.WeakKeyDictionary[Searcher, Suggester] = weakref.WeakKeyDictionary()
        self._suggester_lock = threading.Lock()

    def stage(self, documents: Iterable[IndexDocument], version: int) -> StagedIndex:
        return _Staged(self.generations, self.generations.build(documents, version, whoosh_document))

    def rebuild(self, documents: Iterable[IndexDocument], version: int) -> None:
        self.generations.rebuild(documents, version, whoosh_document)

    def update(self, documents: Iterable[IndexDocument], removed: Iterable[str], version: int) -> None:
        self.generations.update(map(whoosh_document, documents), removed, version)

    def search(
        self,
        text: str,
        limit: int = 20,
        offset: int = 0,
        filters: dict[str, str] | None = None,
        max_params: int | None = None,
        sort: str | None = None,
    ) -> SearchResult:
        return _query.search(self.generations, text, limit, offset, filters, max_params, sort)

    def suggest(self, prefix: str, limit: int = 8) -> list[Completion]:
        return self._completion().complete(prefix, limit)

    def _completion(self) -> Suggester:
        if not self.generations.exists():
            return Suggester([])
        with self.generations.searcher() as searcher:
            return self._completion_for(searcher)

    def _completion_for(self, searcher: Searcher) -> Suggester:
        """The suggester over every name and alias `searcher` stores, built once per searcher."""
        with self._suggester_lock:
            found = self._suggesters.get(searcher)
        if found is None:
            shown = [s for s in state_of(searcher).shown if s is not None]  # stored fields, read once
            rows = [(label, s.slug, s.name) for s in shown for label in s.labels]
            with self._suggester_lock:
                found = self._suggesters.setdefault(searcher, Suggester(rows))
        return found

    def follow(self) -> None:
        """Serve on while the index changes: a changed index is warmed aside, then swapped in."""
        self.generations.warm_aside(self._warm)

    def _warm(self, searcher: Searcher) -> None:
        _query.warm(searcher)
        self._completion_for(searcher)

    def settle(self, timeout_s: float) -> bool:
        return self.generations.settle(timeout_s) if self.generations.exists() else True

    def serving_version(self) -> int | None:
        return self.generations.serving_version() if self.generations.exists() else None

    def similar(self, slug: str, limit: int = 10) -> dict[str, float]:
        return _query.similar(self.generations, slug, limit)

    def version(self) -> int | None:
        return self.generations.version() if self.generations.exists() else None

    def built_at(self) -> float | None:
        """When the live index was last built or updated (Unix time); None without one."""
        return self.generations.built_at() if self.generations.exists() else None

    def ready(self) -> bool:
        if not self.generations.exists():
            return False
        try:
            with self.generations.searcher():
                return True
        except OSError:
            return False

    def count(self) -> int:
        if not self.generations.exists():
            return 0
        with self.generations.live_reader() as reader:
            return reader.doc_count()

    def contents(self) -> dict[str, str]:
        if not self.generations.exists():
            return {}
        with self.generations.live_reader() as reader:
            return {stored["slug"]: stored["name"] for stored in reader.all_stored_fields()}

    def live_generation(self) -> str | None:
        """The folder name of the live generation (it changes with every rebuild)."""
        return self.generations.live_generation()

    def close(self) -> None:
        self.generations.close()
