"""The catalog as one object: database, search index, and the ingest that keeps them in step.

The database holds a catalog version (`catalog_state`) that every ingest
which changes anything advances in its own transaction; the index records the
version it was built from. Start-up (`ensure_index`), every ingest and the
readiness check compare the two and rebuild on any difference, so a crash at
any point (after the commit and before the index caught up, say) costs one
rebuild, never a stale search.

A large ingest builds the new index aside from inside its transaction, before
committing, and publishes it right after the commit: listings and search
disagree only for the swap of a link, and `readiness()` reports the index as
not current for that instant. A small ingest commits, then updates the live
index in place (under `SMALL_UPDATE` methods, well under a second).

Each version also notes which methods it changed (`catalog/changes.py`), so
a replica that finds its index behind (`sync_index`, polled by
`catalog/follow.py`) updates just those methods, or rebuilds aside when they
are many or unknown. Every write to the index holds the data folder's
`IndexLock`: processes sharing one folder take turns.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, func, select

from catalog.changes import changed_since, record_change
from catalog.db import make_engine, migrate, session_scope
from catalog.documents import parse_document
from catalog.implementations import assign_implementations, registry_digest, sync_stats
from catalog.index_lock import IndexLock
from catalog.indexing import index_documents
from catalog.ingest import IngestReport, Progress, ingest_document
from catalog.ingest_phases import checkpoint
from catalog.models import Method
from catalog.search import SearchBackend, StagedIndex, open_backend
from catalog.settings import Settings
from catalog.state import advance, catalog_version, registry_digest_of, set_registry_digest
from catalog.text_format import ParsedDocument
from methods.registry import Registry
from methods.registry import registry as default_registry

SMALL_UPDATE = 200
"""An ingest touching at most this many methods updates the live index; more rebuilds it aside."""


def _store_all(
    session: Session,
    documents: list[ParsedDocument],
    progress: Callable[[str, int, int], None] | None,
    replace: bool,
) -> list[IngestReport]:
    reports = []
    for document in documents:
        step: Progress | None = None
        if progress is not None:
            step = lambda done, total, name=document.file: progress(name, done, total)  # noqa: E731
        reports.append(ingest_document(session, document, document.sha256, step, replace=replace))
    return reports


class Catalog:
    def __init__(
        self, settings: Settings, engine: Engine | None = None, registry: Registry = default_registry
    ) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings)
        self.registry = registry
        self.index: SearchBackend = open_backend(settings, self.engine)
        self.last_index_sync = ""
        self.last_ingest_seconds: dict[str, float] = {}
        """Seconds the last ingest spent parsing, storing, building the index aside, then committing and publishing it."""
        self._repair = threading.Lock()
        self.writer = IndexLock(settings.data_dir / "index.lock")

    def migrate(self) -> None:
        migrate(self.settings)

    def session(self) -> Session:
        return Session(self.engine)

    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: Callable[[str, int, int], None] | None = None,
        replace: bool = False,
    ) -> list[IngestReport]:
        """Parse every document first, then store them all in one transaction, then index.

        A document that does not parse, or a failure while storing, leaves the
        catalog exactly as it was. `replace` allows a document to drop most of
        the methods it stored before (see `catalog.ingest.check_removals`).
        """
        checkpoint("parsing")
        started = time.perf_counter()
        seconds = self.last_ingest_seconds = {}
        limits = self.settings.max_document_mb, self.settings.max_document_entries
        documents = [parse_document(path, *limits) for path in paths]
        seconds["parse"] = time.perf_counter() - started
        with self.writer.hold():
            return self._ingest(documents, progress, replace)

    def _ingest(
        self,
        documents: list[ParsedDocument],
        progress: Callable[[str, int, int], None] | None,
        replace: bool,
    ) -> list[IngestReport]:
        seconds = self.last_ingest_seconds
        started = time.perf_counter() - seconds["parse"]
        indexed = self.index.version() if self.index.ready() else None
        staged: StagedIndex | None = None
        with Session(self.engine) as session:
            try:
                reports = _store_all(session, documents, progress, replace)
                # stored: the parsed documents go before the index is built, which needs the memory
                documents.clear()
                touched = {s for r in reports for s in r.touched_slugs}
                touched.update(assign_implementations(session, self.registry))
                set_registry_digest(session, registry_digest(self.registry))
                weighed = sync_stats(session, self.registry)
                removed = {s for r in reports for s in r.removed_slugs} - touched
                before = catalog_version(session)
                changed = bool(touched or removed or weighed)
                version = advance(session) if changed else before
                if changed:
                    listed = None if weighed or len(touched | removed) > SMALL_UPDATE else touched | removed
                    record_change(session, version, listed)
                behind = indexed != before
                seconds["store"] = time.perf_counter() - started - seconds["parse"]
                if changed and (behind or weighed or len(touched) > SMALL_UPDATE):
                    checkpoint("building the index")
                    staged = self.index.stage(index_documents(session), version)
                seconds["index"] = time.perf_counter() - started - seconds["parse"] - seconds["store"]
                checkpoint("committing")
                session.commit()
            except BaseException:
                session.rollback()
                if staged is not None:
                    staged.discard()
                raise
        if staged is not None:
            checkpoint("swapping")
            staged.publish()
            self.last_index_sync = "search index rebuilt" + (
                f" ({weighed} implementations weighed)" if weighed else ""
            )
        elif behind:
            self.rebuild_index()
            self.last_index_sync = "search index rebuilt (it was behind the catalog)"
        elif changed:
            checkpoint("building the index")
            with self.session() as session:
                updated = list(index_documents(session, touched))
            self.index.update(updated, removed, version)
            self.last_index_sync = (
                f"search index updated in place ({len(updated)} updated, {len(removed)} removed)"
            )
        else:
            self.last_index_sync = "search index unchanged"
        seconds["commit"] = time.perf_counter() - started - sum(seconds.values())
        return reports

    def rebuild_index(self) -> None:
        """Rebuild from the database; the version is read before the methods, so it never runs ahead of them."""
        with self.writer.hold(), self.session() as session:
            version = catalog_version(session)
            self.index.rebuild(index_documents(session), version)

    def sync_index(self, wait: bool = True) -> str | None:
        """Bring the index to the catalog's version; says what it did, None when it was current.

        The methods the missing versions changed, plus any whose slug or name
        the index holds differently, are updated in place when they are few;
        otherwise a new index is built aside and swapped in. Searches see the
        old index until then. Without `wait`, returns None at once when
        another writer holds the index (it leaves the index current).
        """
        with self.writer.hold(wait) as held:
            if not held:
                return None
            with self.session() as session:
                version = catalog_version(session)
                indexed = self.index.version() if self.index.ready() else None
                if indexed == version:
                    return None
                slugs = None if indexed is None else changed_since(session, indexed, version)
                if slugs is not None and len(slugs) <= SMALL_UPDATE:
                    stored = dict(session.exec(select(Method.slug, Method.name)).all())
                    in_index = self.index.contents()
                    slugs |= {s for s in stored.keys() | in_index.keys() if stored.get(s) != in_index.get(s)}
                if slugs is None or len(slugs) > SMALL_UPDATE:
                    self.index.rebuild(index_documents(session), version)
                    return f"search index rebuilt at catalog version {version}"
                documents = list(index_documents(session, slugs))
                removed = slugs - {d["slug"] for d in documents}
                self.index.update(documents, removed, version)
                return (
                    f"search index updated in place to catalog version {version} "
                    f"({len(documents)} updated, {len(removed)} removed)"
                )

    def refresh_implementations(self) -> bool:
        """Re-match methods to the registry when it changed since they were matched; True if anything moved."""
        digest = registry_digest(self.registry)
        with self.session() as session:
            if registry_digest_of(session) == digest:
                return False
        with self.writer.hold(), session_scope(self.engine) as session:
            if registry_digest_of(session) == digest:
                return False  # another process matched them while this one waited
            changed = assign_implementations(session, self.registry)
            set_registry_digest(session, digest)
            if changed:
                record_change(session, advance(session), changed if len(changed) <= SMALL_UPDATE else None)
        return bool(changed)

    def ensure_index(self) -> bool:
        """Bring methods and index up to date at start-up; True when the index had to change."""
        with self._repair:
            self.refresh_implementations()
            return self.sync_index() is not None

    def readiness(self, repair: bool = True) -> tuple[bool, dict[str, Any]]:
        """(ok, details): the database answers, the index opens, and it was built from the current catalog.

        With `repair`, an index found behind is brought up to date in the
        background (`ensure_index`, one at a time); until then it is not current.
        """
        details: dict[str, Any] = {"database": False, "index": self.index.ready(), "current": False}
        details["catalog_version"] = None
        try:
            details["catalog_version"] = self.catalog_version()
            details["database"] = True
        except SQLAlchemyError:
            pass
        details["index_version"] = self.index.version() if details["index"] else None
        details["current"] = details["database"] and details["index_version"] == details["catalog_version"]
        ok = bool(details["database"] and details["index"] and details["current"])
        if repair and details["database"] and not ok and not self._repair.locked():
            threading.Thread(target=self._rebuild_quietly, name="index-repair", daemon=True).start()
        return ok, details

    def _rebuild_quietly(self) -> None:
        # a failure here is what the next readiness check reports, and it tries again
        with contextlib.suppress(OSError, SQLAlchemyError):
            self.ensure_index()

    def catalog_version(self) -> int:
        with self.session() as session:
            return catalog_version(session)

    def count(self) -> int:
        with self.session() as session:
            return session.exec(select(func.count()).select_from(Method)).one()

    def index_count(self) -> int:
        return self.index.count()

    def close(self) -> None:
        self.index.close()
        self.engine.dispose()
