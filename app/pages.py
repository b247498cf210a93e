"""HTML pages. Each builds the same data as its JSON twin and links to it."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from sqlmodel import Session, col, func, select

from app.demo_form import demo_form
from app.deps import CatalogDep, SessionDep
from app.errors import APIError
from app.views import method_view, search_view
from catalog import queries
from catalog.entry import FLAG_HELP
from catalog.models import Area, Method
from methods.registry import registry
from methods.spec import Kind, MethodEntry

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
FACET_LABELS = {
    "collection": "Collection",
    "area": "Area",
    "kind": "Kind",
    "has_implementation": "Implementation",
    "implementation_status": "Status",
}
IMPLEMENTED = {"true": "Runnable", "false": "Not runnable yet"}
STATUSES = {"runnable": "Runnable", "not_applicable": "Not applicable", "missing": "Missing"}
# static/pygments.css holds this formatter's style, generated once (see its first line).
_CODE = HtmlFormatter(cssclass="highlight")


def _page(request: Request, template: str, context: dict[str, Any], json_url: str | None) -> Response:
    response = request.app.state.templates.TemplateResponse(
        request, template, {**context, "json_url": json_url}
    )
    if json_url:
        response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def _by_area(collections: list[dict]) -> dict[str, list[dict]]:
    areas: dict[str, list[dict]] = {}
    for collection in collections:
        areas.setdefault(collection["area"], []).append(collection)
    return areas


def _flagged(session: Session) -> list[Method]:
    statement = select(Method).where(Method.flags != "").order_by(func.lower(col(Method.name)))
    return list(session.exec(statement))


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> Response:
    areas = _by_area(queries.list_collections(session))
    flagged = session.exec(select(func.count()).select_from(Method).where(Method.flags != "")).one()
    return _page(
        request,
        "home.html",
        {"stats": queries.stats(session), "areas": areas, "flagged": flagged},
        "/api/v1/collections",
    )


def _search_url(params: dict[str, Any]) -> str:
    return "/search?" + urlencode({k: v for k, v in params.items() if v})


def _facet_groups(result: dict, filters: dict[str, str | None], q: str, names: dict) -> list[dict]:
    """Each facet's values with counts, labels and the URL that toggles it (page reset to 1)."""
    groups = []
    for facet, counts in result["facets"].items():
        values = []
        for value, count in counts.items():
            active = filters.get(facet) == value
            values.append(
                {
                    "label": names.get(facet, {}).get(value, value),
                    "count": count,
                    "active": active,
                    "url": _search_url({"q": q, **filters, facet: None if active else value}),
                }
            )
        if values:
            groups.append({"facet": facet, "label": FACET_LABELS.get(facet, facet), "values": values})
    return groups


