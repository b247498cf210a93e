"""Hostile HTTP against a real uvicorn, over raw sockets: slow, oversized and overlong requests."""

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
from tests.web.test_live_server import free_port

BODY_TIMEOUT_S = 1
DEMO = "/api/v1/methods/sigmoid-linear-unit/demo"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    catalog = make_catalog(tmp_path_factory.mktemp("live-hostile") / "data", SEED_DOCUMENT)
    port = free_port()
    env = {
        **os.environ,
        "CATALOG_DATA_DIR": str(catalog.settings.data_dir),
        "CATALOG_BODY_TIMEOUT_S": str(BODY_TIMEOUT_S),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            break
        except OSError:
            assert process.poll() is None, "the server exited"
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError("server did not answer /healthz within 120 s")
    yield port
    process.terminate()
    process.wait(timeout=20)


def exchange(port: int, request: bytes, body_parts: tuple[bytes, ...] = (), wait_s: float = 30) -> bytes:
    """Send `request`, then each of `body_parts`; read until the server closes or answers in full."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait_s) as s:
        s.sendall(request)
        for part in body_parts:
            try:
                s.sendall(part)
            except OSError:
                break
        received = b""
        try:
            while chunk := s.recv(65536):
                received += chunk
                head, _, body = received.partition(b"\r\n\r\n")
                length = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
                if length and len(body) >= int(length[0].split(b":")[1]):
                    break
        except TimeoutError:
            pytest.fail(f"no answer within {wait_s} s; got {received[:200]!r}")
        return received


def status_and_json(response: bytes) -> tuple[int, dict]:
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert b"application/json" in head.lower(), f"not JSON: {head[:300]!r}"
    return status, json.loads(body)


def test_a_client_sending_less_body_than_announced_is_let_go(server):
    request = (
        f"POST {DEMO} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    ).encode()
    status, body = status_and_json(exchange(server, request))
    assert status == 408 and body["status"] == 408, f"a stalled body: {status} {body}"


def test_a_chunked_body_without_length_over_the_limit_is_a_413(server):
    request = f"POST {DEMO} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"4000\r\n" + b" " * 0x4000 + b"\r\n"
    status, body = status_and_json(exchange(server, request.encode(), (chunk,) * 6 + (b"0\r\n\r\n",)))
    assert status == 413 and body["ok"] is False, f"a 96 KiB chunked body: {status} {body}"


def test_an_announced_body_over_the_limit_is_refused_before_it_is_read(server):
    request = f"POST {DEMO} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n"
    status, body = status_and_json(exchange(server, request.encode()))
    assert status == 413 and "larger than" in body["error"], f"a 10 MB announced body: {status} {body}"


@pytest.mark.parametrize("length", [70_000, 200_000])
def test_an_overlong_url_gets_the_error_shape(server, length):
    request = f"GET /api/v1/search?q={'x' * length} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    status, body = status_and_json(exchange(server, request.encode()))
    assert status in (414, 422) and set(body) == {"ok", "status", "error", "errors"}, f"{status} {body}"


def test_head_over_a_real_connection_has_no_body(server):
    request = b"HEAD /api/v1/methods/retrace HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    response = exchange(server, request)
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), f"HEAD: {head[:100]!r}"
    assert body == b"", f"HEAD sent a body: {body[:100]!r}"


def test_nul_in_a_real_request_is_refused(server):
    response = exchange(server, b"GET /api/v1/methods/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, body = status_and_json(response)
    assert status == 404 and body["status"] == 404, f"NUL in the path: {status} {body}"
