"""Real servers follow an ingest made through the command line: two replicas over one PostgreSQL database,
and `serve --workers 2` over one SQLite file and one shared index.

The 5-second bound is the feature's promise (a poll every second, then an
update in place), not a speed measurement.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from catalog.settings import PROJECT_ROOT, Settings
from catalog.store import Catalog
from tests.catalog.test_postgres import postgres_url  # noqa: F401  (a fixture)

pytestmark = pytest.mark.slow
FOLLOW_BOUND_S = 5.0
"""An ingest is searchable on every replica within this long of the ingest's end."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def document(folder: Path, name: str, *methods: str) -> Path:
    path = folder / f"{name}.txt"
    lines = [f"{method} is a layer that folds feature maps its own way." for method in methods]
    path.write_text(f"{name}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def environment(data: Path, database: str) -> dict[str, str]:
    return {
        **os.environ,
        "CATALOG_DATA_DIR": str(data),
        "DATABASE_URL": database,
        "PYTHONPATH": str(PROJECT_ROOT),
        "CATALOG_DEMO_WARM": "false",
    }


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def found(base: str, slug: str) -> bool:
    query = urllib.parse.urlencode({"q": slug.replace("-", " ")})
    with urllib.request.urlopen(f"{base}/api/v1/search?{query}", timeout=10) as response:
        return slug in {hit["slug"] for hit in json.load(response)["data"]}


@contextmanager
def server(data: Path, database: str, workers: int = 1) -> Iterator[tuple[str, list[str]]]:
    """A `method-catalog serve` process, ready; yields its base URL and, after SIGTERM, its output lines."""
    port = free_port()
    command = [sys.executable, "-m", "catalog.cli", "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(
        command, env=environment(data, database), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    output: list[str] = []
    try:
        began = time.monotonic()
        while True:
            try:
                answer = status(base + "/readyz")
            except OSError:
                answer = 0
            if answer == 200:
                break
            assert process.poll() is None, f"the server exited: {process.communicate()[0][-2000:]}"
            assert time.monotonic() - began < 120, f"the server was not ready in 120 s (last answer {answer})"
            time.sleep(0.2)
        yield base, output
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            text, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            text, _ = process.communicate()
        output.extend(text.splitlines())
        assert process.returncode in (0, -signal.SIGTERM), f"exit {process.returncode}: {text[-2000:]}"
        assert "Application shutdown complete." in text, f"the shutdown was not graceful: {text[-2000:]}"


def ingest(path: Path, data: Path, database: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "catalog.cli", "ingest", str(path)],
        env=environment(data, database),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"the ingest failed: {result.stderr[-2000:]}"


def wait_until_everywhere(bases: list[str], slug: str, began: float) -> float:
    """Seconds from `began` until every URL (asked 8 at a time, on fresh connections) finds `slug`."""
    with ThreadPoolExecutor(8) as pool:
        while True:
            answers = list(pool.map(lambda base: found(base, slug), bases * 8))
            waited = time.monotonic() - began
            if all(answers) or waited > 60:
                return waited
            time.sleep(0.1)


@pytest.mark.postgres
def test_two_replicas_on_one_postgres_database_show_an_ingest_within_5_s(postgres_url, tmp_path):  # noqa: F811
    prepare = Catalog(Settings(CATALOG_DATA_DIR=tmp_path / "prepare", DATABASE_URL=postgres_url))
    prepare.migrate()
    prepare.ingest([document(tmp_path, "Base", "Ripple Layer")])
    prepare.close()
    # each replica starts on an existing catalog with an empty data folder of its own
    with (
        server(tmp_path / "replica-1", postgres_url) as (first, _),
        server(tmp_path / "replica-2", postgres_url) as (second, _),
    ):
        for base in (first, second):
            assert found(base, "ripple-layer"), f"{base} was ready before its index held the catalog"
        ingest(document(tmp_path, "Base", "Ripple Layer", "Quiver Block"), tmp_path / "cli", postgres_url)
        waited = wait_until_everywhere([first, second], "quiver-block", time.monotonic())
        assert waited <= FOLLOW_BOUND_S, (
            f"the ingested method reached both replicas {waited:.1f} s after the ingest "
            f"(bound {FOLLOW_BOUND_S} s; first: {found(first, 'quiver-block')}, "
            f"second: {found(second, 'quiver-block')})"
        )


def test_two_workers_on_one_sqlite_file_show_an_ingest_within_5_s(tmp_path):
    data = tmp_path / "data"
    database = f"sqlite:///{data / 'catalog.db'}"
    data.mkdir()
    prepare = Catalog(Settings(CATALOG_DATA_DIR=tmp_path / "prepare", DATABASE_URL=database))
    prepare.migrate()
    prepare.ingest([document(tmp_path, "Base", "Ripple Layer")])
    prepare.close()
    # the data folder holds the database and no index: both workers start by building the one they share
    with server(data, database, workers=2) as (base, output):
        assert found(base, "ripple-layer"), "the workers were ready before their index held the catalog"
        # an ingest keeping its own index: the workers' followers update the shared one
        ingest(document(tmp_path, "Base", "Ripple Layer", "Quiver Block"), tmp_path / "cli", database)
        waited = wait_until_everywhere([base], "quiver-block", time.monotonic())
        assert waited <= FOLLOW_BOUND_S, (
            f"the ingested method reached every worker {waited:.1f} s after the ingest (bound {FOLLOW_BOUND_S} s)"
        )
        # an ingest into the workers' own data folder: it updates the shared index, the workers reopen it
        ingest(document(tmp_path, "Base", "Ripple Layer", "Quiver Block", "Tangle Unit"), data, database)
        waited = wait_until_everywhere([base], "tangle-unit", time.monotonic())
        assert waited <= FOLLOW_BOUND_S, (
            f"an ingest into the shared folder reached every worker after {waited:.1f} s (bound {FOLLOW_BOUND_S} s)"
        )
        with ThreadPoolExecutor(8) as pool:
            answers = list(
                pool.map(lambda _: found(base, "quiver-block") and found(base, "tangle-unit"), range(40))
            )
        assert all(answers), f"{answers.count(False)} of 40 requests did not find both ingested methods"
    builds = [line for line in output if "search index rebuilt" in line]
    assert not builds, f"a worker rebuilt the shared index it had built at start: {builds}"
    updates = [line for line in output if "search index updated in place" in line]
    assert len(updates) == 1 and "catalog version 2 " in updates[0], (
        f"the shared index should be updated once, by one worker, for the first ingest alone: {updates}"
    )