def _pager(page: int, pages: int, params: dict[str, Any]) -> list[dict]:
    """Page links: the first, the last and two either side of the current one; None marks a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[dict] = []
    for number in shown:
        if links and number - links[-1]["number"] > 1:
            links.append({"number": number - 1, "gap": True})
        links.append({"number": number, "url": _search_url({**params, "page": number}), "gap": False})
    return links


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    catalog: CatalogDep,
    session: SessionDep,
    q: Annotated[str, Query(max_length=10_000)] = "",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
    collection: Annotated[str | None, Query(max_length=200)] = None,
    area: Annotated[str | None, Query(max_length=200)] = None,
    kind: Kind | None = None,
    has_implementation: Literal["true", "false"] | None = None,
    implementation_status: Literal["runnable", "not_applicable", "missing"] | None = None,
    sort: Literal["relevance", "name", "papers"] | None = None,
) -> Response:
    offset = (page - 1) * PAGE_SIZE
    filters = {
        "collection": collection,
        "area": area,
        "kind": kind,
        "has_implementation": has_implementation,
        "implementation_status": implementation_status,
    }
    result = search_view(catalog, q, limit=PAGE_SIZE, offset=offset, filters=filters, sort=sort)
    collections = queries.list_collections(session)
    names = {
        "collection": {c["slug"]: c["name"] for c in collections},
        "area": {c["area_slug"]: c["area"] for c in collections},
        "kind": {kind: kind.capitalize() for kind in get_args(Kind)},
        "has_implementation": IMPLEMENTED,
        "implementation_status": STATUSES,
    }
    params = {"q": q, **filters, "sort": sort}
    pages = max(1, -(-result["count"] // PAGE_SIZE))
    active = [
        {
            "label": FACET_LABELS[facet],
            "value": names.get(facet, {}).get(value, value),
            "url": _search_url({**params, facet: None}),
        }
        for facet, value in filters.items()
        if value
    ]
    suggestion = result["suggestion"]
    return _page(
        request,
        "search.html",
        {
            "q": q,
            "result": result,
            "page": page,
            "pages": pages,
            "pager": _pager(page, pages, params) if pages > 1 else [],
            "prev_url": _search_url({**params, "page": page - 1}) if page > 1 else None,
            "next_url": _search_url({**params, "page": page + 1}) if page < pages else None,
            "facets": _facet_groups(result, filters, q, names),
            "active": active,
            "suggestion_url": _search_url({**params, "q": suggestion}) if suggestion else None,
            "first": offset + 1,
        },
        "/api/v1/search?"
        + urlencode({**{k: v for k, v in params.items() if v}, "offset": offset, "limit": PAGE_SIZE}),
    )


def _usage(entry: MethodEntry, form: dict[str, Any]) -> str:
    """Python that builds and runs `entry`, as the README shows it."""
    scalar = next((p for p in form["params"] if p["control"] in ("number", "checkbox")), None)
    hint = f"  # hyperparameters as keywords, e.g. {scalar['name']}={scalar['value']!r}" if scalar else ""
    head = f'from methods import registry\n\nentry = registry.get("{entry.id}")\n'
    if entry.kind == "optimizer":
        shape = ", ".join(str(d) for d in entry.input_shapes()[entry.inputs[0].name])
        return (
            "import torch\n"
            + head
            + f"weight = torch.nn.Parameter(torch.randn({shape}))\n"
            + f"optimizer = entry.build([weight]){hint}\n"
        )
    name = {"loss": "loss_fn", "function": "fn"}.get(entry.kind, "model")
    return head + f"{name} = entry.build(){hint}\nout = {name}(**entry.example_inputs())\n"


def _curl(base_url: str, demo_url: str, form: dict[str, Any]) -> str:
    body = json.dumps(
        {"inputs": {i["name"]: [int(d) for d in i["value"].split(", ")] for i in form["inputs"]}}
    )
    return (
        f"curl -X POST {base_url.rstrip('/')}{demo_url} \\\n"
        f"  -H 'content-type: application/json' \\\n  -d '{body}'\n"
    )


def _implementation(m: dict[str, Any], base_url: str) -> dict[str, Any] | None:
    """What the method page shows of a runnable implementation: source, usage and the demo form."""
    if not m["implementation"]:
        return None
    entry = registry.get(m["implementation"]["id"])
    source = entry.source()
    form = demo_form(entry)
    return {
        "id": entry.id,
        "summary": entry.summary,
        "source_html": highlight(source, PythonLexer(), _CODE),
        "source_lines": len(source.splitlines()),
        "usage": _usage(entry, form),
        "curl": _curl(base_url, m["implementation"]["demo_url"], form),
        "form": form,
    }


@router.get("/methods/{slug}", response_class=HTMLResponse)
def method_page(request: Request, slug: str, session: SessionDep, catalog: CatalogDep) -> Response:
    method, moved_to = queries.find_method(session, slug)
    if moved_to:
        return RedirectResponse(f"/methods/{moved_to}", status_code=301)
    if method is None:
        raise APIError(404, f"No method called {slug[:200]!r}.")
    m = method_view(session, method, catalog)
    return _page(
        request,
        "method.html",
        {"m": m, "impl": _implementation(m, str(request.base_url))},
        f"/api/v1/methods/{method.slug}",
    )


@router.get("/collections", response_class=HTMLResponse)
def collections_page(request: Request, session: SessionDep) -> Response:
    areas = _by_area(queries.list_collections(session))
    return _page(request, "collections.html", {"areas": areas}, "/api/v1/collections")


def _listing(session: Session, cursor: str | None, **filters: str) -> dict[str, Any]:
    """A page of up to 100 methods; a cursor that is not one of ours is a 422."""
    try:
        return queries.list_methods(session, limit=100, cursor=cursor, **filters)
    except queries.BadCursor as error:
        raise APIError(422, str(error)) from None


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
    page = _listing(session, cursor, collection=slug)
    return _page(
        request,
        "collection.html",
        {"collection": collection, "area": area, "page": page},
        f"/api/v1/methods?collection={slug}",
    )


@router.get("/areas/{slug}", response_class=HTMLResponse)
def area_page(
    request: Request,
    slug: str,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> Response:
    area = session.exec(select(Area).where(Area.slug == slug)).first()
    if area is None:
        raise APIError(404, f"No area called {slug[:200]!r}.")
    collections = [c for c in queries.list_collections(session) if c["area_slug"] == slug]
    page = _listing(session, cursor, area=slug)
    return _page(
        request,
        "area.html",
        {"area": area, "collections": collections, "page": page},
        f"/api/v1/methods?area={slug}",
    )


@router.get("/quality", response_class=HTMLResponse)
def quality_page(request: Request, session: SessionDep) -> Response:
    """Every flagged entry, grouped by flag (an entry with two flags shows under both)."""
    rows = queries.summaries(session, _flagged(session))
    groups = [
        {"flag": flag, "note": note, "methods": [r for r in rows if flag in r["flags"]]}
        for flag, note in FLAG_HELP.items()
    ]
    return _page(
        request, "quality.html", {"groups": groups, "total": len(rows)}, "/api/v1/methods?flag=math_stripped"
    )
