"""HTML pages. Each renders its view's data and links the JSON twin that answers the same data."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from starlette.concurrency import run_in_threadpool

from app import views
from app.demo import RunId
from app.demo_form import demo_form
from app.demo_query import both_fields, demo_request, field_values
from app.demo_report import demo_report
from app.demo_run import execute, validated
from app.deps import ReaderDep
from app.errors import APIError
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
FACET_TOP = 8
"""Values a facet shows before its "more" disclosure; the selected value is always shown."""
SORT_LABELS = {"relevance": "Relevance", "name": "Name", "year": "Year (newest)", "papers": "Papers (most)"}
# static/pygments.css holds this formatter's style, generated once (see its first line).
_CODE = HtmlFormatter(cssclass="highlight")
Cursor = Annotated[str | None, Query(max_length=400, pattern=queries.CURSOR_PATTERN)]
ListingSort = Annotated[Literal["name", "year", "papers"], Query()]


def _page(
    request: Request, template: str, context: dict[str, Any], json_url: str, status: int = 200
) -> Response:
    response = request.app.state.templates.TemplateResponse(
        request, template, {**context, "json_url": json_url}, status_code=status
    )
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def _with_query(url: str, cursor: str | None, sort: str = "name") -> str:
    query = {k: v for k, v in (("sort", sort if sort != "name" else None), ("cursor", cursor)) if v}
    return f"{url}?{urlencode(query)}" if query else url


def _sort_links(current: str) -> list[dict[str, Any]]:
    """A listing's orders as links (they work without JavaScript), the current one marked."""
    return [
        {"label": SORT_LABELS[sort], "url": _with_query("", None, sort) or "?", "current": sort == current}
        for sort in queries.LISTING_SORTS
    ]


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
        top = values[:FACET_TOP] + [v for v in values[FACET_TOP:] if v["active"]]
        more = [v for v in values[FACET_TOP:] if not v["active"]]
        if values:
            groups.append(
                {"facet": facet, "label": FACET_LABELS.get(facet, facet), "values": top, "more": more}
            )
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
    sort = params.sort or ("relevance" if params.q.strip() else "name")
    sorts = [s for s in SORT_LABELS if s != "relevance" or params.q.strip()]
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
            "sort": sort,
            "sorts": [{"value": s, "label": SORT_LABELS[s], "current": s == sort} for s in sorts],
            "kept": {k: v for k, v in params.query_string().items() if k not in ("q", "sort", "offset")},
        },
        "/api/v1/search?" + urlencode(params.query_string()),
    )


def _usage(entry: MethodEntry, form: dict[str, Any]) -> str:
    """Python that builds and runs `entry`, as the README shows it."""
    scalar = next((p for p in form["params"] if p["control"] in ("number", "checkbox")), None)
    hint = f"  # hyperparameters as keywords, e.g. {scalar['name']}={scalar['default']!r}" if scalar else ""
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
        {"inputs": {i["name"]: [int(d) for d in i["default"].split(", ")] for i in form["inputs"]}}
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


