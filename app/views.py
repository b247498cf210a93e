"""View data shared by the HTML pages and the JSON API."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.render import render_description
from catalog import queries
from catalog.models import CrossLink, Method
from catalog.search import search
from catalog.store import Catalog


def method_view(session: Session, method: Method) -> dict[str, Any]:
    detail = queries.method_detail(session, method)
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
    collection: str | None = None,
    area: str | None = None,
) -> dict[str, Any]:
    result = search(
        catalog.index,
        q,
        limit=limit,
        offset=offset,
        filters={"collection": collection or "", "area": area or ""},
    )
    return {"query": result.query, "count": result.count, "data": result.hits, "facets": result.facets}
