"""`/search` and `/api/v1/search` take one parameter model: the same bad value, the same field error."""

import pytest

BAD = [
    {"limit": "0"},
    {"limit": "101"},
    {"offset": "-1"},
    {"offset": "x"},
    {"collection": "Not A Slug"},
    {"area": "a" * 201},
    {"kind": "teapot"},
    {"has_implementation": "maybe"},
    {"implementation_status": "broken"},
    {"max_params": "-1"},
    {"max_params": str(2**63)},
    {"max_params": "1e3"},
    {"q": "x" * 10_001},
    {"sort": "newest"},
    {"limit": "0", "kind": "teapot", "max_params": "many"},
]


def _fields(body: dict) -> list[tuple[str, str]]:
    return sorted((e["field"], e["message"]) for e in body["errors"])


@pytest.mark.parametrize("params", BAD, ids=lambda p: ",".join(p))
def test_page_and_api_refuse_the_same_values_alike(client, params):
    api = client.get("/api/v1/search", params=params)
    assert api.status_code == 422, f"API took {params}: {api.status_code}"
    page_json = client.get("/search", params=params, headers={"accept": "application/json"})
    assert page_json.status_code == 422, f"page took {params}: {page_json.status_code}"
    assert _fields(page_json.json()) == _fields(api.json()), f"{params}: page and API disagree"
    assert {f for f, _ in _fields(api.json())} == set(params), f"{params}: errors {api.json()['errors']}"
    page = client.get("/search", params=params)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html"), params
    for field, _ in _fields(api.json()):
        assert f"<code>{field}</code>" in page.text, f"the page does not name the bad field {field}"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "attention", "has_implementation": "true", "limit": "5"},
        {"q": "attention", "max_params": str(2**63 - 1), "kind": "module"},
        {"q": "norm", "offset": "3", "limit": "2"},
        {"q": "attention", "implementation_status": "runnable"},
        {"implementation_status": "missing", "limit": "3"},
        {"q": "attention", "sort": "papers", "limit": "5"},
        {"kind": "module", "sort": "name", "limit": "5"},
    ],
)
def test_page_and_api_take_the_same_good_values(client, params):
    api = client.get("/api/v1/search", params=params)
    page = client.get("/search", params=params)
    assert api.status_code == page.status_code == 200, (
        f"{params}: API {api.status_code}, page {page.status_code}"
    )
    for hit in api.json()["data"]:
        assert f'href="/methods/{hit["slug"]}"' in page.text, f"{params}: the page lacks hit {hit['slug']}"


def test_the_status_filter_narrows_both_routes_and_the_page_names_it(client):
    everything = client.get("/api/v1/search", params={"q": "network"}).json()
    statuses = everything["facets"]["implementation_status"]
    assert sum(statuses.values()) == everything["count"] > 0, (
        f"status facet {statuses} of {everything['count']}"
    )
    for status in ("runnable", "not_applicable", "missing"):
        params = {"q": "network", "implementation_status": status}
        api = client.get("/api/v1/search", params=params).json()
        assert api["count"] == statuses.get(status, 0), (
            f"{status}: {api['count']} hits, facet said {statuses}"
        )
        page = client.get("/search", params=params)
        assert page.status_code == 200, f"{status}: the page answered {page.status_code}"
        label = {"runnable": "Runnable", "not_applicable": "Not applicable", "missing": "Missing"}[status]
        assert f'aria-label="Remove filter Status: {label}"' in page.text, f"the page does not name {status}"
        assert f"{api['count']:,} method" in page.text, (
            f"{status}: the page does not count {api['count']} hits"
        )


def test_sort_reaches_the_index_on_both_routes_and_stays_in_the_page_links(client):
    params = {"q": "attention", "sort": "name", "limit": "2"}
    ranked = client.get("/api/v1/search", params={"q": "attention", "limit": "100"}).json()
    by_name = client.get("/api/v1/search", params={**params, "limit": "100"}).json()
    assert by_name["count"] == ranked["count"] > 2, f"sorting changed what matches: {by_name['count']}"
    names = [hit["name"].lower() for hit in by_name["data"]]
    assert names == sorted(names), f"sort=name through the API: {names}"
    page = client.get("/search", params=params)
    assert page.status_code == 200, f"the page answered {page.status_code}"
    shown = [hit["slug"] for hit in client.get("/api/v1/search", params=params).json()["data"]]
    positions = [page.text.find(f'href="/methods/{slug}"') for slug in shown]
    assert -1 not in positions and positions == sorted(positions), f"the page does not list {shown} in order"
    assert "offset=2&amp;sort=name" in page.text, "the next-page link drops the sort"
    assert 'rel="alternate"' in page.headers.get("link", "") and "sort=name" in page.headers["link"], (
        f"the JSON twin link drops the sort: {page.headers.get('link')}"
    )
