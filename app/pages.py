"""HTML pages. Each renders its view's data and links the JSON twin that answers the same data."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from app import views
from app.demo_form import demo_form
from app.deps import ReaderDep
from app.params import SearchParams
from catalog import queries
from methods.registry import registry
from methods.spec import Kind, MethodEntry

router = APIRouter(include_in_schema=False)

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
Cursor = Annotated[str | None, Query(max_length=400, pattern=queries.CURSOR_PATTERN)]


def _page(request: Request, template: str, context: dict[str, Any], json_url: str) -> Response:
    response = request.app.state.templates.TemplateResponse(
        request, template, {**context, "json_url": json_url}
    )
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def _with_cursor(url: str, cursor: str | None) -> str:
    return f"{url}?{urlencode({'cursor': cursor})}" if cursor else url


@router.get("/", response_class=HTMLResponse)
def home(request: Request, reader: ReaderDep) -> Response:
    return _page(request, "home.html", views.home_view(reader), "/api/v1/home")


def _search_url(query: dict[str, str]) -> str:
    return "/search?" + urlencode(query)


def _facet_groups(result: dict, params: SearchParams, names: dict) -> list[dict]:
    """Each facet's values with counts, labels and the URL that toggles it (back to the first page)."""
    groups = []
    filters = params.filters()
    for facet, counts in result["facets"].items():
        values = []
        for value, count in counts.items():
            active = filters.get(facet) == value
            change = {facet: None if active else value, "offset": 0}
            values.append(
                {
                    "label": names.get(facet, {}).get(value, value),
                    "count": count,
                    "active": active,
                    "url": _search_url(params.query_string(**change)),
                }
            )
        if values:
            groups.append({"facet": facet, "label": FACET_LABELS.get(facet, facet), "values": values})
    return groups


def _pager(page: int, pages: int, params: SearchParams) -> list[dict]:
    """Page links: the first, the last and two either side of the current one; None marks a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[dict] = []
    for number in shown:
        if links and number - links[-1]["number"] > 1:
            links.append({"number": number - 1, "gap": True})
        url = _search_url(params.query_string(offset=(number - 1) * params.limit))
        links.append({"number": number, "url": url, "gap": False})
    return links


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, reader: ReaderDep, params: Annotated[SearchParams, Query()]) -> Response:
    result = views.search_view(reader.catalog, params)
    names: dict[str, dict[str, str]] = {
        **views.collection_names(reader),
        "kind": {kind: kind.capitalize() for kind in get_args(Kind)},
        "has_implementation": IMPLEMENTED,
        "implementation_status": STATUSES,
    }
    page = params.offset // params.limit + 1
    pages = max(page, -(-result["count"] // params.limit))
    active = [
        {
            "label": FACET_LABELS[facet],
            "value": names.get(facet, {}).get(value, value),
            "url": _search_url(params.query_string(**{facet: None, "offset": 0})),
        }
        for facet, value in params.filters().items()
    ]
    suggestion = result["suggestion"]
    previous = max(0, params.offset - params.limit)
    return _page(
        request,
        "search.html",
        {
            "q": params.q,
            "result": result,
            "page": page,
            "pages": pages,
            "pager": _pager(page, pages, params) if pages > 1 else [],
            "prev_url": _search_url(params.query_string(offset=previous)) if params.offset else None,
            "next_url": (
                _search_url(params.query_string(offset=params.offset + params.limit))
                if params.offset + params.limit < result["count"]
                else None
            ),
            "facets": _facet_groups(result, params, names),
            "active": active,
            "suggestion_url": (
                _search_url(params.query_string(q=suggestion, offset=0)) if suggestion else None
            ),
            "first": params.offset + 1,
        },
        "/api/v1/search?" + urlencode(params.query_string()),
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


@lru_cache(maxsize=256)
def _source_html(entry_id: str) -> tuple[str, int]:
    """An implementation's highlighted source and its line count: code cannot change while serving."""
    source = registry.get(entry_id).source()
    return highlight(source, PythonLexer(), _CODE), len(source.splitlines())


def _implementation(m: dict[str, Any], base_url: str) -> dict[str, Any] | None:
    """What the method page shows of a runnable implementation: source, usage and the demo form."""
    if not m["implementation"]:
        return None
    entry = registry.get(m["implementation"]["id"])
    form = demo_form(entry)
    source_html, source_lines = _source_html(entry.id)
    return {
        "id": entry.id,
        "summary": entry.summary,
        "source_html": source_html,
        "source_lines": source_lines,
        "usage": _usage(entry, form),
        "curl": _curl(base_url, m["implementation"]["demo_url"], form),
        "form": form,
    }


@router.get("/methods/{slug}", response_class=HTMLResponse)
def method_page(request: Request, slug: str, reader: ReaderDep) -> Response:
    try:
        m = views.method_view(reader, slug)
    except views.Moved as moved:
        return RedirectResponse(f"/methods/{moved.slug}", status_code=301)
    return _page(
        request,
        "method.html",
        {"m": m, "impl": _implementation(m, str(request.base_url))},
        f"/api/v1/methods/{m['slug']}",
    )


@router.get("/collections", response_class=HTMLResponse)
def collections_page(request: Request, reader: ReaderDep) -> Response:
    data = views.collections_view(reader)
    return _page(
        request, "collections.html", {**data, "areas": views.by_area(data["data"])}, "/api/v1/collections"
    )


@router.get("/collections/{slug}", response_class=HTMLResponse)
def collection_page(request: Request, slug: str, reader: ReaderDep, cursor: Cursor = None) -> Response:
    data = views.collection_view(reader, slug, cursor)
    json_url = _with_cursor(f"/api/v1/collections/{data['collection']['slug']}", cursor)
    return _page(request, "collection.html", data, json_url)


@router.get("/areas/{slug}", response_class=HTMLResponse)
def area_page(request: Request, slug: str, reader: ReaderDep, cursor: Cursor = None) -> Response:
    data = views.area_view(reader, slug, cursor)
    return _page(request, "area.html", data, _with_cursor(f"/api/v1/areas/{data['area']['slug']}", cursor))


@router.get("/quality", response_class=HTMLResponse)
def quality_page(request: Request, reader: ReaderDep) -> Response:
    return _page(request, "quality.html", views.quality_view(reader), "/api/v1/quality")
