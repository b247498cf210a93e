"""The whole catalog as JSON Lines, built once per catalog version and served from memory.

Building reads every method in batches (a few queries per 500 methods); the
text, a few megabytes, is then shared by every export until an ingest, so
concurrent downloads cost a copy each, not a pass over the database each.
"""

from __future__ import annotations

import json

from app.deps import Reader
from catalog import queries

CHUNK_LINES = 200


def _build(reader: Reader) -> tuple[str, ...]:
    chunks, lines = [], []
    for row in queries.export_rows(reader.session):
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
        if len(lines) == CHUNK_LINES:
            chunks.append("".join(lines))
            lines = []
    if lines:
        chunks.append("".join(lines))
    return tuple(chunks)


def export_lines(reader: Reader) -> tuple[str, ...]:
    """The export's text in chunks of whole lines."""
    return reader.cached("export", lambda: _build(reader))
