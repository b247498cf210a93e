"""Search, completion and the search page over HTTP with the PostgreSQL backend.

The same API tests as Whoosh's (`test_search_api.py`, imported so that they
run again here against a `client` on PostgreSQL), plus the search page, on a
catalog of the seed and a document with hostile content, in a database of its
own (skipped when no server answers, failing in CI).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from catalog.settings import SEED_DOCUMENT
from tests.postgres_databases import database, postgres_catalog
from tests.web.test_search_api import (  # noqa: F401  (run again here, on PostgreSQL)
    test_facet_filters_combine,
    test_filters_on_kind_and_parameter_count,
    test_misspellings_acronyms_and_prefixes_find_the_method,
    test_phrases_and_inline_field_filters,
    test_snippets_escape_what_descriptions_say,
    test_suggest_completes_names_by_prefix,
)

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("pg-search-web")
    hostile = folder / "hostile.txt"
    hostile.write_text(
        "Hostile\nScript Layer is a layer <script>alert(1)</script> with <img src=x onerror=alert(2)>.\n",
        encoding="utf-8",
    )
    with database() as url:
        catalog = postgres_catalog(folder / "data", url, SEED_DOCUMENT, hostile)
        catalog.close()
        with TestClient(create_app(catalog.settings)) as test_client:
            yield test_client


def test_the_server_searches_with_the_postgres_backend(client):
    health = client.get("/readyz")
    assert health.status_code == 200, f"not ready on PostgreSQL: {health.status_code} {health.text[:300]}"
    assert not (client.app.state.catalog.settings.index_dir).exists(), "a local index was written"


def test_search_page_lists_hits_facets_and_corrections(client):
    html = client.get("/search", params={"q": "lion"}).text
    assert 'href="/methods/evolved-sign-momentum"' in html, "the alias finds its method on the page"
    corrected = client.get("/search", params={"q": "ghsot module"}).text
    assert "Did you mean" in corrected and "ghost module" in corrected, "the page offers the correction"
    faceted = client.get("/search", params={"q": "attention"})
    assert faceted.status_code == 200 and "computer-vision" in faceted.text, "facets are listed"
    assert "<mark>" in faceted.text, "snippets mark the query's words"
    page = client.get("/methods/ghost-module")
    assert page.status_code == 200, f"a method page (related methods come from search): {page.status_code}"


def test_search_api_pages_and_sorts(client):
    first = client.get("/api/v1/search", params={"q": "attention", "limit": 2}).json()
    second = client.get("/api/v1/search", params={"q": "attention", "limit": 2, "offset": 2}).json()
    both = client.get("/api/v1/search", params={"q": "attention", "limit": 4}).json()
    pages = [h["slug"] for h in first["data"] + second["data"]]
    assert pages == [h["slug"] for h in both["data"]], f"offsets disagree: {pages} vs {both['data']}"
    assert first["count"] == both["count"] > 4, f"count: {first['count']}"
    by_name = client.get("/api/v1/search", params={"q": "attention", "sort": "name", "limit": 50}).json()
    names = [h["name"].lower() for h in by_name["data"]]
    assert names == sorted(names) and len(names) == by_name["count"], f"sort=name: {names}"


def test_hostile_queries_get_answers_not_errors(client):
    for q in ("'", "a:* & !b", '"', "NOT", "((", "x" * 600, "ünï 注意"):
        response = client.get("/api/v1/search", params={"q": q})
        assert response.status_code == 200, f"{q[:20]!r}: {response.status_code} {response.text[:200]}"
        completion = client.get("/api/v1/suggest", params={"q": q[:100]})
        assert completion.status_code == 200, f"suggest {q[:20]!r}: {completion.status_code}"
