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
from catalog.ingest import IngestReport, Progress, ingest_document
from catalog.models import Alias, Method
from catalog.search import SearchIndex
from catalog.search.suggest import Suggester
from catalog.settings import Settings

SMALL_UPDATE = 200
"""An ingest touching at most this many methods updates the live index; more rebuilds it aside."""


class Catalog:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings)
        self.index = SearchIndex(settings.index_dir)
        self._suggester: Suggester | None = None
        self._suggester_stamp = ""
        self.last_index_sync = ""

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
        limits = self.settings.max_document_mb, self.settings.max_document_entries
        documents = [parse_document(path, *limits) for path in paths]
        reports = []
        with session_scope(self.engine) as session:
            for document in documents:
                step: Progress | None = None
                if progress is not None:
                    step = lambda done, total, name=document.file: progress(name, done, total)  # noqa: E731
                reports.append(ingest_document(session, document, document.sha256, step, replace=replace))
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
        if not self.index.exists() or len(touched) > SMALL_UPDATE:
            self.rebuild_index()
            return "search index rebuilt"
        if not touched and not removed:
            return "search index unchanged"
        with self.session() as session:
            documents = list(index_documents(session, touched))
        self.index.update(documents, removed=removed)
        return f"search index updated in place ({len(documents)} updated, {len(removed)} removed)"

    def rebuild_index(self) -> None:
        with self.session() as session:
            self.index.rebuild(index_documents(session))

    def ensure_index(self) -> None:
        """Build the index when it is missing or holds a different number of methods."""
        if not self.index.exists() or self.index_count() != self.count():
            self.rebuild_index()

    def suggester(self) -> Suggester:
        """Completion over every name and alias, rebuilt when the index moved on."""
        stamp = self.index.stamp()
        if self._suggester is None or stamp != self._suggester_stamp:
            with self.session() as session:
                rows = session.exec(select(Alias.name, Method.slug, Method.name).join(Method)).all()
            # "-step Returns" is kept as an alias for search, but nobody types a leading dash
            rows = [row for row in rows if row[0][:1].isalnum()]
            self._suggester, self._suggester_stamp = Suggester(rows), stamp
        return self._suggester

    def count(self) -> int:
        with self.session() as session:
            return session.exec(select(func.count()).select_from(Method)).one()

    def index_count(self) -> int:
        with self.index.searcher() as searcher:
            return searcher.doc_count()
