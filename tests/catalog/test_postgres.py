"""The same migrations and ingest on a real PostgreSQL server.

The server comes from TEST_DATABASE_URL (default: the local one, trust auth,
database `test`); each run works in a database of its own, dropped afterwards.
Outside CI an unreachable server skips these tests; in CI it fails them.
"""

import os
import subprocess
import sys

import pytest
from sqlmodel import func, select

from catalog.models import Alias, Method, Provenance
from catalog.settings import PROJECT_ROOT, SEED_DOCUMENT, Settings
from catalog.store import Catalog
from tests.postgres_databases import database

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def postgres_url():
    with database() as url:
        yield url


def test_migrate_ingest_and_search_on_postgres(postgres_url, tmp_path):
    catalog = Catalog(Settings(CATALOG_DATA_DIR=tmp_path, DATABASE_URL=postgres_url))
    catalog.migrate()
    catalog.ingest([SEED_DOCUMENT])
    catalog.ingest([SEED_DOCUMENT])
    with catalog.session() as session:
        methods = session.exec(select(func.count()).select_from(Method)).one()
        provenances = session.exec(select(func.count()).select_from(Provenance)).one()
        lion = session.exec(select(Method).join(Alias).where(Alias.key == "lion")).one()
    assert (methods, provenances) == (45, 45), (
        f"after two ingests: {methods} methods, {provenances} provenances"
    )
    assert lion.slug == "evolved-sign-momentum", f"alias lookup found {lion.slug}"
    assert catalog.index_count() == 45, "the index is built from PostgreSQL too"
    catalog.engine.dispose()


def test_alembic_command_line_finds_no_drift_on_postgres(postgres_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "CATALOG_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    for args in (["upgrade", "head"], ["check"], ["downgrade", "base"], ["upgrade", "head"], ["check"]):
        result = subprocess.run(
            [sys.executable, "-m", "alembic", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"alembic {' '.join(args)} on PostgreSQL: {result.stderr[-800:]}"
