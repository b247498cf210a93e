"""A plain full-text baseline: SQLite FTS5 with BM25 over name, full name and description.

No stemming beyond FTS5's porter tokenizer, no aliases, no typo correction, no
name boost: what anyone gets from a stock full-text table. The catalog's search
is measured against it in the same run (`bench/relevance.py`,
`bench/search_latency.py`), so the comparison holds on any machine.
"""

from __future__ import annotations

import re
import sqlite3

from sqlmodel import select

from catalog.models import Method
from catalog.store import Catalog

_WORD_RE = re.compile(r"\w+")


class Fts5Baseline:
    """An in-memory FTS5 table of every method of a catalog."""

    def __init__(self, catalog: Catalog) -> None:
        with catalog.session() as session:
            rows = session.exec(select(Method.slug, Method.name, Method.full_name, Method.description)).all()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE method USING fts5("
            "slug UNINDEXED, name, full_name, description, tokenize='porter unicode61')"
        )
        self._db.executemany("INSERT INTO method VALUES (?, ?, ?, ?)", rows)
        self._db.commit()

    def search(self, text: str, limit: int = 10) -> list[str]:
        """Slugs of the best `limit` methods for any of the query's words, by BM25."""
        words = _WORD_RE.findall(text.lower())
        if not words:
            return []
        match = " OR ".join(f'"{word}"' for word in words)
        rows = self._db.execute(
            "SELECT slug FROM method WHERE method MATCH ? ORDER BY bm25(method) LIMIT ?", (match, limit)
        )
        return [slug for (slug,) in rows]

    def close(self) -> None:
        self._db.close()
