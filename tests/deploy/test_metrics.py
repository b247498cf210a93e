"""`GET /metrics`: requests by route template, search latency, index version and age, demo lanes."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.main import create_app
from catalog.settings import SEED_DOCUMENT
from tests.conftest import make_catalog


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    catalog = make_catalog(tmp_path_factory.mktemp("metrics") / "data", SEED_DOCUMENT)
    with TestClient(create_app(catalog.settings)) as test_client:
        yield test_client


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, keyed by name and sorted labels."""
    response = client.get("/metrics")
    assert response.status_code == 200, f"/metrics answered {response.status_code}"
    assert response.headers["content-type"].startswith("text/plain"), response.headers["content-type"]
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(scrape: dict, name: str, **labels: str) -> float | None:
    return scrape.get((name, tuple(sorted(labels.items()))))


def test_requests_are_counted_by_route_template_not_by_path(client):
    before = samples(client)
    for slug in ("sigmoid-linear-unit", "bottleneck-attention-module", "no-such-method"):
        client.get(f"/methods/{slug}")
    after = samples(client)
    route = "/methods/{slug}"
    counted = {
        status: (value(after, "catalog_http_requests_total", method="GET", route=route, status=status) or 0)
        - (value(before, "catalog_http_requests_total", method="GET", route=route, status=status) or 0)
        for status in ("200", "404")
    }
    assert counted == {"200": 2, "404": 1}, f"method pages counted as {counted}"
    paths = {dict(labels).get("route") for (_, labels) in after}
    assert not any(path and "sigmoid" in path for path in paths), f"a raw path became a label: {paths}"
    histogram = value(after, "catalog_http_request_duration_seconds_count", method="GET", route=route)
    assert histogram and histogram >= 3, f"the latency histogram of {route} holds {histogram} requests"
    assert value(
        after, "catalog_http_request_duration_seconds_bucket", method="GET", route=route, le="+Inf"
    ) == (histogram), "the histogram's +Inf bucket disagrees with its count"


def test_unmatched_and_static_paths_share_one_label_each(client):
    client.get("/static/no-such-file.css")
    client.get("/definitely/not/a/page")
    scrape = samples(client)
    assert value(scrape, "catalog_http_requests_total", method="GET", route="/static/{path}", status="404"), (
        "a static file request is not counted under /static/{path}"
    )
    assert value(scrape, "catalog_http_requests_total", method="GET", route="unmatched", status="404"), (
        "an unknown path is not counted as unmatched"
    )


def test_search_latency_is_observed_per_query(client):
    before = value(samples(client), "catalog_search_duration_seconds_count") or 0
    for query in ("attention", "lion", "retrase"):
        assert client.get("/api/v1/search", params={"q": query}).status_code == 200, (
            f"search {query!r} failed"
        )
    after = value(samples(client), "catalog_search_duration_seconds_count")
    assert after == before + 3, f"three searches made the search histogram grow from {before} to {after}"


def test_index_version_follows_the_catalog_and_has_an_age(client):
    catalog = client.app.state.catalog
    scrape = samples(client)
    assert value(scrape, "catalog_index_version") == catalog.catalog_version(), (
        f"index version {value(scrape, 'catalog_index_version')}, catalog at {catalog.catalog_version()}"
    )
    assert value(scrape, "catalog_version") == catalog.catalog_version(), (
        "the database's version is not reported"
    )
    age = value(scrape, "catalog_index_age_seconds")
    assert age is not None and age >= 0, f"index age {age}"


def test_demo_lanes_report_queue_depth_and_run_times(client):
    response = client.post("/api/v1/methods/sigmoid-linear-unit/demo", json={"inputs": {"x": [2, 8, 4, 4]}})
    assert response.status_code == 200, f"the demo failed: {response.text}"
    scrape = samples(client)
    assert value(scrape, "catalog_demo_queue_depth", device="cpu") == 0, "a finished demo is still queued"
    assert value(scrape, "catalog_demo_worker_ready", device="cpu") == 1, (
        "the CPU worker is not reported ready"
    )
    assert value(scrape, "catalog_demo_run_seconds_count", device="cpu") == 1, "the demo run is not counted"
    seconds = value(scrape, "catalog_demo_run_seconds_sum", device="cpu")
    assert seconds and seconds > 0, f"the demo's run time is {seconds}"
    assert value(scrape, "catalog_demo_worker_restarts_total", device="cpu") == 0, "the worker was replaced"


def test_each_request_logs_one_line_with_its_route(client, caplog):
    with caplog.at_level(logging.INFO, logger="catalog.request"):
        client.get("/api/v1/methods/sigmoid-linear-unit")
    lines = [record for record in caplog.records if record.name == "catalog.request"]
    assert len(lines) == 1, f"one request logged {len(lines)} lines"
    line = lines[0]
    fields = {name: getattr(line, name, None) for name in ("method", "route", "path", "status")}
    assert fields == {
        "method": "GET",
        "route": "/api/v1/methods/{slug}",
        "path": "/api/v1/methods/sigmoid-linear-unit",
        "status": 200,
    }, f"request line fields {fields}"
    assert line.duration_ms > 0, f"duration {line.duration_ms}"
