"""Hostile requests answer a clear 4xx in the one error shape: never a 500, a traceback or a hang."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.main import create_app
from catalog.db import session_scope
from catalog.models import Method, Paper
from catalog.settings import SEED_DOCUMENT
from tests.conftest import make_catalog

JS = "javascript:alert(document.domain)"


def assert_error_shape(response, status):
    assert response.status_code == status, (
        f"{response.request.url}: {response.status_code} {response.text[:200]}"
    )
    body = response.json()
    assert set(body) == {"ok", "status", "error", "errors"}, f"error keys: {sorted(body)}"
    assert body["ok"] is False and body["status"] == status and body["error"], f"error body: {body}"
    assert "\n" not in body["error"] and "Traceback" not in response.text, f"not one line: {body['error']!r}"


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """A catalog whose stored links are `javascript:` and `data:` URLs.

    Ingest drops such URLs now; a catalog stored before it did still holds
    them, so they are written into the database directly.
    """
    folder = tmp_path_factory.mktemp("hostile-links")
    document = folder / "links.json"
    record = {
        "url": "https://paperswithcode.com/method/trap",
        "name": "Trap Unit",
        "full_name": "Trap Unit",
        "description": "Trap Unit is a layer that links [somewhere](javascript:alert(1)).",
        "paper": {"title": "Trap paper", "url": JS},
        "source_url": " JavaScript:alert(2)",
        "code_snippet_url": "data:text/html,<script>alert(3)</script>",
        "collections": [],
    }
    document.write_text(json.dumps([record]), encoding="utf-8")
    catalog = make_catalog(folder / "data", SEED_DOCUMENT, document)
    with session_scope(catalog.engine) as session:
        method = session.exec(select(Method).where(Method.slug == "trap-unit")).one()
        paper = Paper(title="Trap paper", url=JS)
        session.add(paper)
        session.flush()
        method.paper_id = paper.id
        method.source_url = " JavaScript:alert(2)"
        method.code_url = "data:text/html,<script>alert(3)</script>"
        session.add(method)
    with TestClient(create_app(catalog.settings)) as test_client:
        yield test_client


def test_only_http_links_are_rendered_as_links(hostile_client):
    html = hostile_client.get("/methods/trap-unit").text
    assert "Trap paper" in html and "JavaScript:alert(2)" in html, "the values still show, as text"
    for href in ('href="javascript', 'href=" JavaScript', 'href="data:', 'href=" javascript'):
        assert href not in html.replace("&#34;", '"'), f"a hostile URL became a link: {href}"
    assert "<script>alert(3)" not in html, "a data: URL is escaped text"
    api = hostile_client.get("/api/v1/methods/trap-unit").json()
    assert api["paper"]["url"] == JS, "the JSON keeps the document's value as data"
    good = hostile_client.get("/methods/bottleneck-attention-module").text
    assert 'href="https://' in good, "http(s) links are still links"


@pytest.mark.parametrize(
    "url", ["/", "/methods/retrace", "/api/v1/methods/retrace", "/docs", "/static/style.css", "/nothing"]
)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, f"{url}: CSP {csp!r}"
    assert "frame-ancestors 'none'" in csp, f"{url}: the CSP must forbid framing"
    assert response.headers.get("x-content-type-options") == "nosniff", url
    assert response.headers.get("referrer-policy") == "same-origin", url
    assert response.headers.get("x-frame-options") == "DENY", url


@pytest.mark.parametrize("url", ["/", "/methods/retrace", "/search?q=lion", "/docs", "/quality"])
def test_pages_have_no_inline_script(client, url):
    html = client.get(url).text
    assert "<script>" not in html and " on" + "load=" not in html, f"{url} has an inline script"


def test_docs_start_swagger_from_a_file(client):
    html = client.get("/docs").text
    for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/swagger-init.js"):
        assert asset in html, f"/docs does not load {asset}"
        assert client.get(asset).status_code == 200, f"{asset} is not served"
    assert client.get("/openapi.json").status_code == 200, "the schema Swagger UI reads"


@pytest.mark.parametrize("value", [str(2**63), str(2**64), "9" * 40])
def test_huge_max_params_is_a_422(client, value):
    assert_error_shape(client.get("/api/v1/search", params={"q": "x", "max_params": value}), 422)


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/methods/%00", 404),
        ("/api/v1/methods/a%00b", 404),
        ("/api/v1/collections/%00", 404),
        ("/api/v1/areas/%00", 404),
        ("/api/v1/search?q=a%00b", 422),
        ("/api/v1/search?collection=%00", 422),
        ("/api/v1/suggest?q=%00", 422),
        ("/api/v1/methods?cursor=YWZ0ZXI6AA", 422),
        ("/api/v1/methods?collection=x%00", 422),
    ],
)
def test_nul_bytes_are_refused_before_any_query(client, url, status):
    assert_error_shape(client.get(url), status)


@pytest.mark.parametrize("url", ["/methods/a%00b", "/collections/%00", "/areas/%00", "/search?q=%00"])
def test_nul_bytes_on_pages_get_an_error_page(client, url):
    response = client.get(url)
    assert response.status_code in (404, 422) and "text/html" in response.headers["content-type"], url


def test_nul_in_the_demo_route_is_a_404(client):
    assert_error_shape(client.post("/api/v1/methods/%00/demo", json={}), 404)


def test_a_body_over_the_limit_is_a_413(client):
    big = b"{" + b" " * (64 * 1024) + b"}"
    assert_error_shape(client.post("/api/v1/methods/sigmoid-linear-unit/demo", content=big), 413)


def test_a_chunked_body_over_the_limit_is_a_413(client):
    def chunks():
        for _ in range(80):
            yield b" " * 1024

    response = client.post("/api/v1/methods/sigmoid-linear-unit/demo", content=chunks())
    assert_error_shape(response, 413)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/healthz",
        "/search?q=lion",
        "/methods/retrace",
        "/collections",
        "/quality",
        "/docs",
        "/openapi.json",
        "/api/v1/methods",
        "/api/v1/methods/retrace",
        "/api/v1/search?q=lion",
        "/api/v1/suggest?q=gho",
        "/api/v1/collections",
        "/api/v1/home",
        "/api/v1/quality",
        "/api/v1/export",
        "/static/style.css",
    ],
)
def test_head_answers_like_get_without_a_body(client, url):
    get, head = client.get(url), client.head(url)
    assert head.status_code == get.status_code == 200, f"HEAD {url}: {head.status_code}"
    assert head.content == b"", f"HEAD {url} sent a body"
    assert head.headers["content-type"] == get.headers["content-type"], f"HEAD {url}: content type"


@pytest.mark.parametrize("body", [b'{"inputs": ', b"lL\x02\xd6\x85\xff", b"\xff\xfe\x00"])
def test_invalid_json_is_a_documented_422(client, body):
    response = client.post(
        "/api/v1/methods/sigmoid-linear-unit/demo", content=body, headers={"content-type": "application/json"}
    )
    assert_error_shape(response, 422)
    documented = client.get("/openapi.json").json()["paths"]["/api/v1/methods/{slug}/demo"]["post"]
    assert "422" in documented["responses"], "the demo's 422 is in the schema"


@pytest.mark.parametrize(
    "body",
    [{"inputs": 5}, {"params": 5}, {"device": 5}, {"inputs": {"x": "2,3"}}, {"collections": 5}, [1, 2], "x"],
)
def test_type_errors_in_bodies_answer_one_line(client, body):
    response = client.post("/api/v1/methods/sigmoid-linear-unit/demo", json=body)
    assert_error_shape(response, 422)


def test_a_very_long_url_is_a_414_in_the_error_shape(client):
    # httpx refuses one URL part over 64 KiB, so path and query share the length here
    url = "/api/v1/methods/" + "a" * 60_000
    assert_error_shape(client.get(url, params={"q": "x" * 10_000}), 414)


def test_responses_are_gzipped_for_clients_that_accept_it(client):
    for url in ("/", "/api/v1/export", "/api/v1/methods/retrace", "/static/style.css"):
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response.headers.get("content-encoding") == "gzip", f"{url} is not compressed"
    raw = client.get("/api/v1/export", headers={"accept-encoding": "gzip"}).content
    assert raw and json.loads(raw.splitlines()[0])["slug"], "httpx decompressed the export to JSON Lines"
    plain = client.get("/api/v1/collections", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers, "no gzip for a client that does not ask"


def test_the_live_demo_is_not_compressed(client):
    response = client.post(
        "/api/v1/methods/sigmoid-linear-unit/demo", json={}, headers={"accept-encoding": "gzip"}
    )
    assert response.status_code == 200, f"demo: {response.status_code} {response.text[:200]}"
    assert "content-encoding" not in response.headers, "the demo's answer must not wait on a compressor"


def _routes(routes, prefix: str = ""):
    """Every route, with included routers (which keep their own routes) flattened."""
    for route in routes:
        router = getattr(route, "original_router", None)
        if router is not None:
            yield from _routes(router.routes, prefix + getattr(router, "prefix", ""))
        elif hasattr(route, "path"):
            yield route if not prefix or route.path.startswith(prefix) else _Prefixed(route, prefix)


class _Prefixed:
    def __init__(self, route, prefix: str) -> None:
        self.path, self.methods = prefix + route.path, getattr(route, "methods", None)


def test_head_works_on_every_get_route(client):
    collection = client.get("/api/v1/collections").json()["data"][0]
    values = {"/methods/": "retrace", "/collections/": collection["slug"], "/areas/": collection["area_slug"]}
    checked = []
    for route in _routes(client.app.routes):
        if "GET" not in (getattr(route, "methods", None) or ()):
            continue
        path = route.path
        for prefix, value in values.items():
            if prefix + "{slug}" in path:
                path = path.replace("{slug}", value)
        assert "{" not in path, f"no value to try for {route.path}"
        head = client.head(path)
        # the seed has no papers, so a method's citation answers its 404, and HEAD the same
        expected = 404 if path.endswith("/citation.bib") else 200
        assert head.status_code == expected and head.content == b"", f"HEAD {path}: {head.status_code}"
        checked.append(path)
    assert len(checked) >= 17, f"only {len(checked)} GET routes: {checked}"
