"""A real server over a temporary catalog and Debian's Chromium driven by Playwright.

The browser is `/usr/bin/chromium` (never a downloaded one). Where it is missing
the tests skip, except in CI (`CI` set), where they fail.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from catalog.settings import SEED_DOCUMENT
from tests.conftest import EXPORT, make_catalog

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

HOSTILE = (
    "Hostile\n"
    "Script Layer is a layer <script>window.__pwned=1</script> <img src=x onerror=window.__pwned=2>.\n"
)


def _collection(name: str, collection: str, area: str) -> dict:
    """A Papers with Code record without a description: it merges into the seed's method of that name."""
    return {
        "url": "https://paperswithcode.com/method/" + name.lower().replace(" ", "-"),
        "name": name,
        "full_name": name,
        "description": "",
        "collections": [{"collection": collection, "area_id": area.lower().replace(" ", "-"), "area": area}],
    }


COLLECTIONS = [
    _collection("Bottleneck Attention Module", "Attention Modules", "General"),
    _collection("Coordinate attention", "Attention Modules", "General"),
    _collection("Sigmoid Linear Unit", "Activation Functions", "General"),
    _collection("Ghost Module", "Image Model Blocks", "Computer Vision"),
    _collection("N-step Returns", "Value Function Estimation", "Reinforcement Learning"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(data_dir: Path, log_path: Path, **env: str) -> Iterator[str]:
    """`method-catalog serve` over `data_dir` on a free port, until the block ends; yields its base URL."""
    port = _free_port()
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog.cli", "serve", "--port", str(port)],
        env={**os.environ, "CATALOG_DATA_DIR": str(data_dir), **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = log_path.read_text(errors="replace")[-2000:]
                raise AssertionError(f"the server did not answer /healthz: {output}") from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed, a hostile document and a few collections, served by uvicorn on a free port."""
    folder = tmp_path_factory.mktemp("browser")
    hostile, collections = folder / "hostile.txt", folder / "collections.json"
    hostile.write_text(HOSTILE, encoding="utf-8")
    collections.write_text(json.dumps(COLLECTIONS), encoding="utf-8")
    catalog = make_catalog(folder / "data", SEED_DOCUMENT, hostile, collections)
    with serving(catalog.settings.data_dir, folder / "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def full_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed and the Papers with Code export (skipped without it), served by uvicorn."""
    if not EXPORT.exists():
        pytest.skip(f"the Papers with Code export is not at {EXPORT}")
    folder = tmp_path_factory.mktemp("browser-full")
    catalog = make_catalog(folder / "data", SEED_DOCUMENT, EXPORT)
    with serving(catalog.settings.data_dir, folder / "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A Playwright page that records console errors, uncaught exceptions and every URL it requested."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: str):  # type: ignore[no-untyped-def]
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return self.page

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def browse(browser, server) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield Page(context.new_page(), server)
    context.close()
