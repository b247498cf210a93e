"""The catalog as one object: database, search index, and the ingest that keeps them in step."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from catalog.db import make_engine, migrate, session_scope
from catalog.documents import parse_document
from catalog.implementations import sync_stats
from catalog.indexing import index_documents
from catalog.ingest import IngestReport, Progress, ingest_document, sha256_of
from catalog.models import Method
from catalog.search import SearchBackend, open_backend
from catalog.settings import Settings

SMALL_UPDATE = 200
"""An ingest touching at most this many methods updates the live index; more rebuilds it aside."""


class Catalog:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings)
        self.index: SearchBackend = open_backend(settings, self.engine)
        self.last_index_sync = ""

    def migrate(self) -> None:
        migrate(self.settings)

    def session(self) -> Session:
        return Session(self.engine)

    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: Callable[[str, int, int], None] | None = None,
    ) -> list[IngestReport]:
        """Parse every document first, then store them all in one transaction, then index.

        A document that does not parse, or a failure while storing, leaves the
        catalog exactly as it was.
        """
        documents = []
        for path in paths:
            document = parse_document(path)
            documents.append((document, sha256_of(Path(path).read_text(encoding="utf-8"))))
        reports = []
        with session_scope(self.engine) as session:
            for document, digest in documents:
                step: Progress | None = None
                if progress is not None:
                    step = lambda done, total, name=document.file: progress(name, done, total)  # noqa: E731
                reports.append(ingest_document(session, document, digest, step))
        with session_scope(self.engine) as session:
            weighed = sync_stats(session)
        if weighed:
            self.rebuild_index()
            self.last_index_sync = f"search index rebuilt ({weighed} implementations weighed)"
        else:
            self.last_index_sync = self._sync_index(reports)
        return reports

    def _sync_index(self, reports: list[IngestReport]) -> str:
        """Bring the index in step with what the ingest changed; says what it did."""
        touched = {s for r in reports for s in r.touched_slugs}
        removed = {s for r in reports for s in r.removed_slugs} - touched
        if not self.index.ready() or len(touched) > SMALL_UPDATE:
            self.rebuild_index()
            return "search index rebuilt"
        if not touched and not removed:
            return "search index unchanged"
        with self.session() as session:
            documents = list(index_documents(session, touched))
        self.index.update(documents, removed, version=0)
        return f"search index updated in place ({len(documents)} updated, {len(removed)} removed)"

    def rebuild_index(self) -> None:
        with self.session() as session:
            self.index.rebuild(index_documents(session), version=0)

    def ensure_index(self) -> None:
        """Build the index when it is missing or holds a different number of methods."""
        if not self.index.ready() or self.index_count() != self.count():
            self.rebuild_index()

    def count(self) -> int:
        with self.session() as session:
            return session.exec(select(func.count()).select_from(Method)).one()

    def index_count(self) -> int:
        return self.index.count()
