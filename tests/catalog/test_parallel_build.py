"""An index written by several processes holds, ranks and finds what one process writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalog.indexing import index_documents
from catalog.search import _parallel_build, _query
from catalog.search._document import whoosh_document
from catalog.search._generations import INDEX_NAME, Generations
from catalog.settings import PROJECT_ROOT
from tests.catalog.test_bulk_writer import _contents

QUERIES = [
    "ghost module",
    "residual connections",
    "attention",
    "normalisation",
    "batch norm",
    '"feature maps"',
    "convolution AND kernel",
    "gelu",
    "squeeze excitation",
    "collection:attention-mechanisms",
]


def explode_on_boom(document: dict) -> dict:
    """A preparation that fails on one document (module level: a worker process imports it)."""
    if document["name"] == "Boom":
        raise ValueError("cannot prepare Boom")
    return whoosh_document(document)


def slow_prepare(document: dict) -> dict:
    time.sleep(0.01)
    return whoosh_document(document)


def many_documents(count: int) -> list[dict]:
    return [
        {"slug": f"m-{i}", "name": f"Method {i}", "description": f"Layer number {i}."} for i in range(count)
    ]


@pytest.fixture
def documents(seed_catalog) -> list[dict]:
    with seed_catalog.session() as session:
        return list(index_documents(session))


def _generation(generations: Generations) -> Path:
    return generations.root / str(generations.live_generation())


def test_three_processes_write_what_one_process_writes(documents, tmp_path, monkeypatch):
    monkeypatch.setattr(_parallel_build, "MIN_SHARE", 10)
    one, three = Generations(tmp_path / "one", 1), Generations(tmp_path / "three", 3)
    one.rebuild(documents, 7, whoosh_document)
    three.rebuild(documents, 7, whoosh_document)
    with three.searcher() as searcher:
        segments = len(list(searcher.reader().leaf_readers()))
    assert segments == 3, f"{segments} segments written by three processes"
    written = _contents(_generation(three), INDEX_NAME)
    expected = _contents(_generation(one), INDEX_NAME)
    assert written.keys() == expected.keys() and written["terms"].keys() == expected["terms"].keys(), (
        "the two indexes hold different terms"
    )
    for key in ("terms", "lengths", "totals", "stored"):
        assert written[key] == expected[key], (
            f"the indexes written by one and by three processes differ in {key}"
        )
    for query in QUERIES:
        assert _query.search(three, query) == _query.search(one, query), f"{query!r} finds something else"
    for slug in ("ghost-module", documents[-1]["slug"]):
        assert _query.similar(three, slug) == _query.similar(one, slug), f"methods like {slug} differ"
    leftovers = sorted(
        p.name for p in _generation(three).iterdir() if p.name.startswith(".") or "tmp" in p.name
    )
    assert not leftovers, f"the build left {leftovers} in the generation"


def test_updates_in_place_change_both_indexes_alike(documents, tmp_path, monkeypatch):
    monkeypatch.setattr(_parallel_build, "MIN_SHARE", 10)
    one, three = Generations(tmp_path / "one", 1), Generations(tmp_path / "three", 3)
    renamed = {**documents[20], "name": "Quokka Attention", "description": "Quokka attention weighs quokkas."}
    for generations in (one, three):
        generations.rebuild(documents, 1, whoosh_document)
        generations.update([whoosh_document(renamed)], [documents[3]["slug"]], 2)
    assert three.version() == one.version() == 2, "the update did not record its version"
    for query in [*QUERIES, "quokka attention", "quokas", documents[3]["name"]]:
        assert _query.search(three, query) == _query.search(one, query), f"{query!r} finds something else"
    assert _query.search(three, "quokka").hits[0]["slug"] == renamed["slug"], (
        "the updated method is not found"
    )


def test_a_failing_worker_fails_the_build_and_leaves_the_live_index(documents, tmp_path, monkeypatch):
    monkeypatch.setattr(_parallel_build, "MIN_SHARE", 10)
    generations = Generations(tmp_path / "index", 2)
    generations.rebuild(documents, 1, whoosh_document)
    live = generations.live_generation()
    boom = [*documents, {**documents[0], "slug": "boom", "name": "Boom"}]
    with pytest.raises(_parallel_build.BuildError, match="cannot prepare Boom"):
        generations.rebuild(boom, 2, explode_on_boom)
    assert generations.live_generation() == live, "a failed build replaced the live generation"
    assert [p.name for p in generations.root.glob("gen-*")] == [live], (
        "the failed generation was left on disk"
    )
    assert _query.search(generations, "ghost module").count > 0, "the live index no longer answers"


def _workers(folder: Path) -> list[int]:
    """Live index worker processes writing under `folder` (zombies, reaped by nobody here, do not count)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        ours = b"catalog.search._parallel_build" in command and str(folder).encode() in b" ".join(command)
        if ours and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_worker_stops_when_the_process_that_started_it_is_killed(tmp_path):
    script = (
        "import sys\n"
        "from catalog.search import _parallel_build\n"
        "from catalog.search._generations import Generations\n"
        "from tests.catalog.test_parallel_build import many_documents, slow_prepare\n"
        "_parallel_build.MIN_SHARE = 1\n"
        "Generations(sys.argv[1], 2).rebuild(many_documents(2000), 1, slow_prepare)\n"
    )
    folder = tmp_path / "index"
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", script, str(folder)], cwd=PROJECT_ROOT, env=environment)
    try:
        deadline = time.monotonic() + 30
        while not _workers(folder):
            assert parent.poll() is None, (
                f"the build exited with {parent.returncode} before its worker started"
            )
            assert time.monotonic() < deadline, "no index worker started within 30 s"
            time.sleep(0.05)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while _workers(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _workers(folder), "the index worker kept running after the process that started it was killed"
