"""A real uvicorn server, started on a free port, serves a search end to end."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from catalog.settings import SEED_DOCUMENT
from tests.conftest import make_catalog


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    catalog = make_catalog(tmp_path / "data", SEED_DOCUMENT)
    port = free_port()
    env = {**os.environ, "CATALOG_DATA_DIR": str(catalog.settings.data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"server exited: {process.stdout.read().decode()[-2000:]}") from None
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError("server did not answer /healthz within 60 s")
    yield base
    process.terminate()
    process.wait(timeout=20)


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_live_server_searches_end_to_end(server):
    body = get_json(server + "/api/v1/search?q=retrace")
    assert body["data"][0]["slug"] == "retrace", f"hits: {[h['slug'] for h in body['data']]}"
    detail = get_json(server + "/api/v1/methods/retrace")
    assert detail["name"] == "Retrace" and detail["sources"][0]["line"] == 34
    with urllib.request.urlopen(server + "/search?q=ghost+module", timeout=10) as response:
        assert b'href="/methods/ghost-module"' in response.read(), "the HTML search finds Ghost Module"
