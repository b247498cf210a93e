"""One writer at a time for a data folder's search index, across threads and processes.

`method-catalog serve --workers N` runs N processes over one data folder and
so one index; an ingest from the command line may share it too. Every build,
update and swap of the index happens under an exclusive `flock` on a file in
the data folder, so two writers never interleave: the second waits (or, when
it only follows the catalog, skips a round), then finds the index current.
`flock` locks belong to an open file, so two threads, two `Catalog` objects
or two processes exclude each other alike; the kernel drops the lock of a
process that dies.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class IndexLock:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._held = threading.local()

    @contextmanager
    def hold(self, wait: bool = True) -> Iterator[bool]:
        """Hold the lock for the block; yields False, at once, when `wait` is off and another holds it.

        Re-entrant within a thread: an ingest that rebuilds holds it once.
        """
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield True
            finally:
                self._held.depth -= 1
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            self._held.depth = 1
            try:
                yield True
            finally:
                self._held.depth = 0
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)
