"""One answer to "which implementation runs this method", stored at ingest and read everywhere."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.main import create_app
from catalog.implementations import Candidate, match, paper_key, registry_digest
from catalog.models import Method
from catalog.settings import Settings
from catalog.store import Catalog
from methods.not_applicable import NOT_APPLICABLE
from methods.registry import Registry, registry

GHOST = "Ghost Module is a module that generates more feature maps from cheap linear operations."


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def export(folder: Path, name: str, records: list[dict]) -> Path:
    return write(folder, name, json.dumps(records))


def catalog_of(folder: Path, *documents: Path, entries: Registry = registry) -> Catalog:
    catalog = Catalog(Settings(CATALOG_DATA_DIR=folder / "data"), registry=entries)
    catalog.migrate()
    if documents:
        catalog.ingest(documents)
    return catalog


def statuses(catalog: Catalog) -> dict[str, tuple[str | None, str]]:
    with catalog.session() as session:
        return {m.slug: (m.implementation_id, m.implementation_status) for m in session.exec(select(Method))}


def test_near_names_aliases_and_longer_names_get_no_other_methods_implementation(tmp_path):
    document = write(
        tmp_path,
        "near.txt",
        "Near names\n"
        "VAE\nVAE, or Variational Autoencoder, is a generative model trained with a reconstruction loss.\n"
        "Capsule Network Neural Architecture Search\n"
        "Capsule Network Neural Architecture Search is a search over capsule layer arrangements.\n"
        f"Ghost Module\n{GHOST}\n",
    )
    catalog = catalog_of(tmp_path, document)
    found = statuses(catalog)
    # VAE has an entry of its own now; before it had one, a β-VAE alias slugified to "vae" and claimed it
    assert found["vae"] == ("vae", "runnable"), f"VAE took another method's implementation: {found['vae']}"
    assert found["capsule-network-neural-architecture-search"] == (None, "missing"), (
        f"a longer name inherited Capsule Network's: {found['capsule-network-neural-architecture-search']}"
    )
    assert found["ghost-module"] == ("ghost-module", "runnable"), f"the exact name is runnable: {found}"
    catalog.close()


def test_an_unrelated_method_of_the_same_name_from_a_later_document_gets_no_demo(tmp_path):
    first = write(tmp_path, "first.txt", f"Modules\nGhost Module\n{GHOST}\n")
    later = write(
        tmp_path,
        "later.txt",
        "Game engines\nGhost Module\nGhost Module is a plugin that renders translucent sprites in a game.\n",
    )
    catalog = catalog_of(tmp_path, first, later)
    with catalog.session() as session:
        rows = session.exec(select(Method).where(Method.name == "Ghost Module").order_by(Method.id)).all()
    assert len(rows) == 2, f"the two Ghost Modules were merged: {[r.slug for r in rows]}"
    assert [r.implementation_status for r in rows] == ["runnable", "missing"], (
        f"the earliest document's Ghost Module runs, the other does not: {[(r.slug, r.implementation_id) for r in rows]}"
    )
    with TestClient(create_app(catalog.settings)) as client:
        other = rows[1].slug
        answer = client.post(f"/api/v1/methods/{other}/demo", json={})
        assert answer.status_code == 404, f"the unrelated Ghost Module offers a demo: {answer.status_code}"
    catalog.close()


def test_a_matching_paper_wins_over_the_earliest_document(tmp_path):
    record = {"name": "Ghost Module", "full_name": "Ghost Module", "collections": []}
    first = export(
        tmp_path,
        "a.json",
        [
            {
                **record,
                "url": "https://paperswithcode.com/method/ghost-a",
                "description": "A sprite plugin for games.",
                "paper": {"title": "Sprites", "url": "https://example.org/sprites"},
            }
        ],
    )
    second = export(
        tmp_path,
        "b.json",
        [
            {
                **record,
                "url": "https://paperswithcode.com/method/ghost-b",
                "description": GHOST,
                "paper": {"title": "GhostNet", "url": "https://arxiv.org/pdf/1911.11907v2.pdf"},
            }
        ],
    )
    catalog = catalog_of(tmp_path, first, second)
    with catalog.session() as session:
        rows = session.exec(select(Method).where(Method.name == "Ghost Module").order_by(Method.id)).all()
    assert [r.implementation_id for r in rows] == [None, "ghost-module"], (
        f"the method whose arXiv id is the entry's paper runs it: {[(r.slug, r.implementation_id) for r in rows]}"
    )
    catalog.close()


def test_paper_keys_compare_arxiv_ids_across_versions_and_pages():
    assert paper_key("https://arxiv.org/abs/1911.11907") == paper_key(
        "http://arxiv.org/pdf/1911.11907v3.pdf"
    ), "abs and pdf URLs of one arXiv paper differ"
    assert paper_key("https://example.org/a/") == "example.org/a", "a non-arXiv URL is compared bare"


def test_alternatives_may_claim_a_claimed_method_and_never_displace_its_first():
    base = registry.get("ghost-module")
    other = replace(base, id="ghost-module-fused", alternative=True)
    twin = replace(base, id="ghost-module-copy")
    candidates = [Candidate(id=1, names=frozenset({"ghost module"}), paper="", first_document=1)]
    assert match(candidates, [other, base]) == {1: "ghost-module"}, "an alternative displaced the first entry"
    assert match(candidates, [other]) == {1: "ghost-module-fused"}, "an alternative alone runs its method"
    assert len(match(candidates, [base, twin]).values()) == 1, "two first entries claimed one method"


def test_not_applicable_methods_say_why(tmp_path, monkeypatch):
    monkeypatch.setitem(NOT_APPLICABLE, "Common Crawl", "a web crawl: a dataset, not a computation")
    document = write(
        tmp_path, "data.txt", "Data\nCommon Crawl\nCommon Crawl is a public archive of web pages.\n"
    )
    catalog = catalog_of(tmp_path, document)
    with TestClient(create_app(catalog.settings)) as client:
        detail = client.get("/api/v1/methods/common-crawl").json()
        assert (detail["implementation_status"], detail["implementation_reason"]) == (
            "not_applicable",
            "a web crawl: a dataset, not a computation",
        ), f"status and reason: {detail['implementation_status']}, {detail['implementation_reason']}"
        assert detail["implementation"] is None, "a not-applicable method has no implementation"
        page = client.get("/methods/common-crawl").text
        assert "a dataset, not a computation" in page, "the method page does not say why"
        facets = client.get("/api/v1/search", params={"q": "archive"}).json()["facets"]
        assert facets["implementation_status"] == {"not_applicable": 1}, f"status facet: {facets}"
    catalog.close()


def test_an_entry_added_after_ingest_shows_everywhere_after_a_restart(tmp_path):
    document = write(tmp_path, "ghost.txt", f"Modules\nGhost Module\n{GHOST}\n")
    without = Registry(e for e in registry if e.id != "ghost-module")
    assert registry_digest(without) != registry_digest(registry), "the digest misses a removed entry"
    before = catalog_of(tmp_path, document, entries=without)
    assert statuses(before)["ghost-module"] == (None, "missing"), "matched an entry the registry lacks"
    before.close()
    after = Catalog(Settings(CATALOG_DATA_DIR=tmp_path / "data"), registry=registry)
    assert after.ensure_index(), "a registry change did not rebuild the index"
    assert statuses(after)["ghost-module"] == ("ghost-module", "runnable"), "start-up did not re-match"
    with TestClient(create_app(after.settings)) as client:
        listed = client.get("/api/v1/methods").json()["data"][0]
        detail = client.get("/api/v1/methods/ghost-module").json()
        hits = client.get("/api/v1/search", params={"q": "ghost module"}).json()["data"]
        runnable = client.get(
            "/api/v1/search", params={"q": "ghost", "implementation_status": "runnable"}
        ).json()
    assert listed["has_implementation"] is True, f"the list disagrees: {listed}"
    assert detail["implementation"]["source"] == "methods/impl/ghost_module.py", (
        f"source: {detail['implementation']}"
    )
    assert detail["implementation"]["torch_version"] is None, "a hand-written file names no torch version"
    assert (detail["implementation_status"], detail["implementation_reason"]) == ("runnable", None)
    assert hits[0]["has_implementation"] is True, f"search disagrees with the detail: {hits[0]}"
    assert [h["slug"] for h in runnable["data"]] == ["ghost-module"], f"status filter: {runnable}"
    after.close()


def test_an_adapter_names_the_object_it_adapts_and_the_installed_torch(tmp_path):
    import importlib.metadata

    from catalog.implementations import implementation_summary

    adapter = replace(
        registry.get("silu"),
        adapts="torch.nn.SiLU",
        docs_url="https://docs.pytorch.org/docs/stable/generated/torch.nn.SiLU.html",
    )
    method = Method(slug="sigmoid-linear-unit", name="Sigmoid Linear Unit", implementation_id="silu")
    summary = implementation_summary(method, Registry([adapter]))
    assert summary is not None, "the adapter was not found"
    assert summary["source"] == "torch.nn.SiLU", f"source: {summary['source']}"
    assert summary["docs_url"] == adapter.docs_url, f"docs: {summary['docs_url']}"
    try:
        expected = importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("torch is not installed")
    assert summary["torch_version"] == expected, f"torch version: {summary['torch_version']}"
