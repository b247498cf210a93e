"""Every setting is documented in the README, validated at start, and said in one line when wrong."""

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.settings import PROJECT_ROOT, Settings
from methods.demo import DemoExecutor


def test_every_setting_is_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert field.alias and f"`{field.alias}`" in readme, (
            f"setting {name} ({field.alias}) is not in the README"
        )
        assert field.description, f"setting {name} has no help text"


def test_the_data_folder_is_absolute_from_the_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings(CATALOG_DATA_DIR="relative/data")
    assert settings.data_dir == tmp_path / "relative" / "data", f"data folder {settings.data_dir}"
    monkeypatch.chdir(PROJECT_ROOT)
    assert settings.index_dir.is_relative_to(tmp_path), "a change of directory moved the index"


def test_the_demo_time_limit_has_one_default():
    executor_default = inspect.signature(DemoExecutor).parameters["timeout_s"].default
    assert Settings().demo_timeout_s == executor_default, (
        f"settings say {Settings().demo_timeout_s} s, the demo executor {executor_default} s"
    )


def start(code: list[str], tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CATALOG_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(PROJECT_ROOT),
        **variables,
    }
    return subprocess.run([sys.executable, *code], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CATALOG_DEMO_TIMEOUT_S", "-1"),
        ("CATALOG_DEMO_QUEUE_SIZE", "many"),
        ("CATALOG_SEARCH_BACKEND", "solr"),
    ],
)
def test_an_invalid_setting_stops_the_command_line_and_the_server_in_one_line(tmp_path, variable, value):
    for name, code in (
        ("the command line", ["-m", "catalog.cli", "migrate"]),
        ("the server", ["-c", "from app.main import create_app; create_app()"]),
    ):
        result = start(code, tmp_path, **{variable: value})
        assert result.returncode != 0, f"{name} started with {variable}={value}"
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, (
            f"{name} said more than one line:\n{result.stderr}"
        )
        assert variable in lines[0] and lines[0].startswith("error: "), (
            f"{name} did not name {variable}: {lines[0]}"
        )
