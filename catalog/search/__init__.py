"""Full-text search over the catalog, behind one interface (`SearchBackend`).

`CATALOG_SEARCH_BACKEND` names the engine; `BACKENDS` maps each name to the
class that implements it, imported only when chosen so that an engine's
library is needed only by those who use it.
"""

from __future__ import annotations

from importlib import import_module

from sqlalchemy.engine import Engine

from catalog.search.backend import FACETS, IndexDocument, SearchBackend, SearchResult, StagedIndex
from catalog.search.suggest import Completion
from catalog.settings import Settings

BACKENDS: dict[str, str] = {
    "whoosh": "catalog.search.whoosh_backend:WhooshBackend",
    "postgres": "catalog.search.postgres_backend:PostgresBackend",
}
"""Backend name -> `module:Class`; the class is built as `Class(settings, engine)`."""


def open_backend(settings: Settings, engine: Engine | None = None) -> SearchBackend:
    """The backend `settings.search_backend` names."""
    module, _, name = BACKENDS[settings.search_backend].partition(":")
    backend: SearchBackend = getattr(import_module(module), name)(settings, engine)
    return backend


__all__ = [
    "BACKENDS",
    "FACETS",
    "Completion",
    "IndexDocument",
    "SearchBackend",
    "SearchResult",
    "StagedIndex",
    "open_backend",
]
