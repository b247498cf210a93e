"""The PostgreSQL search backend's own promises: the index lives in the database, shared by replicas.

Each test works in a PostgreSQL database of its own (skipped when no server
answers, failing in CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from catalog.db import make_engine, migrate

pytest.importorskip("psycopg")  # the driver comes with the `postgres` extra

from catalog.search.postgres_backend import PostgresBackend
from catalog.settings import SEED_DOCUMENT, Settings
from tests.postgres_databases import database, postgres_catalog, postgres_settings

pytestmark = pytest.mark.postgres

HOSTILE = [
    "a\x00b",
    "'",
    "\\",
    "a:*",
    "!!! & | <-> :* ()",
    "ghost:A | module",
    '"unbalanced',
    "NOT",
    "AND OR NOT ANDNOT",
    "-",
    "((((",
    "x" * 10_000,
    "ghost " * 1_000,
    "attention area:'x' kind:\"\"",
    "ünïcödé 注意力 😀",
    "1706.03762v5",
    "%_%",
]


def _document(slug: str, name: str, description: str) -> dict:
    return {
        "slug": slug,
        "name": name,
        "full_name": name,
        "aliases": "",
        "labels": name,
        "exact": "".join(name.lower().split()),
        "initials": "",
        "popularity": 1,
        "description": description,
        "collection": "",
        "area": "",
        "collection_names": "",
        "has_implementation": "false",
        "implementation_status": "missing",
        "kind": "",
    }


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    with database() as url:
        chosen = postgres_settings(tmp_path / "data", url)
        migrate(chosen)
        yield chosen


def test_replicas_on_one_database_search_one_index_and_keep_nothing_on_disk(tmp_path):
    with database() as url:
        writer = postgres_catalog(tmp_path / "writer", url, SEED_DOCUMENT)
        replica = postgres_catalog(tmp_path / "replica", url)
        try:
            assert replica.ensure_index() is False, "a replica rebuilt an index the database already holds"
            assert replica.index.version() == writer.catalog_version() == replica.catalog_version(), (
                f"index at {replica.index.version()}, catalog at {replica.catalog_version()}"
            )
            hits = [h["slug"] for h in replica.index.search("ghost module").hits]
            assert hits[:1] == ["ghost-module"], f"the replica's search: {hits}"
            assert replica.readiness(repair=False)[0], f"replica not ready: {replica.readiness(repair=False)}"
            alike = replica.index.similar("ghost-module", 5)
            assert 0 < len(alike) <= 5 and "ghost-module" not in alike, f"similar methods: {alike}"
            assert list(alike.values()) == sorted(alike.values(), reverse=True), f"similar, by score: {alike}"
            for folder in ("writer", "replica"):
                assert not (tmp_path / folder / "index").exists(), f"the {folder} wrote a local index"
        finally:
            writer.close()
            replica.close()


def test_staged_tables_stay_invisible_until_published(settings):
    backend = PostgresBackend(settings)
    backend.rebuild([_document("first", "First Method", "It sorts things.")], version=3)
    staged = backend.stage([_document("second", "Second Method", "It ranks things.")], version=4)
    assert (backend.version(), backend.contents()) == (3, {"first": "First Method"}), "staged rows leaked"
    staged.publish()
    assert (backend.version(), backend.contents()) == (4, {"second": "Second Method"}), "publish replaced"
    backend.engine.dispose()


def test_updates_keep_word_counts_and_spelling_in_step(settings):
    backend = PostgresBackend(settings)
    backend.rebuild([_document("base", "Base Method", "It sorts things quickly.")], version=1)
    backend.update([_document("quokka", "Quokka Sampler", "Quokka samples marsupials.")], (), version=2)
    found = backend.search("quokka sampler")
    assert [h["slug"] for h in found.hits][:1] == ["quokka"], f"an updated method is found: {found.hits}"
    misspelled = backend.search("marsupails")
    assert misspelled.suggestion is None, "a description word used once is not a correction (as in Whoosh)"
    assert backend.search("quokkka").suggestion == "quokka", "a name word added by an update is a correction"
    backend.update([], ["quokka"], version=3)
    assert backend.search("quokka").count == 0, "a removed method is still found"
    assert backend.search("quokkka").suggestion is None, "a removed method's words still correct queries"
    with backend.engine.connect() as connection:
        left = connection.execute(text("select count(*) from search_lexeme where lexeme like 'quokka%'"))
        assert left.scalar_one() == 0, "a removed method's words are still counted"
    assert backend.version() == 3 and backend.count() == 1, (backend.version(), backend.count())
    backend.engine.dispose()


def test_any_string_is_a_query_and_leaves_the_catalog_as_it_was(tmp_path):
    with database() as url:
        catalog = postgres_catalog(tmp_path, url, SEED_DOCUMENT)
        try:
            before = catalog.index.contents()
            for query in HOSTILE:
                result = catalog.index.search(query, filters={"area": query[:50]})
                assert result.count >= 0 and result.query == query, f"{query[:40]!r}: {result}"
                assert isinstance(catalog.index.search(query).hits, list), f"{query[:40]!r} without filter"
                assert isinstance(catalog.index.suggest(query), list), f"completion of {query[:40]!r}"
            assert catalog.index.contents() == before, "a query changed the index"
            assert catalog.index.search("1706.03762").count >= 0, "an arXiv id is a query"
        finally:
            catalog.close()


def test_a_database_without_search_tables_has_no_index(tmp_path):
    with database() as url:
        chosen = postgres_settings(tmp_path, url)
        backend = PostgresBackend(chosen, make_engine(chosen))
        assert (backend.ready(), backend.version(), backend.count()) == (False, None, 0), (
            "no tables, an index"
        )
        assert backend.search("ghost").count == 0 and backend.suggest("gho") == [], "searched missing tables"
        assert backend.similar("ghost-module") == {} and backend.contents() == {}, "read missing tables"
        backend.engine.dispose()


def test_sorts_by_year_newest_first_and_undated_last(settings):
    backend = PostgresBackend(settings)
    documents = [
        {**_document(slug, f"{slug.title()} Sorter", "It sorts lists."), **({"year": year} if year else {})}
        for slug, year in (("old", 2012), ("undated", None), ("new", 2024), ("mid", 2018))
    ]
    backend.rebuild(documents, version=1)
    by_year = [h["slug"] for h in backend.search("sorts lists", sort="year").hits]
    assert by_year == ["new", "mid", "old", "undated"], f"sort=year: {by_year}"
    browsed = backend.search("", filters={"has_implementation": "false"}, sort="year")
    assert [h["slug"] for h in browsed.hits] == by_year, f"browsing by year: {browsed.hits}"
    backend.engine.dispose()
