"""A server follows the catalog: it starts ready only once its index is current, and picks up ingests alone."""

from __future__ import annotations

import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from catalog.index_lock import IndexLock
from catalog.settings import Settings
from catalog.store import Catalog


def document(folder: Path, name: str, *methods: str) -> Path:
    path = folder / f"{name}.txt"
    lines = [f"{method} is a layer that folds feature maps its own way." for method in methods]
    path.write_text(f"{name}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def slugs(client: TestClient, query: str) -> list[str]:
    response = client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200, f"search {query!r}: {response.status_code} {response.text[:200]}"
    return [hit["slug"] for hit in response.json()["data"]]


def test_a_server_behind_the_catalog_serves_its_old_index_and_is_not_ready_until_it_caught_up(tmp_path):
    database = f"sqlite:///{tmp_path / 'catalog.db'}"
    writer = Catalog(Settings(CATALOG_DATA_DIR=tmp_path / "writer", DATABASE_URL=database))
    writer.migrate()
    writer.ingest([document(tmp_path, "Base", "Ripple Layer")])
    settings = Settings(CATALOG_DATA_DIR=tmp_path / "replica", DATABASE_URL=database)
    replica = Catalog(settings)
    replica.ensure_index()  # the replica's index as a previous run left it
    replica.close()
    writer.ingest([document(tmp_path, "Base", "Ripple Layer", "Quiver Block")])

    # another process holds the replica's index, so catching up waits for it
    other_writer = ExitStack()
    other_writer.enter_context(IndexLock(settings.data_dir / "index.lock").hold())
    try:
        with TestClient(create_app(settings)) as client:
            ready = client.get("/readyz")
            assert ready.status_code == 503, f"a server behind the catalog answered {ready.status_code}"
            assert [e["field"] for e in ready.json()["errors"]] == ["current"], f"why: {ready.json()}"
            assert slugs(client, "ripple layer")[:1] == ["ripple-layer"], "the old index does not serve"
            other_writer.close()
            began = time.monotonic()
            while client.get("/readyz").status_code != 200 and time.monotonic() - began < 60:
                assert slugs(client, "ripple layer")[:1] == ["ripple-layer"], (
                    "search failed while catching up"
                )
                time.sleep(0.1)
            assert client.get("/readyz").status_code == 200, f"not ready {time.monotonic() - began:.1f} s on"
            assert "quiver-block" in slugs(client, "quiver block"), "ready, yet the new method is not found"
    finally:
        other_writer.close()
    writer.close()


@pytest.mark.parametrize("max_lag_s", [120.0, 0.0])
def test_a_ready_server_stays_ready_while_it_catches_up_unless_no_lag_is_allowed(tmp_path, max_lag_s):
    database = f"sqlite:///{tmp_path / 'catalog.db'}"
    writer = Catalog(Settings(CATALOG_DATA_DIR=tmp_path / "writer", DATABASE_URL=database))
    writer.migrate()
    writer.ingest([document(tmp_path, "Base", "Ripple Layer")])
    settings = Settings(
        CATALOG_DATA_DIR=tmp_path / "replica",
        DATABASE_URL=database,
        CATALOG_VERSION_POLL_SECONDS=0.2,
        CATALOG_MAX_INDEX_LAG_SECONDS=max_lag_s,
    )
    other_writer = ExitStack()
    try:
        with TestClient(create_app(settings)) as client:
            ready = client.get("/readyz").json()
            assert ready["ok"] and ready["current"] and ready["lag_s"] is None, f"a fresh replica: {ready}"
            # another process holds the replica's index while the catalog moves on
            other_writer.enter_context(IndexLock(settings.data_dir / "index.lock").hold())
            writer.ingest([document(tmp_path, "Base", "Ripple Layer", "Quiver Block")])
            behind = client.get("/readyz")
            body = behind.json()
            if max_lag_s:
                assert behind.status_code == 200, f"a replica catching up left the pool: {body}"
                assert body["current"] is False and body["lag_s"] >= 0, f"the lag is not reported: {body}"
            else:
                assert behind.status_code == 503, f"no lag allowed, yet ready while behind: {body}"
            assert slugs(client, "ripple layer")[:1] == ["ripple-layer"], "the old index stopped serving"
            other_writer.close()
            began = time.monotonic()
            while "quiver-block" not in slugs(client, "quiver block") and time.monotonic() - began < 30:
                time.sleep(0.1)
            waited = time.monotonic() - began
            assert "quiver-block" in slugs(client, "quiver block"), (
                f"not searchable {waited:.1f} s after ingest"
            )
            assert client.get("/methods/quiver-block").status_code == 200, "the new method's page"
            while client.get("/readyz").json()["current"] is not True and time.monotonic() - began < 30:
                time.sleep(0.1)
            ready = client.get("/readyz").json()
            assert ready["ok"] and ready["current"] and ready["lag_s"] is None, f"caught up: {ready}"
    finally:
        other_writer.close()
    writer.close()
