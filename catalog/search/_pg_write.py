"""Writing the PostgreSQL search tables: everything at once, or some documents in place.

Each write is one transaction, so a search on any connection sees the tables
before it or after it, never between; an advisory lock orders concurrent
writers (two replicas repairing the index at once). Rows go in by COPY; the
weighted vector is a generated column that PostgreSQL computes as they land.
The word tables (document frequencies of stems, for IDF, and of words as
written, for spelling) are counted by PostgreSQL from the vectors: from
scratch on a rebuild, adjusted by the changed documents on an update.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Engine

from catalog.search._pg_rows import DOCUMENT_COLUMNS, Rows

WRITE_LOCK = 7_316_045_113
"""Advisory lock key held by every write of the search tables."""
TABLES = ("search_document", "search_key", "search_completion", "search_lexeme", "search_word")

_LEXEMES = """
    SELECT t.lexeme, count(*) AS n FROM search_document d, unnest(d.document) t
    WHERE {where} GROUP BY t.lexeme
"""
_WORDS = """
    SELECT word, sum(name_docs)::int AS name_docs, sum(text_docs)::int AS text_docs FROM (
        SELECT t.lexeme AS word, 1 AS name_docs, 0 AS text_docs FROM search_document d,
            unnest(to_tsvector('simple', d.name || ' ' || d.full_name || ' ' || d.aliases)) t WHERE {where}
        UNION ALL
        SELECT t.lexeme, 0, 1 FROM search_document d, unnest(to_tsvector('simple', d.description)) t
        WHERE {where}
    ) w
    WHERE word ~ '^[a-z]+(-[a-z]+)*$' AND length(word) <= 30 GROUP BY word
"""
_CHANGED = "d.slug = ANY(%(slugs)s)"


def _copy(cursor: Any, table: str, columns: Iterable[str], rows: Iterable[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert(cursor: Any, rows: Rows) -> None:
    _copy(cursor, "search_document", DOCUMENT_COLUMNS, rows.documents)
    _copy(cursor, "search_key", ("field", "key", "slug"), sorted(rows.keys))
    _copy(cursor, "search_completion", ("key", "position", "label", "slug", "name"), rows.completions)


def _count(cursor: Any, sign: int, where: str, slugs: list[str]) -> None:
    """Add (`sign` 1) or take away (-1) the word counts of the documents `where` selects."""
    params = {"slugs": slugs, "sign": sign}
    cursor.execute(
        f"""INSERT INTO search_lexeme (lexeme, ndoc) SELECT lexeme, %(sign)s * n FROM ({_LEXEMES.format(where=where)}) c
        ON CONFLICT (lexeme) DO UPDATE SET ndoc = search_lexeme.ndoc + excluded.ndoc""",
        params,
    )
    cursor.execute(
        f"""INSERT INTO search_word (word, name_docs, text_docs)
        SELECT word, %(sign)s * name_docs, %(sign)s * text_docs FROM ({_WORDS.format(where=where)}) c
        ON CONFLICT (word) DO UPDATE SET name_docs = search_word.name_docs + excluded.name_docs,
            text_docs = search_word.text_docs + excluded.text_docs""",
        params,
    )
    if sign < 0:
        cursor.execute("DELETE FROM search_lexeme WHERE ndoc <= 0")
        cursor.execute("DELETE FROM search_word WHERE name_docs <= 0 AND text_docs <= 0")


def _set_version(cursor: Any, version: int) -> None:
    cursor.execute(
        """INSERT INTO search_state (id, version, documents, built_at)
        VALUES (1, %(version)s, (SELECT count(*) FROM search_document), %(now)s)
        ON CONFLICT (id) DO UPDATE
        SET version = excluded.version, documents = excluded.documents, built_at = excluded.built_at""",
        {"version": version, "now": time.time()},
    )


def replace_all(engine: Engine, rows: Rows, version: int) -> None:
    """The tables hold exactly `rows`, at `version`, from one commit on."""
    with engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table}")
        _insert(cursor, rows)
        _count(cursor, 1, "true", [])
        _set_version(cursor, version)
        for table in TABLES:
            # fresh statistics: the planner picks index scans by how many documents hold a word
            cursor.execute(f"ANALYZE {table}")


def replace_some(engine: Engine, rows: Rows, removed: Iterable[str], version: int) -> None:
    """Add or replace the documents of `rows`, drop the `removed` slugs; the tables are then at `version`."""
    changed = sorted({*rows.slugs, *removed})
    with engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        _count(cursor, -1, _CHANGED, changed)
        for table in ("search_document", "search_key", "search_completion"):
            cursor.execute(f"DELETE FROM {table} WHERE slug = ANY(%(slugs)s)", {"slugs": changed})
        _insert(cursor, rows)
        _count(cursor, 1, _CHANGED, rows.slugs)
        _set_version(cursor, version)
