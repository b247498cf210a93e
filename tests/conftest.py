"""Shared fixtures: a catalog in a temporary folder, the seed, the export when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalog.settings import SEED_DOCUMENT, Settings
from catalog.store import Catalog

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
EXPORT = SHARED / "data" / "pwc-methods-2025-03.json"

# Servers under test load PyTorch on their first demo, not at start-up; one test turns warming on.
os.environ.setdefault("CATALOG_DEMO_WARM", "false")


def make_catalog(folder: Path, *documents: Path) -> Catalog:
    catalog = Catalog(Settings(CATALOG_DATA_DIR=folder))
    catalog.migrate()
    if documents:
        catalog.ingest(documents)
    return catalog


@pytest.fixture
def empty_catalog(tmp_path: Path) -> Catalog:
    return make_catalog(tmp_path / "data")


@pytest.fixture
def seed_catalog(tmp_path: Path) -> Catalog:
    return make_catalog(tmp_path / "data", SEED_DOCUMENT)


@pytest.fixture(scope="session")
def export_path() -> Path:
    if not EXPORT.exists():
        pytest.skip(f"the Papers with Code export is not at {EXPORT}")
    return EXPORT


@pytest.fixture(scope="session")
def full_catalog(tmp_path_factory: pytest.TempPathFactory, export_path: Path) -> Catalog:
    """The seed, then the export: read-only for the tests that share it."""
    return make_catalog(tmp_path_factory.mktemp("full"), SEED_DOCUMENT, export_path)
