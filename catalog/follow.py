"""A replica follows the catalog: a background thread that keeps its search index at the database's version.

Every `CATALOG_VERSION_POLL_SECONDS` it compares the catalog version (one
primary-key read) with the version its index was built from (one small
file). When they differ, `Catalog.sync_index` updates the index from the
database while searches keep reading the old one, and the index is warmed
(opened, its tables read) before it serves in place of the old one, so no
request waits for it, in this process or in another sharing the data folder.
An ingest from
any process, on any host sharing the database, so reaches every replica
within one poll plus the update. Processes sharing a data folder take turns
through its index lock: a follower that finds another writer busy skips a
round, and finds the index current afterwards.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.exc import SQLAlchemyError

from catalog.store import Catalog

log = logging.getLogger("catalog.follow")
STOP_WAIT_S = 5.0
"""At shutdown an update in progress gets this long to finish; after it the server exits without it,
which is safe: a new index is published whole or not at all, and the next start catches up."""
WARM_QUERY = "network"
"""A search and a completion through the backend after it changed (for PostgreSQL: plans, connections)."""
SETTLE_S = 120.0
"""How long a poll waits for a changed index to be warmed aside and serve."""


class CatalogFollower:
    def __init__(self, catalog: Catalog, interval_s: float, max_lag_s: float = 0.0) -> None:
        """`interval_s` 0 checks once, at start, and then leaves repairs to `/readyz`.

        `max_lag_s`: how long an index that was current since start may lag
        behind a new catalog version and still count as serving (`lag`).
        """
        self.catalog = catalog
        self.interval_s = interval_s
        self.max_lag_s = max_lag_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._current_once = False
        self._behind_since: float | None = None
        self._warm_version: int | None = None

    def start(self) -> None:
        self.catalog.index.follow()
        self._thread = threading.Thread(target=self._run, name="catalog-follower", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = STOP_WAIT_S) -> None:
        """Stop polling; an update already running may finish within `timeout_s`, none begins after."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def check(self) -> str | None:
        """One poll: update the index when it is behind the database; what was done, or None.

        Skips the round when another writer holds the index: it leaves the index current.
        """
        index = self.catalog.index
        if self.note(index.ready() and index.version() == self.catalog.catalog_version()):
            self._warm()
            return None
        done = self.catalog.sync_index(wait=False)
        if done:
            log.info("%s", done)
            self._warm()
        return done

    def _warm(self) -> None:
        """Wait until a changed index serves, warmed aside (`SearchBackend.follow`), then search it once.

        Whoever changed the index (this process, or another sharing the
        data folder), requests keep the old one until then.
        """
        index = self.catalog.index
        version = index.version()
        if version is None or version == self._warm_version:
            return
        if not index.settle(SETTLE_S):
            return  # still warming (or changed again): the next poll waits again
        index.search(WARM_QUERY, limit=1)
        index.suggest(WARM_QUERY[:2])
        self._warm_version = version

    def note(self, current: bool) -> bool:
        """Record whether the index was seen current (by a poll or a readiness check); returns `current`."""
        if current:
            self._current_once, self._behind_since = True, None
        elif self._behind_since is None:
            self._behind_since = time.monotonic()
        return current

    def lag(self, current: bool) -> float | None:
        """Seconds a following index has been behind the catalog, while that is tolerable; else None.

        None when the index is current, when it never was since start (a
        server must not report ready on an index it has not yet brought up to
        date), when polling is off, or once the lag passed `max_lag_s`.
        """
        self.note(current)
        if current or not self._current_once or self.interval_s <= 0 or self._behind_since is None:
            return None
        behind = time.monotonic() - self._behind_since
        return behind if behind <= self.max_lag_s else None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                # never waits for another writer, so that a shutdown never waits for someone else's ingest
                self.check()
            except (OSError, SQLAlchemyError) as error:
                # the database or the disk failed this round: `/readyz` says so, and the next round retries
                log.warning("following the catalog failed: %s", error)
            except Exception:
                # anything else is a bug to report, not a reason to stop following
                log.exception("following the catalog failed")
            if self.interval_s <= 0 or self._stop.wait(self.interval_s):
                return
