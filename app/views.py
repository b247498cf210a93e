"""View data shared by the HTML pages and the JSON API."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.render import render_description
from catalog import queries
from catalog.models import CrossLink, Method
from catalog.related import related_methods
from catalog.store import Catalog


def method_view(session: Session, method: Method, catalog: Catalog) -> dict[str, Any]:
    detail = queries.method_detail(session, method)
    detail["related"] = related_methods(session, catalog.index, method)
    anchors = session.exec(
        select(CrossLink.anchor, Method.slug)
        .join(Method, col(Method.id) == CrossLink.target_id)
        .where(CrossLink.source_id == method.id, CrossLink.kind == "link")
    ).all()
    detail["description_html"] = render_description(detail["description"], dict(anchors))
    return detail


def search_view(
    catalog: Catalog,
    q: str,
    limit: int = 20,
    offset: int = 0,
    filters: dict[str, str | None] | None = None,
    max_params: int | None = None,
    sort: str | None = None,
) -> dict[str, Any]:
    """Search results as the API and the page both show them."""
    clean = {k: v for k, v in (filters or {}).items() if v}
    result = catalog.index.search(
        q, limit=limit, offset=offset, filters=clean, max_params=max_params, sort=sort
    )
    return {
        "query": result.query,
        "count": result.count,
        "suggestion": result.suggestion,
        "data": result.hits,
        "facets": result.facets,
    }
