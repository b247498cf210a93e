"""`/readyz`: 200 when database and index agree, 503 in the one error shape while they do not."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from app.main import create_app
from catalog.db import session_scope
from catalog.state import advance
from tests.conftest import make_catalog


def test_readyz_answers_503_while_the_index_is_behind_and_200_once_repaired(tmp_path):
    document = tmp_path / "small.txt"
    document.write_text("Small\nGhost Module\nGhost Module makes feature maps cheaply.\n", encoding="utf-8")
    catalog = make_catalog(tmp_path / "data", document)
    # no polling: only the readiness check itself may repair the index here
    settings = catalog.settings.model_copy(update={"version_poll_seconds": 0})
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")
        body = ready.json()
        assert ready.status_code == 200 and body["ok"] and body["current"], f"a fresh catalog: {body}"
        assert body["index_version"] == body["catalog_version"], f"versions differ: {body}"
        with session_scope(catalog.engine) as session:
            advance(session)  # the database moved on and the index did not: a crash after the commit
        stale = client.get("/readyz")
        error = stale.json()
        assert stale.status_code == 503, f"a stale index answered {stale.status_code}: {error}"
        assert set(error) == {"ok", "status", "error", "errors"} and error["ok"] is False, f"shape: {error}"
        assert [e["field"] for e in error["errors"]] == ["current"], f"what is wrong: {error['errors']}"
        deadline = time.monotonic() + 120
        while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.get("/readyz").status_code == 200, "the readiness check did not repair the index"
    catalog.close()
