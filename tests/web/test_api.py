"""The JSON API contract, and one error shape everywhere."""

import json

import pytest


def assert_error_shape(response, status):
    body = response.json()
    assert response.status_code == status, f"{response.request.url}: {response.status_code} {body}"
    assert set(body) == {"ok", "status", "error", "errors"}, f"error keys: {sorted(body)}"
    assert body["ok"] is False and body["status"] == status and body["error"], f"error body: {body}"


def test_methods_list_pages_with_a_stable_cursor(client):
    first = client.get("/api/v1/methods", params={"limit": 20})
    body = first.json()
    assert body["count"] == 46 and len(body["data"]) == 20 and body["next"], f"first page: {body['count']}"
    assert 'rel="next"' in first.headers["link"], "a Link header points to the next page"
    seen = [m["slug"] for m in body["data"]]
    while body["next"]:
        body = client.get("/api/v1/methods", params={"limit": 20, "cursor": body["next"]}).json()
        seen += [m["slug"] for m in body["data"]]
    assert len(seen) == len(set(seen)) == 46, "pages overlap or skip methods"
    assert seen == sorted(seen), "pages are in slug order"


def test_method_detail_has_the_documented_fields(client):
    body = client.get("/api/v1/methods/bottleneck-attention-module").json()
    for key in (
        "slug",
        "name",
        "full_name",
        "aliases",
        "description",
        "description_html",
        "flags",
        "collections",
        "areas",
        "paper",
        "year",
        "sources",
        "links",
        "implementation",
    ):
        assert key in body, f"detail lacks {key}"
    assert body["aliases"] == ["BAM"], f"aliases {body['aliases']}"
    assert body["sources"][0]["document"] == "methods-seed.txt" and body["sources"][0]["line"] == 15
    assert 'class="math math-display"' in body["description_html"], "LaTeX blocks are kept for rendering"
    assert set(body["links"]) == {"outgoing", "incoming"}


def test_implementation_field_links_the_registry(client):
    body = client.get("/api/v1/methods/sigmoid-linear-unit").json()
    assert body["implementation"]["id"] == "silu", f"implementation {body['implementation']}"
    assert body["implementation"]["source_path"] == "methods/impl/silu.py"
    assert body["implementation"]["demo_url"] == "/api/v1/methods/sigmoid-linear-unit/demo"


def test_search_returns_ranked_hits_with_snippets_and_facets(client):
    body = client.get("/api/v1/search", params={"q": "R-CNN"}).json()
    assert set(body) == {"query", "count", "suggestion", "data", "facets"}, f"search keys {sorted(body)}"
    assert body["data"][0]["slug"] == "r-cnn", (
        f"R-CNN should rank first, got {[h['slug'] for h in body['data']]}"
    )
    assert "<mark" in body["data"][0]["snippet"], "snippets highlight matches"
    assert set(body["facets"]) == {
        "collection",
        "area",
        "kind",
        "has_implementation",
        "implementation_status",
    }


@pytest.mark.parametrize(
    "q",
    [
        "R-CNN (fast",
        '"unclosed',
        "a:b",
        "*",
        "x" * 2000,
        "AND OR NOT",
        "((((",
        "collection:",
        "\\",
        "'",
        "%00",
        "",
    ],
)
def test_any_query_string_answers_200(client, q):
    response = client.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200, f"{q[:30]!r}: {response.status_code} {response.text[:200]}"
    assert isinstance(response.json()["data"], list)


def test_collections_and_export(client):
    collections = client.get("/api/v1/collections").json()["data"]
    assert collections and all(c["count"] > 0 and c["area"] for c in collections), (
        "inferred collections listed"
    )
    response = client.get("/api/v1/export")
    assert response.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert len(rows) == 46 and {"slug", "description", "sources"} <= set(rows[0]), (
        "one JSON object per method"
    )


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/methods/no-such-method", 404),
        ("/api/v1/methods?limit=0", 422),
        ("/api/v1/methods?limit=abc", 422),
        ("/api/v1/methods?cursor=%%%", 422),
        ("/api/v1/methods?collection=BAD%20SLUG", 422),
        ("/api/v1/search?limit=1000", 422),
        ("/api/v1/search?offset=-1", 422),
        ("/api/v1/nothing-here", 404),
    ],
)
def test_every_error_has_one_shape(client, url, status):
    assert_error_shape(client.get(url), status)


def test_wrong_method_answers_405_in_the_error_shape(client):
    assert_error_shape(client.delete("/api/v1/methods"), 405)


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/methods",
        "/api/v1/methods/{slug}",
        "/api/v1/search",
        "/api/v1/collections",
        "/api/v1/export",
    ):
        assert path in paths, f"OpenAPI lacks {path}"
    assert client.get("/healthz").json() == {"ok": True, "methods": 46, "index": True}


def test_methods_filter_by_quality_flag(client):
    body = client.get("/api/v1/methods", params={"flag": "missing_description", "limit": 100}).json()
    slugs = {m["slug"] for m in body["data"]}
    assert slugs == {"lipschitz-constant-constraint", "extreme-value-machine", "kollen-pollack-learning"}, (
        slugs
    )
    assert all("missing_description" in m["flags"] for m in body["data"])
    assert client.get("/api/v1/methods", params={"flag": "bogus"}).status_code == 422


def test_text_only_methods_get_inferred_collections(client):
    body = client.get("/api/v1/methods/evolved-sign-momentum").json()
    assert body["collections"] and all(c["inferred"] for c in body["collections"]), body["collections"]
    assert body["areas"], "an inferred collection brings its area"
