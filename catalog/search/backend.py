"""The one interface every caller searches through: ingest, related methods, pages, API and CLI.

A backend holds one document per catalog method (`IndexDocument`, built by
`catalog/indexing.py`) and the catalog version it was built from, so that the
catalog can tell when the index and the database disagree and rebuild.
Whoosh is one implementation (`catalog/search/whoosh_backend.py`); another
engine is one module that satisfies this protocol plus a name in
`catalog.search.BACKENDS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from catalog.search.suggest import Completion

IndexDocument = dict[str, Any]
"""One method as the index sees it: `slug`, `name`, `full_name`, `aliases`, `labels` (every name and
alias, one a line, for completion), `exact`, `initials`, `popularity`, `description`, `paper_title`,
`source_url`, `year`, `collection`, `area`, `collection_names`, `has_implementation`, `implementation_status`,
`kind` and, when known, `params`."""

FACETS = ("collection", "area", "kind", "has_implementation", "implementation_status")
"""Fields a search counts and filters on."""


@dataclass
class SearchResult:
    query: str
    count: int
    hits: list[dict[str, Any]]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    """The corrected query ("Did you mean …") when words were misspelled."""


class StagedIndex(Protocol):
    """A complete index built aside: searches see it only once published."""

    def publish(self) -> None: ...

    def discard(self) -> None: ...


class SearchBackend(Protocol):
    def stage(self, documents: Iterable[IndexDocument], version: int) -> StagedIndex:
        """Build a complete index from `documents` (catalog `version`) without changing what searches see.

        An ingest stages before its transaction commits and publishes right
        after, so that listings and search disagree for no longer than a swap.
        """
        ...

    def rebuild(self, documents: Iterable[IndexDocument], version: int) -> None:
        """Replace everything with `documents`, built from catalog `version`; searches never see a gap."""
        ...

    def update(self, documents: Iterable[IndexDocument], removed: Iterable[str], version: int) -> None:
        """Add or replace `documents`, forget the `removed` slugs; the index is then at `version`."""
        ...

    def search(
        self,
        text: str,
        limit: int = 20,
        offset: int = 0,
        filters: dict[str, str] | None = None,
        max_params: int | None = None,
        sort: str | None = None,
    ) -> SearchResult:
        """Ranked hits with snippets, and facet counts over every match; any string is a valid query.

        `sort`: "relevance" (the default with words), "name" (the default without: filters alone
        list every method they admit), "papers" or "year" (newest first)."""
        ...

    def suggest(self, prefix: str, limit: int = 8) -> list[Completion]:
        """Names and aliases that start with `prefix` (or have a word that does), as someone types."""
        ...

    def similar(self, slug: str, limit: int = 10) -> dict[str, float]:
        """Slugs whose descriptions read like `slug`'s, with scores (higher is closer)."""
        ...

    def version(self) -> int | None:
        """The catalog version the index was built from; None when there is no index or it is mid-change."""
        ...

    def serving_version(self) -> int | None:
        """The catalog version of what searches read now: `version`, except while a following server
        warms a changed index aside (`follow`), when it is the version still serving."""
        ...

    def follow(self) -> None:
        """Serve on while the index changes: searches keep reading the index they read until a changed
        one is ready to answer without delay (a server's; a process that searches what it just wrote
        must not call it)."""
        ...

    def settle(self, timeout_s: float) -> bool:
        """Wait, at most `timeout_s`, until searches read the index `version` names; True when they do."""
        ...

    def ready(self) -> bool:
        """The index exists and can be searched."""
        ...

    def count(self) -> int:
        """How many methods the index holds (0 when there is none)."""
        ...

    def contents(self) -> dict[str, str]:
        """Every indexed method, slug to name: what a consistency check compares with the database."""
        ...

    def close(self) -> None: ...