def _implementation(m: dict[str, Any], base_url: str, demo: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the method page shows of a runnable implementation: source, usage, the demo form and result."""
    if not m["implementation"]:
        return None
    entry = registry.get(m["implementation"]["id"])
    errors = {e.field: e.message for e in reversed(demo["errors"]) if e.field} if demo else {}
    form = demo_form(entry, demo["values"] if demo else None, errors)
    source_html, source_lines = _source_html(entry.id)
    return {
        "id": entry.id,
        "summary": entry.summary,
        "source_html": source_html,
        "source_lines": source_lines,
        "usage": _usage(entry, form),
        "curl": _curl(base_url, m["implementation"]["demo_url"], form),
        "form": form,
        "demo": demo,
        "page_url": f"/methods/{m['slug']}",
    }


async def _page_demo(request: Request, entry: MethodEntry, values: dict[str, str], run: str | None) -> dict:
    """One demo asked for by a form or a link: its values, and its report or what went wrong."""
    form = demo_form(entry, values)
    body, errors = demo_request(form, values)
    outcome: dict[str, Any] = {"values": values, "status": 200, "error": None, "report": None, "headers": {}}
    if errors:
        outcome.update(status=422, error="The demo did not run: check the fields below.")
    else:
        try:
            demo = await run_in_threadpool(validated, entry, body)
            outcome["report"] = demo_report(await execute(request, entry, demo, run))
        except APIError as error:
            outcome.update(status=error.status, error=error.error, headers=error.headers)
            errors = list(error.errors)
    outcome["errors"] = both_fields(form, errors)
    controls = {c["field"] for c in form["inputs"] + form["params"]} | {"device"}
    outcome["summary"] = [
        {**e.model_dump(), "target": e.field if e.field in controls else None} for e in outcome["errors"]
    ]
    return outcome


async def _method_response(
    request: Request, reader: ReaderDep, slug: str, values: dict[str, str] | None, run: str | None = None
) -> Response:
    try:
        m = await run_in_threadpool(views.method_view, reader, slug)
    except views.Moved as moved:
        return RedirectResponse(f"/methods/{moved.slug}", status_code=301)
    except views.Ambiguous as ambiguous:
        data = ambiguous.data("/methods")
        return _page(request, "ambiguous.html", data, f"/api/v1/methods/{slug}", status=300)
    demo = None
    if values is not None and not m["implementation"]:
        if request.method == "POST":
            raise APIError(404, f"{m['name']} has no implementation to run")
        values = None  # a link asking for a demo of a method without one shows the method
    if values is not None:
        demo = await _page_demo(request, registry.get(m["implementation"]["id"]), values, run)
    impl = _implementation(m, str(request.base_url), demo)
    status = demo["status"] if demo else 200
    if request.query_params.get("fragment") and impl and demo:
        response = request.app.state.templates.TemplateResponse(
            request, "_demo_result.html", {"impl": impl}, status_code=status
        )
    else:
        json_url = f"/api/v1/methods/{m['slug']}"
        response = _page(request, "method.html", {"m": m, "impl": impl}, json_url, status)
    if demo:
        response.headers.update(demo["headers"])
        # a demo link runs code on every visit: crawlers should neither index nor follow it
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@router.get("/methods/{slug}", response_class=HTMLResponse)
async def method_page(request: Request, slug: str, reader: ReaderDep) -> Response:
    """The method; with `?demo=1` and the demo's fields in the query string, its demo run and reported."""
    query = request.query_params
    values = field_values(query.multi_items()) if query.get("demo") else None
    return await _method_response(request, reader, slug, values)


@router.post("/methods/{slug}/demo", response_class=HTMLResponse)
async def method_demo(request: Request, slug: str, reader: ReaderDep, run: RunId = None) -> Response:
    """The demo form posted: the method page with the demo's report, or its errors next to their fields.

    With `?fragment=1` only the report (or the errors) is sent, for the page's script to put in place.
    """
    form = await request.form()
    values = field_values((k, v) for k, v in form.multi_items() if isinstance(v, str))
    return await _method_response(request, reader, slug, values, run)


@router.get("/collections", response_class=HTMLResponse)
def collections_page(request: Request, reader: ReaderDep) -> Response:
    data = views.collections_view(reader)
    return _page(
        request, "collections.html", {**data, "areas": views.by_area(data["data"])}, "/api/v1/collections"
    )


@router.get("/collections/{slug}", response_class=HTMLResponse)
def collection_page(
    request: Request, slug: str, reader: ReaderDep, cursor: Cursor = None, sort: ListingSort = "name"
) -> Response:
    data = views.collection_view(reader, slug, cursor, sort)
    json_url = _with_query(f"/api/v1/collections/{data['collection']['slug']}", cursor, sort)
    return _page(request, "collection.html", {**data, "sorts": _sort_links(sort)}, json_url)


@router.get("/areas/{slug}", response_class=HTMLResponse)
def area_page(
    request: Request, slug: str, reader: ReaderDep, cursor: Cursor = None, sort: ListingSort = "name"
) -> Response:
    data = views.area_view(reader, slug, cursor, sort)
    json_url = _with_query(f"/api/v1/areas/{data['area']['slug']}", cursor, sort)
    return _page(request, "area.html", {**data, "sorts": _sort_links(sort)}, json_url)


@router.get("/quality", response_class=HTMLResponse)
def quality_page(request: Request, reader: ReaderDep) -> Response:
    return _page(request, "quality.html", views.quality_view(reader), "/api/v1/quality")
