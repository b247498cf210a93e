"""View data: one builder per page, rendered as HTML by `pages.py` and as JSON by `api.py`.

A builder returns plain data (what the JSON twin answers, field for field)
or raises `APIError`; `Moved` says the slug asked for was renamed. Views
that only an ingest can change are cached at the catalog's version.
"""

from __future__ import annotations

from typing import Any

from app.deps import Reader
from app.errors import APIError
from app.params import SearchParams
from app.render import render_description
from catalog import queries
from catalog.entry import FLAG_HELP
from catalog.related import related_methods
from catalog.store import Catalog

LISTING_SIZE = 100


class Moved(Exception):
    """The slug asked for is an old name or an alias: the method lives at `slug` now."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


class Ambiguous(Exception):
    """The slug asked for is an alias of several methods: `choices` lists them."""

    def __init__(self, alias: str, choices: list[dict[str, str]]) -> None:
        super().__init__(alias)
        self.alias, self.choices = alias, choices

    def data(self, prefix: str) -> dict[str, Any]:
        """The JSON answer: the one error shape, plus each method the alias names."""
        return {
            "ok": False,
            "status": 300,
            "error": f"{self.alias!r} names {len(self.choices)} methods: choose one.",
            "errors": [],
            "choices": [{**c, "url": f"{prefix}/{c['slug']}"} for c in self.choices],
        }


def _collections(reader: Reader) -> list[dict[str, Any]]:
    return reader.cached("collections", lambda: queries.list_collections(reader.session))


def by_area(collections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    areas: dict[str, dict[str, Any]] = {}
    for c in collections:
        area = areas.setdefault(
            c["area_slug"], {"slug": c["area_slug"], "name": c["area"], "collections": []}
        )
        area["collections"].append(c)
    return list(areas.values())


def home_view(reader: Reader) -> dict[str, Any]:
    """The catalog in numbers, and its areas with their collections."""

    def build() -> dict[str, Any]:
        return {
            "stats": queries.stats(reader.session),
            "flagged": queries.flagged_count(reader.session),
            "areas": by_area(_collections(reader)),
        }

    return reader.cached("home", build)


def collections_view(reader: Reader) -> dict[str, Any]:
    return {"data": _collections(reader)}


def _listing(reader: Reader, cursor: str | None, sort: str, **filters: str) -> dict[str, Any]:
    """A page of methods; a cursor that is not one of ours is a 422."""
    try:
        return queries.list_methods(reader.session, limit=LISTING_SIZE, cursor=cursor, sort=sort, **filters)
    except queries.BadCursor as error:
        raise APIError(422, str(error)) from None


def collection_view(reader: Reader, slug: str, cursor: str | None, sort: str = "name") -> dict[str, Any]:
    found = queries.find_collection(reader.session, slug)
    if found is None:
        raise APIError(404, f"No collection called {slug[:200]!r}.")
    collection, area = found
    return {
        "collection": {"slug": collection.slug, "name": collection.name},
        "area": {"slug": area.slug, "name": area.name},
        "sort": sort,
        "methods": _listing(reader, cursor, sort, collection=slug),
    }


def area_view(reader: Reader, slug: str, cursor: str | None, sort: str = "name") -> dict[str, Any]:
    area = queries.find_area(reader.session, slug)
    if area is None:
        raise APIError(404, f"No area called {slug[:200]!r}.")
    return {
        "area": {"slug": area.slug, "name": area.name},
        "collections": [c for c in _collections(reader) if c["area_slug"] == slug],
        "sort": sort,
        "methods": _listing(reader, cursor, sort, area=slug),
    }


def quality_view(reader: Reader) -> dict[str, Any]:
    """Every flagged entry, grouped by flag (an entry with two flags shows under both)."""

    def build() -> dict[str, Any]:
        rows = queries.summaries(reader.session, queries.flagged_methods(reader.session))
        groups = [
            {"flag": flag, "note": note, "methods": [r for r in rows if flag in r["flags"]]}
            for flag, note in FLAG_HELP.items()
        ]
        return {"total": len(rows), "groups": groups}

    return reader.cached("quality", build)


def method_view(reader: Reader, slug: str) -> dict[str, Any]:
    """The method in full, with its related methods and its description as safe HTML."""

    def build() -> dict[str, Any]:
        method, moved_to = queries.find_method(reader.session, slug)
        if moved_to:
            return {"moved_to": moved_to}
        if method is None:
            named = queries.methods_named(reader.session, slug)
            if len(named) == 1:
                return {"moved_to": named[0]["slug"]}
            if named:
                return {"ambiguous": named}
            # raised, so never cached: unknown slugs cannot crowd out methods
            raise APIError(404, f"No method called {slug[:200]!r}.")
        detail = queries.method_detail(reader.session, method)
        detail["related"] = related_methods(reader.session, reader.catalog.index, method)
        anchors = queries.link_anchors(reader.session, method)
        detail["description_html"] = render_description(detail["description"], anchors)
        return detail

    view = reader.cached(("method", slug), build)
    if "moved_to" in view:
        raise Moved(view["moved_to"])
    if "ambiguous" in view:
        raise Ambiguous(slug, view["ambiguous"])
    return view


def search_view(catalog: Catalog, params: SearchParams) -> dict[str, Any]:
    """Search results as the API and the page both show them (the index alone: no database read)."""
    result = catalog.index.search(
        params.q,
        limit=params.limit,
        offset=params.offset,
        filters=params.filters(),
        max_params=params.max_params,
        sort=params.sort,
    )
    return {
        "query": result.query,
        "count": result.count,
        "suggestion": result.suggestion,
        "data": result.hits,
        "facets": result.facets,
    }


def collection_names(reader: Reader) -> dict[str, dict[str, str]]:
    """Display names of collection and area slugs, for facets and filters."""
    collections = _collections(reader)
    return {
        "collection": {c["slug"]: c["name"] for c in collections},
        "area": {c["area_slug"]: c["area"] for c in collections},
    }
