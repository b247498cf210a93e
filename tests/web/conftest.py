from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from catalog.settings import SEED_DOCUMENT
from tests.conftest import make_catalog


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    """A test client over a catalog of the seed plus a document with hostile and linked content."""
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.txt"
    hostile.write_text(
        "Hostile\nScript Layer is a layer <script>alert(1)</script> with <img src=x onerror=alert(2)>.\n",
        encoding="utf-8",
    )
    catalog = make_catalog(folder / "data", SEED_DOCUMENT, hostile)
    with TestClient(create_app(catalog.settings)) as test_client:
        yield test_client
