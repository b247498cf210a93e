"""Ingest is one transaction, idempotent, and keeps URLs stable."""

import json
from dataclasses import asdict

import pytest
from sqlmodel import func, select

from catalog.documents import parse_document
from catalog.entry import DocumentError
from catalog.ingest import _record
from catalog.models import Alias, CrossLink, Method, MethodCollection, Provenance, SlugRedirect
from catalog.settings import SEED_DOCUMENT
from catalog.store import Catalog

TABLES = (Method, Alias, Provenance, MethodCollection, CrossLink, SlugRedirect)


def counts(catalog: Catalog) -> dict[str, int]:
    with catalog.session() as session:
        return {t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in TABLES}


def snapshot(catalog: Catalog) -> list[tuple]:
    with catalog.session() as session:
        return [
            (m.slug, m.name, m.description, m.flags)
            for m in session.exec(select(Method).order_by(Method.slug))
        ]


def test_seed_ingest_stores_every_method_with_stable_slugs(seed_catalog):
    with seed_catalog.session() as session:
        slugs = set(session.exec(select(Method.slug)))
    assert len(slugs) == 45, f"expected 45 methods, got {len(slugs)}"
    for slug in ("bottleneck-attention-module", "evolved-sign-momentum", "r-cnn", "n-step-returns"):
        assert slug in slugs, f"missing slug {slug}"


def test_ingesting_twice_changes_no_counts(seed_catalog):
    before, rows = counts(seed_catalog), snapshot(seed_catalog)
    report = seed_catalog.ingest([SEED_DOCUMENT])[0]
    assert report.unchanged == 45 and report.created == 0, report.summary()
    assert counts(seed_catalog) == before, "a second ingest changed the counts"
    assert snapshot(seed_catalog) == rows, "a second ingest changed the methods"


def test_failure_mid_ingest_leaves_the_catalog_as_it_was(seed_catalog, tmp_path):
    other = tmp_path / "more.txt"
    other.write_text(
        "More\n" + "".join(f"Method Number {i} is a method.\n" for i in range(30)), encoding="utf-8"
    )
    before, rows = counts(seed_catalog), snapshot(seed_catalog)

    def explode(name, done, total):
        if name == "more.txt" and done == 20:
            raise RuntimeError("injected failure")

    with pytest.raises(RuntimeError, match="injected failure"):
        seed_catalog.ingest([SEED_DOCUMENT, other], progress=explode)
    assert counts(seed_catalog) == before, "a failed ingest left rows behind"
    assert snapshot(seed_catalog) == rows, "a failed ingest changed methods"
    assert seed_catalog.index_count() == 45, "a failed ingest changed the index"


def test_malformed_document_is_rejected_before_anything_is_stored(seed_catalog, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"name": "X"}, {"name": 3}]', encoding="utf-8")
    before = counts(seed_catalog)
    with pytest.raises(DocumentError, match=r"bad\.json"):
        seed_catalog.ingest([bad])
    assert counts(seed_catalog) == before, "a malformed document changed the catalog"


def test_small_ingest_updates_the_index_in_place_and_removes_dropped_entries(seed_catalog, tmp_path):
    document = tmp_path / "extra.txt"
    document.write_text("Extra\nQuux Layer is a layer.\nZorp Block is a block.\n", encoding="utf-8")
    generation = seed_catalog.index.live_generation()
    seed_catalog.ingest([document])
    assert seed_catalog.index.live_generation() == generation, "a small ingest rebuilt the whole index"
    assert seed_catalog.index_count() == 47, "new entries are searchable"
    document.write_text("Extra\nQuux Layer is a layer.\n", encoding="utf-8")
    report = seed_catalog.ingest([document])[0]
    assert report.removed == 1, report.summary()
    assert seed_catalog.index_count() == 46, "the dropped entry left the index"


def test_rebuild_swaps_a_new_generation_in(seed_catalog):
    old = seed_catalog.index.live_generation()
    seed_catalog.rebuild_index()
    new = seed_catalog.index.live_generation()
    assert new != old, "a rebuild reuses the live index"
    assert seed_catalog.index_count() == 45


def test_renamed_method_keeps_its_identity_and_leaves_a_redirect(seed_catalog, tmp_path):
    document = tmp_path / "doc.txt"
    description = "is a widget that folds feature maps into tokens and back again."
    document.write_text(f"Doc\nFoo Widget\nFoo Widget {description}\n", encoding="utf-8")
    seed_catalog.ingest([document])
    with seed_catalog.session() as session:
        method_id = session.exec(select(Method.id).where(Method.slug == "foo-widget")).one()
    document.write_text(f"Doc\nFoo Gadget\nFoo Gadget {description}\n", encoding="utf-8")
    report = seed_catalog.ingest([document])[0]
    assert (report.created, report.removed) == (0, 0), f"a rename dropped and re-created: {report.summary()}"
    with seed_catalog.session() as session:
        assert session.get(Method, method_id).slug == "foo-gadget", "the method takes its new name's slug"
        assert session.get(SlugRedirect, "foo-widget").method_id == method_id, "the old slug redirects"
    assert seed_catalog.index.search("foo gadget").hits[0]["slug"] == "foo-gadget", "the index follows"
    slugs = [h["slug"] for h in seed_catalog.index.search("foo widget").hits]
    assert "foo-widget" not in slugs, f"the old slug is still indexed: {slugs}"


def test_records_are_stored_as_before_so_a_catalog_built_earlier_reingests_unchanged(tmp_path):
    export = tmp_path / "export.json"
    export.write_text(
        '[{"url": "https://paperswithcode.com/method/a", "name": "A", "full_name": "Aa Bb",'
        ' "description": "Aa Bb (A) is a layer, see [B](https://paperswithcode.com/method/b).",'
        ' "collections": [{"collection": "Layers", "area": "General"}], "num_papers": 3}]',
        encoding="utf-8",
    )
    for path in (SEED_DOCUMENT, export):
        for entry in parse_document(path).entries:
            expected = json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True)
            assert _record(entry) == expected, f"{entry.name}: the stored record changed form"
