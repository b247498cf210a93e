"""`methods/manifest.json` keeps start-up light: entry modules are imported only when an entry is needed."""

import importlib
import json
import logging
import subprocess
import sys

import pytest

from methods import registry
from methods.manifest import build, render
from methods.registry import MANIFEST, Registry, load
from methods.spec import PROJECT_ROOT

registry_module = importlib.import_module("methods.registry")  # `methods.registry` is the instance


def test_the_manifest_matches_the_entry_modules():
    assert MANIFEST.read_text(encoding="utf-8") == render(build()), (
        "methods/manifest.json is out of date: run `python -m methods.manifest --write`"
    )


def test_the_registry_matches_its_modules_entry_for_entry():
    full = registry_module.read_modules(registry_module.entry_modules())
    assert full.list() == registry.list(), "the manifest lists other entries than the modules declare"
    for info in registry.infos():
        assert registry.get(info.id).describe(info.declared_in) == info, f"{info.id}: manifest differs"


STARTUP = """
import sys, tempfile
from fastapi.testclient import TestClient
from app.main import create_app
from catalog.settings import SEED_DOCUMENT, Settings
from catalog.store import Catalog
settings = Settings(CATALOG_DATA_DIR=tempfile.mkdtemp(), CATALOG_DEMO_WARM=False)
catalog = Catalog(settings)
catalog.migrate()
catalog.ingest([SEED_DOCUMENT])
with TestClient(create_app(settings)) as client:
    for url in ("/", "/search?q=attention", "/api/v1/methods/bottleneck-attention-module", "/collections"):
        assert client.get(url).status_code == 200, url
print(sorted(m for m in sys.modules if m.startswith("methods.entries.")), "torch" in sys.modules)
"""


def test_start_up_ingest_and_browsing_import_no_entry_module_and_no_torch(tmp_path):
    """What a server does before anyone asks for a demo form costs the same with 10 entries or 10,000."""
    done = subprocess.run(
        [sys.executable, "-c", STARTUP], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[] False", (
        f"entry modules imported, torch imported: {done.stdout.strip()}"
    )


def test_asking_for_one_entry_imports_only_its_module():
    fresh = load()
    module = fresh.info("bam").declared_in
    assert fresh.get("bam").params.__name__ == "BAMParams", "BAM's hyperparameters did not load"
    siblings = {i.id for i in fresh.infos() if i.declared_in == module}
    assert set(fresh._entries) == siblings, f"held {sorted(set(fresh._entries) - siblings)} beyond {module}"


def test_a_stale_manifest_is_not_used(tmp_path, monkeypatch, caplog):
    stale = json.loads(MANIFEST.read_text(encoding="utf-8"))
    stale["fingerprint"] = "0" * 64
    stale["entries"] = stale["entries"][:3]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(stale), encoding="utf-8")
    monkeypatch.setattr(registry_module, "MANIFEST", path)
    with caplog.at_level(logging.WARNING, logger="methods.registry"):
        found = load()
    assert found.list() == registry.list(), "a stale manifest's entries were used"
    assert "out of date" in caplog.text, f"no warning: {caplog.text!r}"


def test_an_entry_that_differs_from_its_metadata_is_refused():
    info = registry.info("bam")
    changed = Registry(infos=[info.__class__(**{**info.__dict__, "paper": "https://example.org/other"})])
    with pytest.raises(ValueError, match=r"differs from methods/manifest\.json"):
        changed.get("bam")
