"""Search sits behind one interface: a registry of backends, Whoosh reached through one module.

The contract tests run against every backend: Whoosh in a temporary folder,
PostgreSQL in a migrated database of its own (skipped when no server answers,
failing in CI).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from catalog.db import migrate
from catalog.search import BACKENDS, SearchBackend, open_backend
from catalog.search.whoosh_backend import WhooshBackend
from catalog.settings import PROJECT_ROOT, Settings, describe
from tests.postgres_databases import database, postgres_settings

DOCUMENT = {
    "slug": "ghost-module",
    "name": "Ghost Module",
    "full_name": "Ghost Module",
    "aliases": "GhostNet Ghost Module",
    "labels": "Ghost Module\nGhostNet Ghost Module\n-dash led",
    "exact": "ghostmodule",
    "initials": "gm",
    "popularity": 3,
    "description": "Ghost Module makes more feature maps from cheap linear operations.",
    "collection": "",
    "area": "",
    "collection_names": "",
    "has_implementation": "true",
    "implementation_status": "runnable",
    "kind": "layer",
}


@pytest.fixture(params=sorted(BACKENDS))
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings naming each backend in turn, over an empty catalog."""
    if request.param == "whoosh":
        yield Settings(CATALOG_DATA_DIR=tmp_path)
        return
    with database() as url:
        chosen = postgres_settings(tmp_path, url)
        migrate(chosen)
        yield chosen


def test_the_setting_names_a_registered_backend(settings):
    assert set(BACKENDS) == {"whoosh", "postgres"}, f"backends: {sorted(BACKENDS)}"
    backend = open_backend(settings)
    kind = {"whoosh": WhooshBackend.__name__, "postgres": "PostgresBackend"}[settings.search_backend]
    assert type(backend).__name__ == kind, f"{settings.search_backend} opened {type(backend).__name__}"
    wanted = {name for name in vars(SearchBackend) if not name.startswith("_")}
    missing = {name for name in wanted if not callable(getattr(backend, name, None))}
    assert not missing, f"the {settings.search_backend} backend lacks {sorted(missing)}"
    backend.close()


def test_the_postgres_backend_on_sqlite_is_a_one_line_error(tmp_path):
    with pytest.raises(ValidationError) as raised:
        Settings(CATALOG_DATA_DIR=tmp_path, CATALOG_SEARCH_BACKEND="postgres")
    message = describe(raised.value)
    assert "\n" not in message and "DATABASE_URL" in message and "PostgreSQL" in message, message


def test_only_the_search_package_imports_whoosh():
    imports = re.compile(r"^\s*(from|import) whoosh\b", re.M)
    outside, public = [], []
    for path in PROJECT_ROOT.glob("**/*.py"):
        relative = path.relative_to(PROJECT_ROOT)
        if relative.parts[0] in (".venv", "tests") or not imports.search(path.read_text(encoding="utf-8")):
            continue
        if relative.parts[:2] != ("catalog", "search"):
            outside.append(str(relative))
        elif not (path.name.startswith("_") or path.name == "whoosh_backend.py"):
            public.append(path.name)
    assert not outside, f"Whoosh imported outside catalog/search: {outside}"
    assert not public, f"public search modules that import Whoosh: {public}"


def test_the_index_records_its_catalog_version_and_completes_from_stored_names(settings):
    backend = open_backend(settings)
    assert (backend.ready(), backend.version(), backend.count()) == (False, None, 0), (
        "an empty catalog has an index"
    )
    backend.rebuild([DOCUMENT], version=7)
    assert (backend.ready(), backend.version()) == (True, 7), f"after a rebuild: version {backend.version()}"
    staged = backend.stage([{**DOCUMENT, "slug": "other", "name": "Other"}], version=8)
    assert backend.contents() == {"ghost-module": "Ghost Module"}, (
        "a staged index became visible before publish"
    )
    staged.discard()
    backend.update([{**DOCUMENT, "name": "Ghost Module v2"}], removed=(), version=9)
    assert backend.version() == 9 and backend.contents() == {"ghost-module": "Ghost Module v2"}, "the update"
    labels = [c.label for c in backend.suggest("ghost", 8)]
    assert labels == ["Ghost Module"], f"completion: {labels}"
    assert backend.suggest("ghostnet", 8)[0].label == "GhostNet Ghost Module", "aliases complete too"
    assert backend.suggest("-dash", 8) == [], "a dash-led alias is offered"
    assert backend.search("ghost module").hits[0]["slug"] == "ghost-module", "search through the interface"
    backend.close()
