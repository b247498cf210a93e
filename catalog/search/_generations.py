"""The on-disk index: built aside and swapped in, updated in place, searched with one searcher.

Layout under the index folder: generations `gen-<n>/` and a symlink `current`
naming the live one. A full rebuild writes a new generation and replaces the
link atomically (`create_in` never touches a live index); a small update
commits into the live generation. Each process keeps one searcher, opened
once, shared under a lock and refreshed when the index moved on. A server
(`warm_aside`) refreshes it aside instead: the changed index is opened and
warmed in a thread while searches keep the searcher they had, which the warm
one then replaces, so no request pays for opening a changed index.

Each generation holds a file `catalog-version`: the catalog version its
contents were built from. A rebuild writes it before the swap, so the link
never names a generation without one; an update empties it before writing and
sets it after the commit, so a crash in between reads as "unknown", never as
the old version over new contents.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, LockError
from whoosh.searching import Searcher

from catalog.search._parallel_build import Prepare, write
from catalog.search._schema import SCHEMA_VERSION, build_schema

log = logging.getLogger("catalog.search")
_OPEN_RETRIES = 8
_KEEP_GENERATIONS = 2
INDEX_NAME = f"v{SCHEMA_VERSION}"


VERSION_FILE = "catalog-version"


def _as_is(document: dict[str, Any]) -> dict[str, Any]:
    return document


def _warmed(warm: Callable[[Searcher], None], searcher: Searcher) -> bool:
    """Run `warm` on `searcher`; False, with a warning, when it failed: searches then read what they need."""
    try:
        warm(searcher)
    except Exception:
        # only a loss of speed: a search that needs what failed reads it itself, and fails visibly if it must
        log.warning("warming the search index failed; searches read it themselves", exc_info=True)
        return False
    return True


class Generations:
    def __init__(self, root: Path, processes: int = 0) -> None:
        self.root = Path(root)
        self.processes = processes
        """Processes that write a new generation (`_parallel_build.processes_for`; 0: the machine's cores)."""
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._seen = ""
        self._warm: Callable[[Searcher], None] | None = None
        self._warming: threading.Thread | None = None
        self._failed = ""
        """The stamp whose warming failed: searches open that index themselves (and report what fails)."""
        self._served_version: int | None = None

    @property
    def _current(self) -> Path:
        return self.root / "current"

    def exists(self) -> bool:
        """The live link names an index. Asked on every search and keystroke: once this process has
        opened one, the link can only name another complete one, so a stat answers."""
        if self._searcher is not None:
            return self._current.is_dir()
        # a glob, not whoosh's exists_in: that opens the index and races concurrent commits
        return self._current.is_dir() and any(self._current.glob(f"_{INDEX_NAME}_*.toc"))

    def stamp(self) -> str:
        """Changes with every commit, in any process: the live generation and its last commit time.

        The link is read too, so that a writer killed between a swap and its touch still makes every
        other process reopen the index (an update touches before it records its version instead).
        """
        try:
            written = (self.root / "stamp").read_text()
        except OSError:
            written = ""
        return f"{written}|{self.live_generation() or ''}"

    def _touch(self) -> None:
        temporary = self.root / f".stamp-{os.getpid()}-{threading.get_ident()}"
        temporary.write_text(f"{self.live_generation()}:{time.time_ns()}")
        os.replace(temporary, self.root / "stamp")

    def live_generation(self) -> str | None:
        try:
            return os.readlink(self._current)
        except OSError:
            return None

    def version(self) -> int | None:
        try:
            text = (self._current / VERSION_FILE).read_text()
        except OSError:
            return None
        return int(text) if text.strip().isdigit() else None

    def built_at(self) -> float | None:
        """When the live generation was last written (built or updated), as a Unix time."""
        try:
            return (self._current / VERSION_FILE).stat().st_mtime
        except OSError:
            return None

    def _write_version(self, folder: Path, version: int | None) -> None:
        temporary = folder / f".{VERSION_FILE}-{os.getpid()}-{threading.get_ident()}"
        temporary.write_text("" if version is None else str(version))
        os.replace(temporary, folder / VERSION_FILE)

    def rebuild(self, documents: Iterable[dict[str, Any]], version: int, prepare: Prepare = _as_is) -> None:
        """Write every document into a new generation, then make it the live one."""
        self.publish(self.build(documents, version, prepare))

    def build(self, documents: Iterable[dict[str, Any]], version: int, prepare: Prepare = _as_is) -> str:
        """Write every document, as `prepare` makes it, into a new generation beside the live one; returns
        its name. A large catalog is written by several processes (`_parallel_build.py`), so `prepare`
        is a module-level function they can import."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.time_ns()}"
        target = self.root / name
        target.mkdir()
        try:
            ix = whoosh_index.create_in(target, build_schema(), indexname=INDEX_NAME)
            write(ix, documents, prepare, self.processes)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self._write_version(target, version)
        return name

    def publish(self, name: str) -> None:
        """Make generation `name` the live one, atomically."""
        link = self.root / f".current-{name}"
        link.symlink_to(name)
        os.replace(link, self._current)
        self._touch()
        self._prune(keep=name)

    def discard(self, name: str) -> None:
        """Delete a generation that was built but will not be published."""
        shutil.rmtree(self.root / name, ignore_errors=True)

    def _prune(self, keep: str) -> None:
        generations = sorted(p for p in self.root.glob("gen-*") if p.is_dir())
        old = [p for p in generations if p.name != keep][: -(_KEEP_GENERATIONS - 1) or None]
        for path in old:
            shutil.rmtree(path, ignore_errors=True)

    def update(self, documents: Iterable[dict[str, Any]], removed: Iterable[str], version: int) -> None:
        """Replace or add `documents` and delete `removed` slugs in the live index, now at `version`."""
        live = self._current.resolve()
        self._write_version(live, None)
        ix = self._open_live()
        for attempt in range(_OPEN_RETRIES):
            try:
                writer = ix.writer(timeout=5.0)
                break
            except LockError:
                if attempt == _OPEN_RETRIES - 1:
                    raise
        for slug in removed:
            writer.delete_by_term("slug", slug)
        for document in documents:
            writer.update_document(**document)
        writer.commit()
        # touch first: killed before the version is written, the index reads as mid-change and is repaired
        self._touch()
        self._write_version(live, version)

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """The process's searcher, refreshed if the index changed (aside, after `warm_aside`), held under
        the lock."""
        with self._lock:
            stamp = self.stamp()
            if self._searcher is None or (stamp != self._seen and not self._warming_aside(stamp)):
                searcher = self._open_live().searcher()
                if self._searcher is None and self._warm is not None:
                    _warmed(self._warm, searcher)  # the first: nothing else could serve meanwhile
                self._install(searcher, stamp)
            yield self._searcher

    @contextmanager
    def live_reader(self) -> Iterator[Any]:
        """A reader of the live index for the caller alone: what it holds now, whichever searcher serves."""
        reader = self._open_live().reader()
        try:
            yield reader
        finally:
            reader.close()

    def warm_aside(self, warm: Callable[[Searcher], None]) -> None:
        """From now on a changed index is opened and passed to `warm` in a thread, and serves once warm.

        Until then searches read the searcher they had (`serving_version`
        says which version that is). For a server, whose index changes come
        from its follower or from other processes: a process that searches
        what it has just written itself must not use it.
        """
        self._warm = warm

    def settle(self, timeout_s: float) -> bool:
        """Wait, at most `timeout_s`, until searches read the live index; True when they do."""
        deadline = time.monotonic() + timeout_s
        while True:
            with self.searcher():
                pass  # opens the live index, or starts warming it aside
            if self._seen == self.stamp():
                return True
            remaining = deadline - time.monotonic()
            warming = self._warming
            if remaining <= 0:
                return False
            if warming is not None:
                warming.join(remaining)

    def serving_version(self) -> int | None:
        """The catalog version of the index searches read now: the live one's, except while a changed
        index warms aside, when it is the version of the one still serving (None: not known).

        A server asks on every request (`read_cache.py`): it reads the version once per searcher."""
        if self._warm is None or self._searcher is None:
            return self.version()  # the next search opens the live index itself
        if self._served_version is None and self.stamp() == self._seen:
            # an update records its version just after the commit its searcher was opened on
            version = self.version()
            if self.stamp() != self._seen:
                return None  # it changed while being read
            self._served_version = version
        return self._served_version

    def _warming_aside(self, stamp: str) -> bool:
        """Under the lock: whether the open searcher keeps serving while the changed index warms aside."""
        if self._warm is None or stamp == self._failed:
            return False
        if self._warming is None or not self._warming.is_alive():
            self._warming = threading.Thread(
                target=self._open_aside, args=(self._warm,), name="index-warm", daemon=True
            )
            self._warming.start()
        return True

    def _open_aside(self, warm: Callable[[Searcher], None]) -> None:
        stamp = self.stamp()
        try:
            searcher = self._open_live().searcher()
        except (EmptyIndexError, OSError):
            self._failed = stamp
            return
        if not _warmed(warm, searcher):
            searcher.close()
            self._failed = stamp
            return
        with self._lock:
            if self._warm is None or stamp == self._seen:
                searcher.close()  # closed meanwhile, or a search opened this index itself
            else:
                self._install(searcher, stamp)

    def _install(self, searcher: Searcher, stamp: str) -> None:
        """Under the lock: `searcher`, opened when the stamp read `stamp`, serves from now on."""
        self._close()
        self._searcher, self._seen = searcher, stamp
        self._served_version = self.version() if self.stamp() == stamp else None

    def _open_live(self) -> Any:
        for attempt in range(_OPEN_RETRIES):
            try:
                return whoosh_index.open_dir(self._current, indexname=INDEX_NAME)
            except (EmptyIndexError, OSError):
                if attempt == _OPEN_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def reset(self) -> None:
        """Forget the open searcher; the next search opens the live index afresh."""
        with self._lock:
            self._close()

    def close(self) -> None:
        with self._lock:
            self._warm = None  # a warming under way closes what it opened
            self._close()
