"""The index never silently disagrees with the database, whatever killed an ingest where.

Each case runs `method-catalog ingest` in a real subprocess that SIGKILLs
itself (or is SIGKILLed from outside while paused) at a named phase, then
checks that the next start (`ensure_index`) or the next ingest leaves the
index holding exactly the database's methods, slug for slug and name for
name, at the database's catalog version.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from catalog.db import session_scope
from catalog.ingest_phases import FAULT_VARIABLE, PHASES
from catalog.models import Method
from catalog.settings import PROJECT_ROOT, Settings
from catalog.state import advance
from catalog.store import SMALL_UPDATE, Catalog

AFTER_COMMIT = {("building the index", "small"), ("building the index", "rename"), ("swapping", "large")}
"""Where the database already holds the ingest and the index does not yet."""


BASE = "Base\nGhost Module\nGhost Module makes feature maps from cheap operations.\n"


def document(folder: Path, size: str) -> Path:
    """More methods (`small`, `large`), or the base document renaming its one method (`rename`)."""
    if size == "rename":
        path = folder / "base.txt"
        path.write_text(BASE.replace("Ghost Module", "Ghost Block"), encoding="utf-8")
        return path
    count = 3 if size == "small" else SMALL_UPDATE + 10
    path = folder / f"{size}.txt"
    lines = [f"Widget Variant {i} is a layer that folds feature maps number {i}." for i in range(count)]
    path.write_text("More widgets\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows(catalog: Catalog) -> dict[str, str]:
    with catalog.session() as session:
        return {m.slug: m.name for m in session.exec(select(Method))}


def assert_agree(catalog: Catalog, when: str) -> None:
    ok, details = catalog.readiness(repair=False)
    assert ok, f"{when}: not ready: {details}"
    indexed, stored = catalog.index.contents(), rows(catalog)
    assert indexed == stored, (
        f"{when}: index and database differ: only indexed {sorted(set(indexed) - set(stored))[:5]}, "
        f"only stored {sorted(set(stored) - set(indexed))[:5]}, names differ for "
        f"{sorted(s for s in set(stored) & set(indexed) if stored[s] != indexed[s])[:5]}"
    )


def ingest_killed(data: Path, path: Path, fault: str) -> None:
    env = {
        **os.environ,
        "CATALOG_DATA_DIR": str(data),
        FAULT_VARIABLE: fault,
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    command = [sys.executable, "-m", "catalog.cli", "ingest", str(path)]
    if not fault.endswith(":pause"):
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == -signal.SIGKILL, (
            f"the ingest was not killed at {fault!r}: exit {result.returncode}: {result.stderr[-600:]}"
        )
        return
    log = data.parent / "ingest.err"
    with log.open("w") as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
    deadline = time.monotonic() + 600
    while "paused at" not in log.read_text() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, f"the ingest ended instead of pausing: {log.read_text()[-600:]}"
    process.send_signal(signal.SIGKILL)
    assert process.wait(60) == -signal.SIGKILL, "the paused ingest survived SIGKILL"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog of one small document, its index current (built once: weighing implementations is slow)."""
    folder = tmp_path_factory.mktemp("base")
    catalog = Catalog(Settings(CATALOG_DATA_DIR=folder / "data"))
    catalog.migrate()
    seed = folder / "base.txt"
    seed.write_text(BASE, encoding="utf-8")
    catalog.ingest([seed])
    assert_agree(catalog, "before the fault")
    catalog.close()
    return folder / "data"


@pytest.fixture
def base(built: Path, tmp_path: Path) -> Path:
    """A copy of the built catalog for one test to break."""
    data = tmp_path / "data"
    shutil.copytree(built, data, symlinks=True)
    return data


CASES = [
    ("parsing", "small", "start"),
    ("resolving", "small", "start"),
    ("linking", "small", "ingest"),
    ("committing", "small", "start"),
    ("building the index", "small", "start"),
    ("building the index", "small", "ingest"),
    ("building the index", "rename", "start"),
    ("building the index", "large", "start"),
    ("committing", "large", "ingest"),
    ("swapping", "large", "start"),
    ("swapping:pause", "large", "ingest"),
]


def test_the_cases_cover_every_phase():
    assert {case[0].partition(":")[0] for case in CASES} == set(PHASES), "a phase has no crash test"


@pytest.mark.parametrize(("fault", "size", "recovery"), CASES, ids=[" / ".join(c) for c in CASES])
def test_a_killed_ingest_is_repaired_by_the_next_start_or_ingest(base, tmp_path, fault, size, recovery):
    path = document(tmp_path, size)
    ingest_killed(base, path, fault)
    catalog = Catalog(Settings(CATALOG_DATA_DIR=base))
    ok, details = catalog.readiness(repair=False)
    committed = (fault.partition(":")[0], size) in AFTER_COMMIT
    assert ok is not committed, f"readiness after a kill at {fault} ({size}): {details}"
    if recovery == "start":
        assert catalog.ensure_index() is committed, (
            f"start-up rebuilt {'too little' if committed else 'needlessly'}"
        )
    else:
        catalog.ingest([path])
    assert_agree(catalog, f"after a kill at {fault} ({size}) and the next {recovery}")
    added = 0 if size == "rename" else len(path.read_text().splitlines()) - 1
    expected = 1 + (added if committed or recovery == "ingest" else 0)
    assert len(rows(catalog)) == expected, f"the database holds {len(rows(catalog))} methods, not {expected}"
    if size == "rename" and committed:
        assert set(catalog.index.contents()) == {"ghost-block"}, (
            "the renamed method is not indexed by its slug"
        )
    catalog.close()


def test_readiness_reports_a_stale_index_and_the_check_repairs_it(tmp_path):
    catalog = Catalog(Settings(CATALOG_DATA_DIR=tmp_path / "data"))
    catalog.migrate()
    assert not catalog.readiness(repair=False)[0], "an empty folder without an index is ready"
    catalog.ensure_index()
    assert catalog.readiness(repair=False)[0], "a fresh index is not ready"
    with session_scope(catalog.engine) as session:
        advance(session)  # what a crash between commit and index update leaves behind
    ok, details = catalog.readiness(repair=True)
    assert not ok and not details["current"], f"a stale index reads as current: {details}"
    deadline = time.monotonic() + 120
    while not catalog.readiness(repair=False)[0] and time.monotonic() < deadline:
        time.sleep(0.1)
    ok, details = catalog.readiness(repair=False)
    assert ok and details["index_version"] == details["catalog_version"], f"not repaired: {details}"
    catalog.close()
