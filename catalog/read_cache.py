"""Read views kept between requests until the catalog changes.

Only an ingest changes what the catalog shows, and every ingest that changes
anything stores a document (a new one, or a new digest of an old one) and
touches the methods' provenances, all in one transaction. So the documents'
digests, the number of methods and the newest provenance together name a
version of the catalog, read in one cheap query; any view built at a version
is valid until the version moves on, whichever process ingested.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, select

from catalog.models import Document, Method, Provenance

T = TypeVar("T")


def catalog_version(session: Session) -> tuple[Any, ...]:
    """A value that changes whenever an ingest changed the catalog."""
    methods = select(func.count()).select_from(Method).scalar_subquery()
    newest = select(func.max(Provenance.id)).scalar_subquery()
    documents = session.exec(
        select(Document.name, Document.sha256, Document.ingested_at, methods, newest).order_by(Document.name)
    ).all()
    return tuple(tuple(row) for row in documents)


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
