"""A real `serve --workers 2` under Locust load: no errors, no 5xx but the demo's documented ones, flat memory.

A short version of `bench/load.py`: 10 s at 1, 8 and 32 readers, then 8 readers
while 8 clients storm the demo endpoint. Nothing here reads a clock: latency
figures are printed (run with -s), never asserted, because on a shared machine
they measure the neighbours as much as the catalog.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.settings import SEED_DOCUMENT
from tests.conftest import EXPORT, make_catalog
from tests.load.harness import MIB, LoadReport, measure, table
from tests.load.server import serve

pytestmark = pytest.mark.slow

LEVELS = [1, 8, 32]
SECONDS = 10.0
STORM_CLIENTS = 8
# The supervisor and two workers hold about 600 MiB once torch is imported for the first demo;
# growth past this across the runs, after a warm-up at the highest level, is a leak.
RSS_GROWTH_BOUND = 96 * MIB


@pytest.fixture(scope="module")
def data_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and the export when it is there (the shared read-only catalog); the seed alone otherwise."""
    if EXPORT.exists():
        return request.getfixturevalue("full_catalog").settings.data_dir
    return make_catalog(tmp_path_factory.mktemp("load") / "data", SEED_DOCUMENT).settings.data_dir


@pytest.fixture(scope="module")
def loaded(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[LoadReport, str]:
    log = tmp_path_factory.mktemp("load-log") / "serve.log"
    with serve(data_dir, workers=2, log_path=log) as server:
        report = measure(server, LEVELS, SECONDS, STORM_CLIENTS, storm_level=8, warmup_seconds=SECONDS)
        # read before stopping: demos cut short by the shutdown are not failures under load
        text = log.read_text(errors="replace")
    print("\n" + table(report))
    return report, text


def test_every_request_answered_without_error(loaded: tuple[LoadReport, str]) -> None:
    report, log = loaded
    for run in report.runs:
        label = f"{run['clients']} readers, {run['demo_clients']} demo clients"
        assert run["failures"] == 0, f"{label}: {run['failures']} failed requests: {run['errors']}"
        assert set(run["reader_statuses"]) == {"200"}, f"{label}: reader answers {run['reader_statuses']}"
        assert run["by_name"]["reads"]["requests"] > 0, f"{label}: no request was answered in {SECONDS:g} s"
    assert "Traceback" not in log, f"the server logged an exception under load:\n{log[-3000:]}"


def test_demo_storm_answers_only_documented_statuses(loaded: tuple[LoadReport, str]) -> None:
    report, _ = loaded
    assert report.storm is not None, "the storm did not run"
    statuses = report.storm["demo_statuses"]
    assert sum(statuses.values()) > 0, "no demo was answered during the storm"
    assert set(statuses) <= {"200", "503", "504"}, f"demo answers beyond 200/503/504: {statuses}"


def test_memory_stays_flat(loaded: tuple[LoadReport, str]) -> None:
    report, log = loaded
    assert report.before.server_pids == report.after.server_pids, (
        f"a server process was replaced under load ({report.before.server_pids} -> "
        f"{report.after.server_pids}), which would also hide its memory:\n{log[-3000:]}"
    )
    samples = ", ".join(f"{sample.server / MIB:.0f}" for sample in report.memory)
    assert report.growth() <= RSS_GROWTH_BOUND, (
        f"server RSS grew by {report.growth() / MIB:.1f} MiB across the levels "
        f"(bound {RSS_GROWTH_BOUND / MIB:.0f} MiB); samples in MiB: {samples}"
    )
