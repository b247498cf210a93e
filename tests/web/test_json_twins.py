"""Every page links a JSON twin that answers the page's own data: its counts and the methods it lists."""

import re

import pytest


def _strings(data) -> set[str]:
    """Every string anywhere in a JSON value."""
    if isinstance(data, dict):
        return set().union(*(_strings(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_strings(v) for v in data)) if data else set()
    return {data} if isinstance(data, str) else set()


def _main(html: str) -> str:
    """The page's own content, without the header and footer every page shares."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _linked(html: str, kind: str) -> set[str]:
    return set(re.findall(rf'href="/{kind}/([a-z0-9-]+)"', _main(html)))


def _twin(client, url: str):
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    match = re.fullmatch(r'<([^>]+)>; rel="alternate"; type="application/json"', page.headers.get("link", ""))
    assert match, f"{url} has no alternate Link header: {page.headers.get('link')!r}"
    twin = client.get(match.group(1))
    assert twin.status_code == 200, f"{url}'s twin {match.group(1)}: {twin.status_code} {twin.text[:200]}"
    assert twin.headers["content-type"].startswith("application/json"), f"{match.group(1)} is not JSON"
    return page.text, twin.json()


def _some_collection_and_area(client) -> tuple[str, str]:
    collections = client.get("/api/v1/collections").json()["data"]
    assert collections, "the web catalog has collections (inferred ones at least)"
    biggest = max(collections, key=lambda c: c["count"])
    return biggest["slug"], biggest["area_slug"]


def _pages(client) -> list[str]:
    collection, area = _some_collection_and_area(client)
    return [
        "/",
        "/collections",
        f"/collections/{collection}",
        f"/areas/{area}",
        "/quality",
        "/search?q=attention",
        "/search?q=attention&has_implementation=true&limit=5&offset=5",
        "/methods/bottleneck-attention-module",
        "/methods/evolved-sign-momentum",
    ]


def test_every_page_links_json_holding_what_it_shows(client):
    for url in _pages(client):
        html, data = _twin(client, url)
        strings = _strings(data)
        methods, collections = _linked(html, "methods"), _linked(html, "collections")
        assert methods <= strings, f"{url} links methods its JSON lacks: {sorted(methods - strings)[:5]}"
        assert collections <= strings, (
            f"{url} links collections its JSON lacks: {sorted(collections - strings)}"
        )


def test_home_twin_holds_the_counts_and_collections_shown(client):
    html, data = _twin(client, "/")
    for name, value in data["stats"].items():
        assert f"<strong>{value:,}</strong>" in html, f"the home page does not show {name} = {value}"
    shown = _linked(html, "collections")
    listed = {c["slug"] for area in data["areas"] for c in area["collections"]}
    assert shown == listed, f"home page and /api/v1/home disagree on collections: {shown ^ listed}"


def test_quality_twin_holds_the_flagged_entries_shown(client):
    html, data = _twin(client, "/quality")
    listed = {m["slug"] for group in data["groups"] for m in group["methods"]}
    assert _linked(html, "methods") == listed, "the quality page and /api/v1/quality list different entries"
    assert data["total"] == len(listed) and f"{data['total']:,} entr" in html, f"total {data['total']}"


def test_listing_twins_hold_the_methods_shown(client):
    collection, area = _some_collection_and_area(client)
    for url, key in ((f"/collections/{collection}", "collection"), (f"/areas/{area}", "area")):
        html, data = _twin(client, url)
        listed = {m["slug"] for m in data["methods"]["data"]}
        assert listed and _linked(html, "methods") == listed, f"{url} and its twin list different methods"
        assert f"{data['methods']['count']:,} method" in html, f"{url} does not show the count"
        assert data[key]["name"] in html, f"{url} does not show its {key}'s name"


def test_search_twin_holds_the_hits_shown(client):
    html, data = _twin(client, "/search?q=attention&limit=3&offset=2")
    listed = [h["slug"] for h in data["data"]]
    shown = re.findall(r'class="hit-title"><a href="/methods/([a-z0-9-]+)"', html)
    assert shown == listed and len(listed) == 3, f"page hits {shown} != twin hits {listed}"
    assert f"{data['count']:,} methods found" in html, f"the page does not show count {data['count']}"


@pytest.mark.parametrize("slug", ["bottleneck-attention-module", "sigmoid-linear-unit"])
def test_method_twin_holds_the_related_and_linked_methods_shown(client, slug):
    html, data = _twin(client, f"/methods/{slug}")
    related = {r["slug"] for r in data["related"]}
    assert related and related <= _linked(html, "methods"), f"{slug}: related {related} not all shown"
    assert data["name"] in html and data["description_html"][:60] in html, f"{slug}: the page lacks its data"
