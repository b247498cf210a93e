"""Read views kept between requests until the catalog changes.

Every ingest or re-match that changes what the catalog shows advances the
catalog version (`catalog/state.py`) in its own transaction, and the search
index records the version it was built from, written after that commit (the
version searches read: a server warms a changed index before it serves). The
pair, read in one primary-key lookup and one small file, names what a view
shows (related methods read the index too); any view built at a pair is valid
until either moves on, whichever process ingested.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlmodel import Session

from catalog.search import SearchBackend
from catalog.state import catalog_version

T = TypeVar("T")


def view_version(session: Session, index: SearchBackend) -> tuple[Any, ...]:
    """A value that changes whenever the catalog or the index built from it changed."""
    return (catalog_version(session), index.serving_version())


class VersionedCache:
    """An LRU of views, emptied when the catalog's version changes.

    Two requests for the same missing view build it once: the second waits
    for the first instead of doing the same work beside it. A build that
    raises (an unknown slug) stores nothing.
    """

    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max_entries
        self._version: tuple[Any, ...] | None = None
        self._views: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, version: tuple[Any, ...], key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if version != self._version:
                self._version, self._views, self._building = version, OrderedDict(), {}
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._views and version == self._version:
                    return self._views[key]
            try:
                view = build()
                with self._lock:
                    if version == self._version:
                        self._views[key] = view
                        while len(self._views) > self.max_entries:
                            self._views.popitem(last=False)
            finally:
                with self._lock:
                    if self._building.get(key) is building:
                        del self._building[key]
        return view
