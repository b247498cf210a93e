"""The PostgreSQL search backend: the index lives in the catalog's own database.

Chosen with `CATALOG_SEARCH_BACKEND=postgres`, only on a PostgreSQL
`DATABASE_URL`. The search tables (migration 0006) hold one row per method
with a weighted `tsvector` (names A, full names, aliases and derived names B,
the paper title C, the description D) under a GIN index, the whole-query keys
(exact names, paper titles, arXiv ids, joined forms, initials), completion
keys, and word counts for IDF and for spelling corrections by `pg_trgm`
distance. Every write is one transaction that also records the catalog
version the tables now reflect, so any number of replicas on the same
database search the same index and keep nothing on local disk.

Private modules: `_pg_rows.py` (documents to rows), `_pg_write.py`
(transactions), `_pg_plan.py` (a query's stems and corrections) and
`_pg_query.py` (ranking, facets, snippets).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from catalog.db import make_engine
from catalog.search import _pg_query, _pg_write
from catalog.search._pg_plan import lexeme_query, plan, prefix_range
from catalog.search._pg_rows import Rows, add, completion_key
from catalog.search.backend import IndexDocument, SearchResult, StagedIndex
from catalog.search.query_text import MAX_PARAMS, SORTS, bounded, has_words, split_filters
from catalog.search.suggest import Completion
from catalog.settings import Settings

SIMILAR_TERMS = 15
"""Description words of a method that find the methods like it: the most distinctive first."""
_COMPLETIONS = """
    SELECT label, slug, name FROM (
        SELECT DISTINCT ON (slug) slug, label, name, position > 0 AS later, length(label) AS size
        FROM search_completion WHERE key >= %(low)s AND key < %(high)s
        ORDER BY slug, position > 0, length(label), lower(label)
    ) c ORDER BY later, size, lower(label), slug LIMIT %(limit)s
"""
_DESCRIPTION_TERMS = """
    SELECT t.lexeme FROM search_document d, unnest(d.document) t
    JOIN search_lexeme l ON l.lexeme = t.lexeme
    WHERE d.slug = %(slug)s AND 'D' = ANY(t.weights) AND length(t.lexeme) > 2
    ORDER BY cardinality(t.positions) * ln(1.0 + %(documents)s / (1.0 + l.ndoc)) DESC, t.lexeme
    LIMIT %(terms)s
"""
_SIMILAR = """
    SELECT slug, ts_rank('{1, 1, 1, 1}', document, %(query)s::tsquery) AS score FROM search_document
    WHERE document @@ %(query)s::tsquery AND slug <> %(slug)s
    ORDER BY score DESC, slug LIMIT %(limit)s
