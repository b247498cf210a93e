"""Replicas follow the catalog: an index behind the database catches up in place or aside, one writer at a time.

Two `Catalog` objects stand for two replicas: over one SQLite database with a
data folder each (as replicas over one PostgreSQL database), or over one data
folder (as `serve --workers N`, whose processes share an index).
"""

from __future__ import annotations

import os
import threading
import time
from itertools import pairwise
from pathlib import Path

from catalog.db import session_scope
from catalog.follow import CatalogFollower
from catalog.index_lock import IndexLock
from catalog.indexing import index_documents
from catalog.search._document import whoosh_document
from catalog.settings import Settings
from catalog.state import advance
from catalog.store import SMALL_UPDATE, Catalog
from tests.catalog.test_index_consistency import assert_agree


def widgets(folder: Path, name: str, count: int, start: int = 0, word: str = "Widget") -> Path:
    path = folder / f"{name}.txt"
    lines = [
        f"{word} Variant {i} is a layer that folds feature maps number {i}." for i in range(start, count)
    ]
    path.write_text(f"{name}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def replica(database: Path, data: Path) -> Catalog:
    return Catalog(Settings(CATALOG_DATA_DIR=data, DATABASE_URL=f"sqlite:///{database}"))


def found(catalog: Catalog, slug: str) -> bool:
    return slug in {hit["slug"] for hit in catalog.index.search(slug.replace("-", " ")).hits}


def test_a_replica_updates_few_changes_in_place_and_rebuilds_for_many(tmp_path):
    database = tmp_path / "catalog.db"
    writer, follower = replica(database, tmp_path / "a"), replica(database, tmp_path / "b")
    writer.migrate()
    writer.ingest([widgets(tmp_path, "Base", 5)])
    assert follower.ensure_index(), "a replica with an empty data folder did not build its index"
    assert_agree(follower, "after start-up")
    generation = follower.index.live_generation()

    writer.ingest([widgets(tmp_path, "Base", 7)])
    done = follower.sync_index()
    assert done and "in place" in done and "(2 updated, 0 removed)" in done, f"two new methods: {done}"
    assert follower.index.live_generation() == generation, "two new methods rebuilt the whole index"
    assert_agree(follower, "after a small ingest")
    hits = follower.index.search("widget variant 6").hits
    assert hits and hits[0]["slug"] == "widget-variant-6", f"the new method is not searchable: {hits[:3]}"

    writer.ingest([widgets(tmp_path, "Base", 7, word="Gadget")], replace=True)
    done = follower.sync_index()
    assert done and "in place" in done and "7 removed" in done, f"every method renamed: {done}"
    assert_agree(follower, "after renaming every method")

    writer.ingest([widgets(tmp_path, "Many", SMALL_UPDATE + 5)])
    done = follower.sync_index()
    assert done and "rebuilt" in done, f"{SMALL_UPDATE + 5} new methods were not rebuilt aside: {done}"
    assert follower.index.live_generation() != generation, "a rebuild did not publish a new generation"
    assert_agree(follower, "after a large ingest")
    assert follower.sync_index() is None, "a current index was synced again"
    writer.close()
    follower.close()


def test_a_version_that_lists_no_changes_rebuilds(tmp_path):
    database = tmp_path / "catalog.db"
    writer, follower = replica(database, tmp_path / "a"), replica(database, tmp_path / "b")
    writer.migrate()
    writer.ingest([widgets(tmp_path, "Base", 3)])
    follower.ensure_index()
    with session_scope(writer.engine) as session:
        advance(session)  # moved on by something that did not say what changed
    done = follower.sync_index()
    assert done and "rebuilt" in done, f"an unlisted version was not rebuilt: {done}"
    assert_agree(follower, "after an unlisted version")
    writer.close()
    follower.close()


def test_the_follower_thread_catches_up_within_its_interval_and_stops(tmp_path):
    database = tmp_path / "catalog.db"
    writer, follower = replica(database, tmp_path / "a"), replica(database, tmp_path / "b")
    writer.migrate()
    writer.ingest([widgets(tmp_path, "Base", 3)])
    follower.ensure_index()
    following = CatalogFollower(follower, interval_s=0.2)
    following.start()
    writer.ingest([widgets(tmp_path, "Base", 4)])
    began = time.monotonic()
    while not found(follower, "widget-variant-3") and time.monotonic() - began < 30:
        time.sleep(0.05)
    waited = time.monotonic() - began
    following.stop(timeout_s=30)
    assert found(follower, "widget-variant-3"), f"the follower did not catch up in {waited:.1f} s"
    assert following._thread is not None and not following._thread.is_alive(), "the follower did not stop"
    assert_agree(follower, "after the follower caught up")
    writer.close()
    follower.close()


def test_searches_never_fail_while_another_process_rebuilds_the_shared_index(tmp_path):
    data = tmp_path / "data"
    first = Catalog(Settings(CATALOG_DATA_DIR=data))
    first.migrate()
    first.ingest([widgets(tmp_path, "Base", SMALL_UPDATE + 50)])
    second = Catalog(Settings(CATALOG_DATA_DIR=data))
    failures: list[str] = []
    searches = 0
    done = threading.Event()

    def search_in_a_loop() -> None:
        nonlocal searches
        while not done.is_set():
            try:
                result = second.index.search("widget variant 7")
                if not result.hits or result.hits[0]["slug"] != "widget-variant-7":
                    failures.append(f"hits {[h['slug'] for h in result.hits[:3]]}")
            except Exception as error:  # any failure of a search is what this test looks for
                failures.append(repr(error))
            searches += 1

    loop = threading.Thread(target=search_in_a_loop)
    loop.start()
    try:
        for _ in range(3):
            before = searches
            first.rebuild_index()
            assert searches > before or failures, "no search ran during a rebuild"
    finally:
        done.set()
        loop.join()
    assert not failures, f"{len(failures)} of {searches} searches failed during rebuilds: {failures[:3]}"
    assert_agree(second, "after the rebuilds")
    first.close()
    second.close()


def test_two_writers_on_one_data_folder_take_turns_and_leave_the_index_whole(tmp_path):
    data = tmp_path / "data"
    first = Catalog(Settings(CATALOG_DATA_DIR=data))
    first.migrate()
    first.ingest([widgets(tmp_path, "Base", 40)])
    second = Catalog(Settings(CATALOG_DATA_DIR=data))

    with IndexLock(data / "index.lock").hold():
        with session_scope(first.engine) as session:
            advance(session)
        assert second.sync_index(wait=False) is None, "a follower wrote while another process held the index"
        assert second.index.version() != second.catalog_version(), "the index moved under the lock"

    spans: list[tuple[float, float, str]] = []
    for name, catalog in (("first", first), ("second", second)):
        rebuild = catalog.index.rebuild

        def timed(documents, version, rebuild=rebuild, name=name):  # type: ignore[no-untyped-def]
            began = time.monotonic()
            rebuild(documents, version)
            spans.append((began, time.monotonic(), name))

        catalog.index.rebuild = timed  # type: ignore[method-assign]

    errors: list[str] = []

    def rebuild_often(catalog: Catalog) -> None:
        try:
            for _ in range(3):
                catalog.rebuild_index()
        except Exception as error:  # a failed rebuild is what this test looks for
            errors.append(repr(error))

    threads = [threading.Thread(target=rebuild_often, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    first.ingest([widgets(tmp_path, "More", 20)])
    for thread in threads:
        thread.join()
    assert not errors, f"concurrent rebuilds failed: {errors}"
    spans.sort()
    overlaps = [(a, b) for a, b in pairwise(spans) if b[0] < a[1]]
    assert len(spans) >= 6 and not overlaps, f"rebuilds overlapped: {overlaps} of {len(spans)}"
    for catalog in (first, second):
        catalog.sync_index()
        assert_agree(catalog, "after concurrent rebuilds and an ingest")
    first.close()
    second.close()


def test_a_writer_killed_between_its_swap_and_its_touch_still_makes_the_others_reopen(tmp_path):
    data = tmp_path / "data"
    first = Catalog(Settings(CATALOG_DATA_DIR=data))
    first.migrate()
    first.ingest([widgets(tmp_path, "Base", 3)])
    second = Catalog(Settings(CATALOG_DATA_DIR=data))
    assert not found(second, "widget-variant-3"), "a method not yet ingested is found"
    with first.session() as session:
        documents = list(index_documents(session))
    extra = {
        **documents[0],
        "slug": "widget-variant-3",
        "name": "Widget Variant 3",
        "labels": "Widget Variant 3",
    }
    generations = first.index.generations
    name = generations.build(map(whoosh_document, [*documents, extra]), first.catalog_version())
    link = data / "index" / f".current-{name}"
    link.symlink_to(name)
    os.replace(link, data / "index" / "current")  # the swap, and then the writer died: no touch
    assert found(second, "widget-variant-3"), "another process kept searching the generation swapped out"
    first.close()
    second.close()
