"""Readers of the build files (Makefile, Dockerfile, compose.yaml) that the deploy tests compare."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from catalog.settings import PROJECT_ROOT

MAKEFILE = PROJECT_ROOT / "Makefile"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
COMPOSE = PROJECT_ROOT / "compose.yaml"
CADDYFILE = PROJECT_ROOT / "deploy" / "Caddyfile"
ENTRYPOINT = PROJECT_ROOT / "deploy" / "entrypoint.sh"

# Options that change how pip works, not what it installs.
QUIET_OPTIONS = {"--quiet", "-q", "--no-cache-dir"}


def logical_lines(path: Path) -> list[str]:
    """The file's lines with backslash continuations joined."""
    return path.read_text(encoding="utf-8").replace("\\\n", " ").splitlines()


def makefile_default(name: str) -> str:
    for line in logical_lines(MAKEFILE):
        match = re.fullmatch(rf"{name}\s*\?=\s*(.*)", line.strip())
        if match:
            return match.group(1).strip()
    raise AssertionError(f"the Makefile sets no default for {name}")


def dockerfile_arg(name: str) -> str:
    for line in logical_lines(DOCKERFILE):
        match = re.fullmatch(rf"ARG\s+{name}=(.*)", line.strip())
        if match:
            return match.group(1).strip()
    raise AssertionError(f"the Dockerfile has no ARG {name} with a default")


def _normalized(command: str) -> list[str]:
    """A pip command's arguments with Make's and the shell's `$(X)`/`${X}` both written `{X}`."""
    command = re.sub(r"\$\(if \$\((\w+)\),([^)]*\)[^)]*)\)", r"\2", command)  # $(if $(X),--opt "$(X)")
    command = re.sub(r"\$[({](\w+)[)}]", r"{\1}", command)
    return [word for word in shlex.split(command) if word not in QUIET_OPTIONS]


def makefile_pip_installs() -> list[list[str]]:
    """The install recipe's `pip install` commands, in order, leaving out pip's own upgrade."""
    installs = []
    for line in logical_lines(MAKEFILE):
        if line.startswith("\t") and "/pip install" in line and "--upgrade pip" not in line:
            installs.append(_normalized(line.split("/pip install", 1)[1]))
    return installs


def dockerfile_pip_installs() -> list[list[str]]:
    installs = []
    for line in logical_lines(DOCKERFILE):
        if line.startswith("RUN ") and "pip install" in line:
            installs.append(_normalized(line.split("pip install", 1)[1]))
    return installs


def project_requirement(words: list[str]) -> tuple[str, set[str]]:
    """`-e ".[a,b]"` -> (".", {"a", "b"}): where the project is installed from, and its extras."""
    assert words and words[0] == "-e", f"the project is not installed editable: {words}"
    match = re.fullmatch(r"([^\[]+)(?:\[([\w,-]+)\])?", words[-1])
    assert match, f"no project requirement in {words}"
    return match.group(1), set(filter(None, (match.group(2) or "").split(",")))
