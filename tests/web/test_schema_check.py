"""The server refuses to start on a database whose schema is behind the code."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from catalog.db import SchemaOutdated
from catalog.settings import Settings


def test_server_start_on_an_unmigrated_database_names_the_fix(tmp_path):
    app = create_app(Settings(CATALOG_DATA_DIR=tmp_path))
    with pytest.raises(SchemaOutdated, match="run `method-catalog migrate`"), TestClient(app):
        pass
