"""A server serves on while its index changes: the changed index is warmed aside, then swapped in.

And what makes warming quicker: a field's terms counted from the segment's terms table.

A catalog over a data folder another catalog writes stands for a server
beside an ingest (or beside its own follower); a gate holds the warming so
that what searches read in the meantime can be checked.
"""

from __future__ import annotations

import logging
import threading

from whoosh.codec.whoosh3 import W3TermsReader

from catalog.db import session_scope
from catalog.read_cache import view_version
from catalog.search._state import (
    DOCUMENTS,
    LEXICON_FIELDS,
    SPELLING_FIELDS,
    SPELLING_PREFIX,
    WEIGHT,
    _term_counts,
)
from catalog.settings import SEED_DOCUMENT, Settings
from catalog.store import Catalog
from tests.catalog.test_follow import found, replica, widgets


def serving(data) -> Catalog:  # type: ignore[no-untyped-def]
    return Catalog(Settings(CATALOG_DATA_DIR=data))


def gated(catalog: Catalog, gate: threading.Event, threads: list[str]) -> None:
    """Follow mode whose warming waits for `gate` and records the thread it ran in."""
    backend = catalog.index
    real = backend._warm  # type: ignore[attr-defined]

    def warm(searcher) -> None:  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        assert gate.wait(30), "the test never opened the gate"
        real(searcher)

    backend.generations.warm_aside(warm)  # type: ignore[attr-defined]


def over_one_folder(tmp_path) -> tuple[Catalog, Catalog]:  # type: ignore[no-untyped-def]
    """A writer that ingested three methods, and a server over the same data folder."""
    data = tmp_path / "data"
    writer = serving(data)
    writer.migrate()
    writer.ingest([widgets(tmp_path, "Base", 3)])
    return writer, serving(data)


def gated_after_a_search(tmp_path) -> tuple[Catalog, Catalog, threading.Event, list[str]]:  # type: ignore[no-untyped-def]
    """`over_one_folder`, the server searched once, its warming now waiting for the gate."""
    writer, server = over_one_folder(tmp_path)
    gate, threads = threading.Event(), []
    gated(server, gate, threads)
    gate.set()
    assert found(server, "widget-variant-2"), "the server does not find what was ingested before it started"
    gate.clear()
    return writer, server, gate, threads


def test_searches_read_the_old_index_until_the_changed_one_is_warm(tmp_path):
    writer, server, gate, threads = gated_after_a_search(tmp_path)
    assert threads == ["MainThread"], f"the first index is warmed before it serves, where it opens: {threads}"
    before = server.index.version()

    writer.ingest([widgets(tmp_path, "Base", 4)])
    after = server.index.version()
    assert after is not None and before is not None and after > before, f"versions {before} -> {after}"
    assert not found(server, "widget-variant-3"), "a search read the changed index before it was warm"
    started = server.index.generations._warming  # type: ignore[attr-defined]
    assert started is not None and started.name == "index-warm", "the search started no warming aside"
    assert server.index.serving_version() == before, "the version searches read is the old index's"
    with session_scope(server.engine) as session:
        key = view_version(session, server.index)
    assert key[1] == before, f"cached views are keyed by the index that serves, not the live one: {key}"

    gate.set()
    assert server.index.settle(30), "the warm index did not come to serve"
    assert threads[1:] == ["index-warm"], f"the changed index was warmed elsewhere too: {threads}"
    assert found(server, "widget-variant-3"), "the warm index does not serve"
    assert server.index.serving_version() == after, "the version searches read did not move on"
    names = [c.name for c in server.index.suggest("widget variant 3")]
    assert "Widget Variant 3" in names, f"completion still reads the old index: {names}"
    writer.close()
    server.close()


def test_a_warming_that_fails_leaves_searches_to_open_the_index_themselves(tmp_path, caplog):
    writer, server = over_one_folder(tmp_path)
    failures = []

    def broken(searcher) -> None:  # type: ignore[no-untyped-def]
        failures.append(searcher)
        raise RuntimeError("warming broke")

    assert found(server, "widget-variant-2")
    server.index.generations.warm_aside(broken)  # type: ignore[attr-defined]
    writer.ingest([widgets(tmp_path, "Base", 4)])
    with caplog.at_level(logging.WARNING, logger="catalog.search"):
        assert server.index.settle(30), "a failed warming left searches on the old index"
    assert failures, "the changed index was never warmed"
    assert "warming the search index failed" in caplog.text, f"the failure was not logged: {caplog.text!r}"
    assert found(server, "widget-variant-3"), (
        "after a failed warming the search did not open the index itself"
    )
    writer.close()
    server.close()


def test_closing_while_an_index_warms_drops_what_the_warming_opened(tmp_path):
    writer, server, gate, _ = gated_after_a_search(tmp_path)
    writer.ingest([widgets(tmp_path, "Base", 4)])
    assert not found(server, "widget-variant-3"), "the changed index served before it was warm"
    warming = server.index.generations._warming  # type: ignore[attr-defined]
    assert warming is not None and warming.is_alive(), "no warming under way"
    server.close()
    gate.set()
    warming.join(30)
    assert not warming.is_alive(), "the warming did not finish"
    assert server.index.generations._searcher is None, "a closed index took in a searcher"  # type: ignore[attr-defined]
    writer.close()


def test_term_counts_read_from_the_terms_table_equal_whooshs_term_infos(tmp_path):
    database = tmp_path / "catalog.db"
    writer, follower = replica(database, tmp_path / "a"), replica(database, tmp_path / "b")
    writer.migrate()
    writer.ingest([SEED_DOCUMENT])
    follower.ensure_index()
    writer.ingest([widgets(tmp_path, "More", 3)])
    assert "in place" in (follower.sync_index() or ""), "the follower did not update in place"
    with follower.index.generations.searcher() as searcher:  # type: ignore[attr-defined]
        reader = searcher.reader()
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        assert len(leaves) > 1, "an update in place should leave a second segment"
        tables = [type(getattr(leaf, "_terms", None)) for leaf in leaves]
        assert all(t is W3TermsReader for t in tables), f"not the table read directly: {tables}"
        for field in (*LEXICON_FIELDS, *SPELLING_FIELDS, "spell_description"):
            slot = WEIGHT if field.startswith(SPELLING_PREFIX) else DOCUMENTS
            expected: dict[str, int] = {}
            for leaf in leaves:
                if field in leaf.indexed_field_names():
                    for raw, info in leaf.iter_field(field):
                        value = info.weight() if slot == WEIGHT else info.doc_frequency()
                        expected[raw.decode()] = expected.get(raw.decode(), 0) + int(value)
            found = _term_counts(reader, field, slot)
            assert found == expected, f"{field}: counts differ from Whoosh's term infos"
            assert list(found) == sorted(found), f"{field}: terms out of order"
    writer.close()
    follower.close()
