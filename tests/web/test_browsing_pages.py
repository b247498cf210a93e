"""Browsing the catalog: filters without a query, bounded facets, sorting, method rows, citations,
aliases that redirect, and the export's "(deleted method)" placeholder kept out of sight."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.pages import FACET_TOP
from catalog.settings import SEED_DOCUMENT
from tests.conftest import make_catalog

WIDGETS = 12


def _record(name: str, description: str, collection: str, **extra: object) -> dict:
    return {
        "url": "https://paperswithcode.com/method/" + re.sub(r"\W+", "-", name.lower()).strip("-"),
        "name": name,
        "full_name": extra.pop("full_name", name),
        "description": description,
        "collections": [{"collection": collection, "area_id": "general", "area": "General"}],
        **extra,
    }


def _export() -> list[dict]:
    records = [
        _record(
            f"Widget Layer {n}",
            f"**Widget Layer {n}** is a layer that folds [feature maps](https://example.org/{n}) "
            f"$$ y = f(x)_{n} $$ into widgets.",
            f"Widget Family {n}",
            introduced_year=2000 + n,
            num_papers=100 - n,
        )
        for n in range(1, WIDGETS + 1)
    ]
    records += [
        _record(
            "Percent Net",
            "Percent Net is a layer that folds widgets by percent.",
            "Widget Family 1",
            paper={"title": "50% Faster {Nets} & More_Things", "url": "https://paperswithcode.com/paper/pct"},
            source_url="https://arxiv.org/abs/1412.6980v9",
            introduced_year=2014,
        ),
        _record(
            "Twin Alpha", "Twin Alpha is a layer of widgets.", "Widget Family 2", full_name="Shared Twin"
        ),
        _record(
            "Twin Beta", "Twin Beta is a layer of other widgets.", "Widget Family 2", full_name="Shared Twin"
        ),
        _record(
            "(deleted method)",
            "Please enter a description about the method here",
            "Widget Family 1",
            paper={"title": "A Deleted Paper", "url": "https://paperswithcode.com/paper/deleted"},
        ),
    ]
    return records


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("browsing")
    export = folder / "widgets.json"
    export.write_text(json.dumps(_export()), encoding="utf-8")
    catalog = make_catalog(folder / "data", SEED_DOCUMENT, export)
    with TestClient(create_app(catalog.settings)) as test_client:
        yield test_client


def _slugs(html: str, selector: str = 'class="hit-title"><a href="/methods/') -> list[str]:
    return re.findall(re.escape(selector) + r"([a-z0-9-]+)", html)


def test_a_filter_without_a_query_lists_every_runnable_method(client):
    stats = client.get("/api/v1/home").json()["stats"]
    listed = client.get("/api/v1/search", params={"has_implementation": "true", "limit": 100}).json()
    assert listed["count"] == stats["implementations"] > 0, (
        f"{listed['count']} listed, {stats['implementations']} runnable"
    )
    home = client.get("/").text
    assert re.search(r'<a href="/search\?has_implementation=true"><strong>[\d,]+</strong> runnable', home), (
        "the home page's runnable figure links to the list of runnable methods"
    )
    page = client.get("/search?has_implementation=true")
    assert page.status_code == 200 and len(_slugs(page.text)) == min(20, stats["implementations"]), (
        "the page lists them too"
    )


def test_facets_show_the_top_values_and_the_rest_behind_more(client):
    html = client.get("/search", params={"q": "widgets"}).text
    facets = html[html.index('class="facets"') :]
    collections = facets[: facets.index("<h2>", facets.index("<h2>") + 1)]
    top = collections[: collections.index("facet-more")]
    assert top.count("<li>") == FACET_TOP, f"{top.count('<li>')} collection values before 'more'"
    assert re.search(r"<summary>\d+ more collection values</summary>", collections), "a 'more' disclosure"
    rare = re.findall(r'href="(/search\?[^"]*collection=widget-family-12[^"]*)"', collections)
    assert rare, "the least common collection sits behind 'more'"
    chosen = client.get(rare[0].replace("&amp;", "&")).text
    chosen_facets = chosen[chosen.index('class="facets"') :]
    chosen_top = chosen_facets[: chosen_facets.index("</ul>")]
    assert 'aria-current="true" class="active"' in chosen_top and "Widget Family 12" in chosen_top, (
        "the selected value is shown among the top values"
    )


def test_results_come_before_filters_and_the_skip_link_comes_first(client):
    html = client.get("/search", params={"q": "widgets"}).text
    assert html.index('<ol class="results"') < html.index('class="filters"'), "results first in the source"
    first_link = re.search(r"<(a|button|input|select)\b[^>]*>", html[html.index("<body") :])
    assert first_link and 'href="#results"' in first_link.group(0), f"first focusable: {first_link}"
    assert 'id="results"' in html, "the skip link has a target"


def test_search_sorts_by_name_year_and_papers(client):
    def order(sort: str) -> list[str]:
        data = client.get("/api/v1/search", params={"q": "widget layer", "sort": sort, "limit": 100}).json()
        return [h["slug"] for h in data["data"] if h["slug"].startswith("widget-layer-")]

    assert order("year")[:3] == ["widget-layer-12", "widget-layer-11", "widget-layer-10"], order("year")
    assert order("papers")[:3] == ["widget-layer-1", "widget-layer-2", "widget-layer-3"], order("papers")
    assert order("name")[:3] == ["widget-layer-1", "widget-layer-10", "widget-layer-11"], order("name")
    html = client.get("/search", params={"q": "widget layer", "sort": "year"}).text
    assert '<option value="year" selected>' in html, "the sort control shows the current order"


@pytest.mark.parametrize("page", ["/collections/widget-family-1", "/areas/general"])
def test_collection_and_area_pages_sort_and_list_rows(client, page):
    api = "/api/v1" + page
    by_year = client.get(api, params={"sort": "year"}).json()
    years = [m["year"] for m in by_year["methods"]["data"] if m["year"]]
    assert by_year["sort"] == "year" and years == sorted(years, reverse=True), f"{api}: years {years}"
    by_papers = client.get(api, params={"sort": "papers"}).json()["methods"]["data"]
    papers = [m["num_papers"] or 0 for m in by_papers]
    assert papers == sorted(papers, reverse=True), f"{api}: papers {papers}"
    assert client.get(api, params={"sort": "size"}).status_code == 422, "an unknown sort is a 422"
    html = client.get(page, params={"sort": "papers"}).text
    assert '<a href="?sort=papers" aria-current="true">' in html, "the current order is marked"
    row = html[html.index('<ul class="method-rows">') :]
    first = row[: row.index("</li>")]
    assert "is a layer that folds" in first and "paper" in first and "badge" in first, first
    assert "**" not in row and "https://example" not in row and "$$" not in row, "rows show readable text"


def test_listing_pages_by_year_follow_on(client):
    first = client.get("/api/v1/areas/general", params={"sort": "year"}).json()["methods"]
    assert first["count"] > 0 and first["next"] is None, "one page holds this small area"
    bad = client.get("/api/v1/areas/general", params={"sort": "year", "cursor": "zz"})
    assert bad.status_code == 422 and bad.json()["ok"] is False, "a bad cursor is a 422 in the error shape"


def test_rows_carry_every_implementation_status(client):
    statuses = {m["implementation_status"] for m in client.get("/api/v1/methods?limit=500").json()["data"]}
    assert {"runnable", "missing"} <= statuses, f"statuses listed: {statuses}"
    html = client.get("/collections/widget-family-1").text
    assert "no implementation" in html, "a method without an implementation says so in its row"


def test_citation_in_the_api_the_page_and_a_bib_file(client):
    method = client.get("/api/v1/methods/percent-net").json()
    assert method["paper"]["url"] == "https://arxiv.org/abs/1412.6980", method["paper"]
    assert method["paper"]["source_url"] == "https://paperswithcode.com/paper/pct", method["paper"]
    bib = method["citation"]["bibtex"]
    assert bib.startswith("@misc{percentnet2014,") and "eprint = {1412.6980}" in bib, bib
    assert "title = {{50\\% Faster \\{Nets\\} \\& More\\_Things}}" in bib, f"title escaped: {bib}"
    response = client.get("/api/v1/methods/percent-net/citation.bib")
    assert response.status_code == 200 and response.text == bib, response.text
    assert response.headers["content-type"].startswith("text/x-bibtex"), response.headers["content-type"]
    html = client.get("/methods/percent-net").text
    assert '<pre id="bibtex" tabindex="0"><code>@misc{percentnet2014,' in html, "the page shows the entry"
    assert 'data-copy="bibtex"' in html, "with a copy button"
    assert 'href="https://arxiv.org/abs/1412.6980"' in html, "the paper links to arXiv"
    assert 'href="https://paperswithcode.com/paper/pct"' in html, "its source page stays as a second link"
    missing = client.get("/api/v1/methods/ghost-module/citation.bib")
    assert missing.status_code == 404 and missing.json()["ok"] is False, "no paper, no citation: a 404"
    assert client.get("/api/v1/methods/ghost-module").json()["citation"] is None


@pytest.mark.parametrize(
    "alias, slug",
    [
        ("silu", "sigmoid-linear-unit"),
        ("lion", "evolved-sign-momentum"),
        ("glide", "guided-language-to-image-diffusion-for-generation-and-editing"),
    ],
)
def test_an_alias_redirects_to_its_method(client, alias, slug):
    page = client.get(f"/methods/{alias}", follow_redirects=False)
    assert page.status_code == 301 and page.headers["location"] == f"/methods/{slug}", page.headers
    api = client.get(f"/api/v1/methods/{alias}", follow_redirects=False)
    assert api.status_code == 301 and api.headers["location"] == f"/api/v1/methods/{slug}", api.headers


def test_an_alias_of_two_methods_lists_both(client):
    api = client.get("/api/v1/methods/shared-twin", follow_redirects=False)
    body = api.json()
    assert api.status_code == 300 and body["ok"] is False, f"{api.status_code}: {body}"
    assert [c["slug"] for c in body["choices"]] == ["twin-alpha", "twin-beta"], body["choices"]
    page = client.get("/methods/shared-twin", follow_redirects=False)
    assert page.status_code == 300 and "Which method?" in page.text, page.status_code
    assert 'href="/methods/twin-alpha"' in page.text and 'href="/methods/twin-beta"' in page.text
    assert client.get("/methods/not-a-name-at-all").status_code == 404, "no name: still a 404"


def test_the_deleted_method_placeholder_is_listed_and_searched_nowhere(client):
    assert client.get("/methods/deleted-method").status_code == 404, "its placeholder slug is not a method"
    listed = client.get("/api/v1/collections/widget-family-1").json()["methods"]
    assert "deleted-method" not in [m["slug"] for m in listed["data"]], "not in its collection's listing"
    counts = {c["slug"]: c["count"] for c in client.get("/api/v1/collections").json()["data"]}
    assert counts["widget-family-1"] == listed["count"] == 2, f"counted apart: {counts['widget-family-1']}"
    for query in ("deleted method", "please enter a description"):
        hits = client.get("/api/v1/search", params={"q": query}).json()["data"]
        assert all(h["name"] != "(deleted method)" for h in hits), f"{query!r} found it"
    quality = client.get("/api/v1/quality").json()
    flagged = [m["slug"] for g in quality["groups"] for m in g["methods"]]
    assert "deleted-method" not in flagged, "not on the quality page either"


def test_pages_are_gzipped(client):
    response = client.get("/search?q=widgets", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip", response.headers
