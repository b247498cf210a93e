"""HTML pages. Each builds the same data as its JSON twin and links to it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CatalogDep, SessionDep
from app.errors import APIError
from app.views import method_view, search_view
from catalog import queries

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20


def _page(request: Request, template: str, context: dict[str, Any], json_url: str) -> Response:
    response = request.app.state.templates.TemplateResponse(
        request, template, {**context, "json_url": json_url}
    )
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> Response:
    collections = queries.list_collections(session)
    areas: dict[str, list[dict]] = {}
    for collection in collections:
        areas.setdefault(collection["area"], []).append(collection)
    return _page(
        request,
        "home.html",
        {"stats": queries.stats(session), "areas": areas},
        "/api/v1/collections",
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    catalog: CatalogDep,
    q: Annotated[str, Query(max_length=10_000)] = "",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
    collection: Annotated[str | None, Query(max_length=200)] = None,
    area: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    offset = (page - 1) * PAGE_SIZE
    filters = {"collection": collection, "area": area}
    result = search_view(catalog, q, limit=PAGE_SIZE, offset=offset, filters=filters)
    params = {k: v for k, v in {"q": q, "collection": collection, "area": area}.items() if v}
    return _page(
        request,
        "search.html",
        {
            "q": q,
            "result": result,
            "page": page,
            "pages": max(1, -(-result["count"] // PAGE_SIZE)),
            "params": params,
            "filters": filters,
        },
        "/api/v1/search?" + urlencode({**params, "offset": offset, "limit": PAGE_SIZE}),
    )


@router.get("/methods/{slug}", response_class=HTMLResponse)
def method_page(request: Request, slug: str, session: SessionDep, catalog: CatalogDep) -> Response:
    method, moved_to = queries.find_method(session, slug)
    if moved_to:
        return RedirectResponse(f"/methods/{moved_to}", status_code=301)
    if method is None:
        raise APIError(404, f"No method called {slug[:200]!r}.")
    return _page(
        request, "method.html", {"m": method_view(session, method, catalog)}, f"/api/v1/methods/{method.slug}"
    )


@router.get("/collections", response_class=HTMLResponse)
def collections_page(request: Request, session: SessionDep) -> Response:
    collections = queries.list_collections(session)
    areas: dict[str, list[dict]] = {}
    for collection in collections:
        areas.setdefault(collection["area"], []).append(collection)
    return _page(request, "collections.html", {"areas": areas}, "/api/v1/collections")


@router.get("/collections/{slug}", response_class=HTMLResponse)
def collection_page(
    request: Request,
    slug: str,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> Response:
    found = queries.find_collection(session, slug)
    if found is None:
        raise APIError(404, f"No collection called {slug[:200]!r}.")
    collection, area = found
    try:
        page = queries.list_methods(session, collection=slug, limit=100, cursor=cursor)
    except queries.BadCursor as error:
        raise APIError(422, str(error)) from None
    return _page(
        request,
        "collection.html",
        {"collection": collection, "area": area, "page": page},
        f"/api/v1/methods?collection={slug}",
    )
