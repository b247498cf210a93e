"""The JSON API, version 1: each page's JSON twin, and the API's own reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse

from app import views
from app.deps import CatalogDep, ReaderDep, SessionDep
from app.errors import APIError
from app.export import export_lines
from app.params import SLUG_PATTERN, TEXT_PATTERN, SearchParams
from app.schemas import (
    AreaPagePublic,
    CollectionPagePublic,
    CollectionsPublic,
    ErrorResponse,
    HomePublic,
    MethodPublic,
    MethodsPublic,
    QualityPublic,
    SearchPublic,
    SuggestPublic,
)
from catalog import queries

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses={422: {"model": ErrorResponse}})

Slug = Annotated[str, Query(max_length=200, pattern=SLUG_PATTERN)]
Cursor = Annotated[
    str | None,
    Query(
        max_length=400, pattern=queries.CURSOR_PATTERN, description="The `next` value of the previous page"
    ),
]

Flag = Literal["missing_description", "description_mismatch", "math_stripped"]
ListingSort = Annotated[
    Literal["name", "year", "papers"],
    Query(description="name (default), year (newest first) or papers (most first)"),
]


@router.get("/methods", response_model=MethodsPublic, summary="List methods, a page at a time")
def list_methods(
    request: Request,
    response: Response,
    session: SessionDep,
    collection: Slug | None = None,
    area: Slug | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Cursor = None,
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
    responses={
        404: {"model": ErrorResponse},
        301: {"description": "The method moved to a new slug, or the slug asked for is one of its aliases"},
        300: {"description": "An alias of several methods: `choices` lists them"},
    },
)
def get_method(slug: str, reader: ReaderDep) -> dict | Response:
    try:
        return views.method_view(reader, slug)
    except views.Moved as moved:
        return RedirectResponse(f"/api/v1/methods/{moved.slug}", status_code=301)
    except views.Ambiguous as ambiguous:
        return JSONResponse(ambiguous.data("/api/v1/methods"), status_code=300)


@router.get(
    "/methods/{slug}/citation.bib",
    summary="The BibTeX entry of the method's paper",
    response_class=Response,
    responses={
        200: {"content": {"text/x-bibtex": {}}},
        404: {"model": ErrorResponse, "description": "No such method, or no paper to cite"},
    },
)
def get_citation(slug: str, reader: ReaderDep) -> Response:
    try:
        method = views.method_view(reader, slug)
    except views.Moved as moved:
        return RedirectResponse(f"/api/v1/methods/{moved.slug}/citation.bib", status_code=301)
    except views.Ambiguous as ambiguous:
        return JSONResponse(ambiguous.data("/api/v1/methods"), status_code=300)
    if not method["citation"]:
        raise APIError(404, f"{method['name']!r} has no paper to cite.")
    return Response(method["citation"]["bibtex"], media_type="text/x-bibtex; charset=utf-8")


@router.get("/search", response_model=SearchPublic, summary="Full-text search with facets")
def search(catalog: CatalogDep, params: Annotated[SearchParams, Query()]) -> dict:
    return views.search_view(catalog, params)


@router.get("/suggest", response_model=SuggestPublic, summary="Names and aliases by prefix, as you type")
async def suggest(
    catalog: CatalogDep,
    q: Annotated[str, Query(max_length=200, pattern=TEXT_PATTERN)] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 8,
) -> dict:
    # a binary search over names held in memory, on the event loop: a hand-off to the thread pool costs
    # more than the answer (the first call after the index changes rebuilds the names, once)
    return {"query": q, "data": [vars(c) for c in catalog.index.suggest(q, limit)]}


@router.get("/home", response_model=HomePublic, summary="The home page's data: counts, areas, collections")
def home(reader: ReaderDep) -> dict:
    return views.home_view(reader)


@router.get("/quality", response_model=QualityPublic, summary="Every flagged entry, by flag")
def quality(reader: ReaderDep) -> dict:
    return views.quality_view(reader)


@router.get(
    "/collections", response_model=CollectionsPublic, summary="Collections with their areas and sizes"
)
def list_collections(reader: ReaderDep) -> dict:
    return views.collections_view(reader)


@router.get(
    "/collections/{slug}",
    response_model=CollectionPagePublic,
    summary="One collection and a page of its methods",
    responses={404: {"model": ErrorResponse}},
)
def get_collection(slug: str, reader: ReaderDep, cursor: Cursor = None, sort: ListingSort = "name") -> dict:
    return views.collection_view(reader, slug, cursor, sort)


@router.get(
    "/areas/{slug}",
    response_model=AreaPagePublic,
    summary="One area, its collections and a page of its methods",
    responses={404: {"model": ErrorResponse}},
)
def get_area(slug: str, reader: ReaderDep, cursor: Cursor = None, sort: ListingSort = "name") -> dict:
    return views.area_view(reader, slug, cursor, sort)


@router.get(
    "/export",
    summary="The whole catalog as JSON Lines",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def export(reader: ReaderDep) -> StreamingResponse:
    chunks: Iterator[str] = iter(export_lines(reader))
    return StreamingResponse(
        chunks,
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="method-catalog.jsonl"'},
    )
