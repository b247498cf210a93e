"""Databases of their own on the test PostgreSQL server, for tests that need one each.

The server comes from TEST_DATABASE_URL (default: the local one, trust auth,
database `test`). Outside CI an unreachable server skips the test; in CI it
fails it, like `tests/catalog/test_postgres.py`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from catalog.settings import Settings
from catalog.store import Catalog

SERVER = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def require_server() -> None:
    """Skip (or, in CI, fail) unless the server answers."""
    pytest.importorskip("psycopg")
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # any connection failure: report it once, clearly
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {SERVER} is unreachable in CI: {error}")
        pytest.skip(f"PostgreSQL at {SERVER} is unreachable: {error}")
    finally:
        admin.dispose()


@contextmanager
def database() -> Iterator[str]:
    """The URL of a new, empty database, dropped (with its connections) afterwards."""
    require_server()
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"catalog_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    try:
        yield SERVER.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


def postgres_settings(folder: Path, url: str) -> Settings:
    """Settings of a catalog on `url` searched by the PostgreSQL backend."""
    return Settings(CATALOG_DATA_DIR=folder, DATABASE_URL=url, CATALOG_SEARCH_BACKEND="postgres")


def postgres_catalog(folder: Path, url: str, *documents: Path) -> Catalog:
    catalog = Catalog(postgres_settings(folder, url))
    catalog.migrate()
    if documents:
        catalog.ingest(documents)
    return catalog
