"""The JSON API, version 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse

from app.deps import CatalogDep, SessionDep
from app.errors import APIError
from app.schemas import (
    CollectionsPublic,
    ErrorResponse,
    MethodPublic,
    MethodsPublic,
    SearchPublic,
    SuggestPublic,
)
from app.views import method_view, search_view
from catalog import queries
from methods.spec import Kind

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses={422: {"model": ErrorResponse}})

Slug = Annotated[str, Query(max_length=200, pattern=r"^[a-z0-9-]*$")]

Flag = Literal["missing_description", "description_mismatch", "math_stripped"]
Sort = Literal["relevance", "name", "papers"]


@router.get("/methods", response_model=MethodsPublic, summary="List methods, a page at a time")
def list_methods(
    request: Request,
    response: Response,
    session: SessionDep,
    collection: Slug | None = None,
    area: Slug | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    flag: Annotated[Flag | None, Query(description="Only methods with this quality flag")] = None,
) -> dict:
    try:
        page = queries.list_methods(
            session, collection=collection, area=area, limit=limit, cursor=cursor, flag=flag
        )
    except queries.BadCursor as error:
        raise APIError(422, str(error)) from None
    if page["next"]:
        url = request.url.include_query_params(cursor=page["next"])
        response.headers["Link"] = f'<{url}>; rel="next"'
    return page


@router.get(
    "/methods/{slug}",
    response_model=MethodPublic,
    summary="One method in full",
    responses={404: {"model": ErrorResponse}, 301: {"description": "The method moved to a new slug"}},
)
def get_method(slug: str, session: SessionDep, catalog: CatalogDep) -> dict | Response:
    method, moved_to = queries.find_method(session, slug)
    if moved_to:
        return RedirectResponse(f"/api/v1/methods/{moved_to}", status_code=301)
    if method is None:
        raise APIError(404, f"no method {slug[:200]!r}")
    return method_view(session, method, catalog)


@router.get("/search", response_model=SearchPublic, summary="Full-text search with facets")
def search(
    catalog: CatalogDep,
    q: Annotated[str, Query(max_length=10_000)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    collection: Slug | None = None,
    area: Slug | None = None,
    kind: Annotated[Kind | None, Query(description="Implementation kind")] = None,
    has_implementation: Annotated[bool | None, Query()] = None,
    implementation_status: Annotated[
        Literal["runnable", "not_applicable", "missing"] | None,
        Query(description="Runnable, not applicable (with a reason), or missing"),
    ] = None,
    max_params: Annotated[
        int | None, Query(ge=0, description="Parameters at the default configuration")
    ] = None,
    sort: Annotated[Sort | None, Query(description="Default: relevance with q, name without")] = None,
) -> dict:
    filters = {
        "collection": collection,
        "area": area,
        "kind": kind,
        "implementation_status": implementation_status,
    }
    if has_implementation is not None:
        filters["has_implementation"] = str(has_implementation).lower()
    return search_view(
        catalog, q, limit=limit, offset=offset, filters=filters, max_params=max_params, sort=sort
    )


@router.get("/suggest", response_model=SuggestPublic, summary="Names and aliases by prefix, as you type")
def suggest(
    catalog: CatalogDep,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 8,
) -> dict:
    return {"query": q, "data": [vars(c) for c in catalog.index.suggest(q, limit)]}


@router.get(
    "/collections", response_model=CollectionsPublic, summary="Collections with their areas and sizes"
)
def list_collections(session: SessionDep) -> dict:
    return {"data": queries.list_collections(session)}


@router.get(
    "/export",
    summary="The whole catalog as JSON Lines",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def export(catalog: CatalogDep) -> StreamingResponse:
    def lines() -> Iterator[str]:
        with catalog.session() as session:
            for row in queries.export_rows(session):
                yield json.dumps(row, ensure_ascii=False) + "\n"

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="method-catalog.jsonl"'},
    )
