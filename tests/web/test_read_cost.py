"""What reads cost in SQL statements: batched exports, and views cached until the catalog changes."""

from contextlib import contextmanager

from sqlalchemy import event

from catalog.db import session_scope
from catalog.read_cache import VersionedCache
from catalog.settings import SEED_DOCUMENT
from catalog.state import advance
from tests.conftest import make_catalog


@contextmanager
def counted(client):
    statements: list[str] = []
    engine = client.app.state.catalog.engine

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_export_reads_in_batches_not_per_method(client):
    client.app.state.read_cache = VersionedCache()  # as after an ingest: nothing cached
    with counted(client) as statements:
        lines = client.get("/api/v1/export").text.splitlines()
    assert len(lines) == 46, f"the export has {len(lines)} methods"
    assert len(statements) <= 12, f"{len(statements)} statements for 46 methods: the export reads per method"


def test_a_second_read_of_a_view_only_checks_the_catalog_version(client):
    for url in ("/api/v1/methods/retrace", "/methods/retrace", "/", "/api/v1/home", "/api/v1/quality"):
        client.get(url)
        with counted(client) as statements:
            assert client.get(url).status_code == 200, url
        assert len(statements) <= 2, f"{url} read again costs {len(statements)} statements: {statements}"


def test_an_ingest_from_elsewhere_is_seen_at_once(client, tmp_path):
    """A cached view is rebuilt when the catalog changes, whichever process ingested."""
    before = client.get("/api/v1/home").json()["stats"]["methods"]
    settings = client.app.state.catalog.settings
    extra = tmp_path / "extra.txt"
    extra.write_text("Extra\nFresh Unit is a unit that nobody has described before.\n", encoding="utf-8")
    other = make_catalog(settings.data_dir)  # a second catalog object on the same files, like the CLI
    other.ingest([SEED_DOCUMENT, extra])
    after = client.get("/api/v1/home").json()["stats"]["methods"]
    assert after == before + 1, f"home still counts {after} methods after an ingest (was {before})"
    assert client.get("/api/v1/methods/fresh-unit").status_code == 200, "the new method is served"


def test_a_new_catalog_version_rebuilds_cached_views(client):
    """A re-match of implementations changes no document, only the catalog version: views follow it."""
    client.get("/api/v1/home")
    with session_scope(client.app.state.catalog.engine) as session:
        advance(session)
    with counted(client) as statements:
        assert client.get("/api/v1/home").status_code == 200, "home after a new catalog version"
    assert len(statements) > 2, f"home was served from the cache of an old version: {statements}"