"""


class PostgresRequired(ValueError):
    """The PostgreSQL backend was chosen for a database that is not PostgreSQL."""


def require_postgres(url: str) -> None:
    if not url.startswith("postgresql"):
        raise PostgresRequired(
            "CATALOG_SEARCH_BACKEND=postgres needs DATABASE_URL on PostgreSQL (postgresql+psycopg://...), "
            f"not {url.split(':', 1)[0]}"
        )


@dataclass
class _Staged:
    backend: PostgresBackend
    rows: Rows | None
    version: int

    def publish(self) -> None:
        if self.rows is not None:
            _pg_write.replace_all(self.backend.engine, self.rows, self.version)
            self.rows = None

    def discard(self) -> None:
        self.rows = None


def _rows(documents: Iterable[IndexDocument]) -> Rows:
    rows = Rows()
    for document in documents:
        add(rows, document)
    return rows


class PostgresBackend:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        require_postgres(settings.sqlalchemy_url)
        self.engine = engine or make_engine(settings)

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        with self.engine.connect() as connection:
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                yield cursor
            finally:
                cursor.close()
                connection.rollback()

    def _state(self, cursor: Any | None = None) -> tuple[int, int, float] | None:
        """(version, documents, built_at) of the search tables; None when there are none yet."""
        if cursor is not None:
            # and for the rest of the transaction: a search is a few milliseconds of work, so starting
            # parallel workers costs more than it saves
            cursor.execute(
                "SELECT version, documents, built_at, set_config('max_parallel_workers_per_gather', '0', true) "
                "FROM search_state WHERE id = 1"
            )
            row = cursor.fetchone()
            return (row[0], row[1], row[2]) if row else None
        try:
            with self._cursor() as own:
                return self._state(own)
        except (SQLAlchemyError, psycopg.Error):  # no database, or no search tables yet: no index
            return None

    def stage(self, documents: Iterable[IndexDocument], version: int) -> StagedIndex:
        return _Staged(self, _rows(documents), version)

    def rebuild(self, documents: Iterable[IndexDocument], version: int) -> None:
        _pg_write.replace_all(self.engine, _rows(documents), version)

    def update(self, documents: Iterable[IndexDocument], removed: Iterable[str], version: int) -> None:
        _pg_write.replace_some(self.engine, _rows(documents), list(removed), version)

    def search(
        self,
        text: str,
        limit: int = 20,
        offset: int = 0,
        filters: dict[str, str] | None = None,
        max_params: int | None = None,
        sort: str | None = None,
    ) -> SearchResult:
        # PostgreSQL text holds no NUL: a query is searched without it
        remaining, inline = split_filters(text.replace("\x00", ""))
        given = {k: v.replace("\x00", "") for k, v in (filters or {}).items() if v}
        all_filters = {**inline, **given}
        bound = None if max_params is None or max_params >= MAX_PARAMS else max_params
        browsing = not has_words(bounded(remaining))
        if browsing and not all_filters and bound is None:
            return SearchResult(query=text, count=0, hits=[])
        order = sort if sort in SORTS else ("name" if browsing else "relevance")
        with self._cursor() as cursor:
            try:
                state = self._state(cursor)
            except psycopg.Error:  # no search tables yet
                state = None
            if state is None:
                return SearchResult(query=text, count=0, hits=[])
            the_plan = None if browsing else plan(cursor, state[1], remaining)
            count, hits, facets = _pg_query.search(
                cursor, the_plan, all_filters, bound, max(0, limit), max(0, offset), order
            )
        return SearchResult(
            query=text,
            count=count,
            hits=hits,
            facets=facets,
            suggestion=the_plan.suggestion if the_plan else None,
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[Completion]:
        key = completion_key(prefix.replace("\x00", ""))
        if not key or limit <= 0 or self._state() is None:
            return []
        with self._cursor() as cursor:
            cursor.execute(_COMPLETIONS, {**prefix_range(key), "limit": limit})
            return [Completion(label, slug, name) for label, slug, name in cursor.fetchall()]

    def similar(self, slug: str, limit: int = 10) -> dict[str, float]:
        slug = slug.replace("\x00", "")
        state = self._state()
        if state is None:
            return {}
        with self._cursor() as cursor:
            cursor.execute(_DESCRIPTION_TERMS, {"slug": slug, "documents": state[1], "terms": SIMILAR_TERMS})
            terms = [lexeme for (lexeme,) in cursor.fetchall()]
            if not terms:
                return {}
            query = " | ".join(lexeme_query(term, ":D") for term in terms)
            cursor.execute(_SIMILAR, {"query": query, "slug": slug, "limit": limit})
            return {found: float(score) for found, score in cursor.fetchall()}

    def version(self) -> int | None:
        state = self._state()
        return state[0] if state else None

    def serving_version(self) -> int | None:
        return self.version()  # every statement reads the tables one transaction published

    def follow(self) -> None:
        """Nothing to warm: a new version is published by swapping tables in one transaction."""

    def settle(self, timeout_s: float) -> bool:
        return True

    def built_at(self) -> float | None:
        """When the search tables were last written (Unix time); None without them."""
        state = self._state()
        return state[2] if state else None

    def ready(self) -> bool:
        return self._state() is not None

    def count(self) -> int:
        state = self._state()
        return state[1] if state else 0

    def contents(self) -> dict[str, str]:
        if self._state() is None:
            return {}
        with self._cursor() as cursor:
            cursor.execute("SELECT slug, name FROM search_document")
            return dict(cursor.fetchall())

    def close(self) -> None:
        """The engine is the catalog's: it closes it."""
