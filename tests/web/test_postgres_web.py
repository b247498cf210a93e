"""Hostile values over HTTP on a real PostgreSQL server, which refuses NUL in text."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from catalog.settings import SEED_DOCUMENT, Settings
from catalog.store import Catalog
from tests.catalog.test_postgres import postgres_url  # noqa: F401  (a fixture)

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_client(postgres_url, tmp_path_factory):  # noqa: F811
    catalog = Catalog(Settings(CATALOG_DATA_DIR=tmp_path_factory.mktemp("pg-web"), DATABASE_URL=postgres_url))
    catalog.migrate()
    catalog.ingest([SEED_DOCUMENT])
    catalog.engine.dispose()
    with TestClient(create_app(catalog.settings)) as client:
        yield client


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/methods/%00", 404),
        ("/api/v1/methods/a%00b", 404),
        ("/methods/a%00b", 404),
        ("/collections/%00", 404),
        ("/areas/%00", 404),
        ("/api/v1/collections/%00", 404),
        ("/api/v1/areas/%00", 404),
        ("/api/v1/methods?cursor=YWZ0ZXI6AA", 422),
        ("/api/v1/methods?collection=a%00", 422),
        ("/api/v1/search?q=%00", 422),
        ("/api/v1/search?max_params=9223372036854775808", 422),
    ],
)
def test_hostile_values_are_refused_before_postgres_sees_them(pg_client, url, status):
    response = pg_client.get(url, headers={"accept": "application/json"})
    assert response.status_code == status, f"{url}: {response.status_code} {response.text[:200]}"
    body = response.json()
    assert set(body) == {"ok", "status", "error", "errors"} and body["status"] == status, f"{url}: {body}"


def test_the_demo_route_refuses_nul_on_postgres(pg_client):
    response = pg_client.post("/api/v1/methods/%00/demo", json={})
    assert response.status_code == 404, (
        f"NUL in the demo's slug: {response.status_code} {response.text[:200]}"
    )


def test_postgres_serves_the_pages_and_their_twins(pg_client):
    for url in ("/", "/api/v1/home", "/quality", "/api/v1/quality", "/methods/retrace", "/api/v1/export"):
        response = pg_client.get(url)
        assert response.status_code == 200, (
            f"{url} on PostgreSQL: {response.status_code} {response.text[:200]}"
        )
