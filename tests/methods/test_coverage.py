"""How much of the catalog runs: every entry names a real catalog method (every seed method having
one is `tests/methods/test_registry.py`'s check), the not-applicable list is
honest, the coverage floors hold, and building and running the entries never touches the network.

A catalog method is runnable when an entry's `method` (its first name) is the method's exact name.
The most-used methods are those of the seed and the Papers with Code export ranked by the export's
`num_papers` (ties by name). `bench/coverage.py` prints the same figures with these helpers.
"""

from __future__ import annotations

import json
import socket
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import torch

from catalog.settings import SEED_DOCUMENT
from catalog.text_format import parse_text
from methods import registry
from methods.not_applicable import NOT_APPLICABLE
from methods.outputs import run_optimizer
from tests.conftest import EXPORT

MIN_RUNNABLE = 250
TOP = 200
MIN_TOP_RUNNABLE = 130


@cache
def seed_methods() -> frozenset[str]:
    """The seed document's method names."""
    document = parse_text(SEED_DOCUMENT.read_text(encoding="utf-8"), str(SEED_DOCUMENT))
    return frozenset(entry.name for entry in document.entries)


@cache
def export_records(path: Path = EXPORT) -> tuple[tuple[str, int], ...]:
    """(name, num_papers) of every export method, most used first (ties by name)."""
    records = json.loads(path.read_text(encoding="utf-8"))
    ranked = sorted((r["name"], int(r.get("num_papers") or 0)) for r in records)
    return tuple(sorted(ranked, key=lambda r: -r[1]))


def catalog_methods(path: Path | None = EXPORT) -> frozenset[str]:
    """The names of seed + export methods (the seed alone when `path` is None)."""
    return seed_methods() | ({name for name, _ in export_records(path)} if path else frozenset())


def top_methods(n: int, path: Path = EXPORT) -> list[str]:
    """The n most-used methods of seed + export; seed methods absent from the export count zero papers."""
    ranked = list(export_records(path))
    known = {name for name, _ in ranked}
    ranked += sorted((name, 0) for name in seed_methods() - known)
    return [name for name, _ in ranked[:n]]


def runnable_methods() -> frozenset[str]:
    """The catalog names some entry implements."""
    return frozenset(entry.method for entry in registry)


def test_every_entry_implements_a_catalog_method_by_its_exact_name(export_path):
    names = catalog_methods(export_path)
    unknown = {e.id: e.method for e in registry if e.method not in names}
    assert not unknown, f"entries whose first name is no catalog method's exact name: {unknown}"


def test_no_two_entries_claim_one_method_unless_one_is_an_alternative():
    claims = Counter(e.method for e in registry if not e.alternative)
    shared = sorted(name for name, count in claims.items() if count > 1)
    assert not shared, f"methods claimed by more than one primary entry: {shared}"
    orphans = [e.id for e in registry if e.alternative and claims[e.method] == 0]
    assert not orphans, f"alternatives of methods no primary entry implements: {orphans}"


def test_not_applicable_names_real_methods_with_reasons_and_none_that_runs(export_path):
    names = catalog_methods(export_path)
    unknown = sorted(set(NOT_APPLICABLE) - names)
    assert not unknown, f"not-applicable names that are no catalog method: {unknown}"
    empty = sorted(name for name, reason in NOT_APPLICABLE.items() if len(reason.strip()) < 20)
    assert not empty, f"not-applicable entries without a real reason: {empty}"
    both = sorted(set(NOT_APPLICABLE) & runnable_methods())
    assert not both, f"methods both runnable and declared not applicable: {both}"


def test_coverage_floors(export_path):
    runnable = runnable_methods()
    top = top_methods(TOP, export_path)
    assert len(runnable) >= MIN_RUNNABLE, (
        f"{len(runnable)} runnable catalog methods, the floor is {MIN_RUNNABLE}"
    )
    top_runnable = [name for name in top if name in runnable]
    assert len(top_runnable) >= MIN_TOP_RUNNABLE, (
        f"{len(top_runnable)} of the {TOP} most-used methods run, the floor is {MIN_TOP_RUNNABLE}"
    )
    neither = [name for name in top if name not in runnable and name not in NOT_APPLICABLE]
    assert not neither, f"most-used methods neither runnable nor declared not applicable: {neither}"


@pytest.fixture
def no_network(monkeypatch):
    """Make every connection attempt and name lookup fail loudly, and record it."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(f"{what}{args[1:] if what == 'connect' else args}")
            raise OSError(f"network access attempted: {what}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    return attempts


def test_building_and_running_every_entry_attempts_no_network_access(no_network):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    failures = {}
    try:
        for entry in registry:
            try:
                torch.manual_seed(0)
                inputs = entry.example_inputs()
                if entry.kind == "optimizer":
                    weight = inputs["weight"] if "weight" in inputs else next(iter(inputs.values()))
                    run_optimizer(entry, weight, steps=1)
                else:
                    entry.build()(**inputs)
            except OSError as error:
                failures[entry.id] = str(error)
    finally:
        torch.set_num_threads(threads)
    assert not no_network and not failures, (
        f"network access while building or running: {failures or no_network}"
    )
