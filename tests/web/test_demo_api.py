"""The live shape demo over HTTP: results, clear 422s, limits, and no torch until the first demo."""

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from catalog.settings import Settings


def test_demo_runs_and_reports_shapes(client):
    response = client.post("/api/v1/methods/sigmoid-linear-unit/demo", json={"inputs": {"x": [2, 8, 4, 4]}})
    body = response.json()
    assert response.status_code == 200, body
    assert body["device"] == "cpu" and body["dtype"] == "float32", body
    assert body["outputs"][0]["shape"] == [2, 8, 4, 4], body["outputs"]
    assert body["trace"][0]["path"] == "(root)" and body["trace"][0]["outputs"] == [[2, 8, 4, 4]], body[
        "trace"
    ]
    assert {"flops", "uncounted_ops", "latency_ms", "params_total", "peak_memory_bytes"} <= set(body)
    assert body["latency_p10_ms"] <= body["latency_ms"] <= body["latency_p90_ms"], "median within p10-p90"
    assert body["latency_runs"] >= 5, f"a spread needs several runs, got {body['latency_runs']}"


def test_trace_rows_name_their_parent_so_a_page_can_draw_a_tree(client):
    body = client.post("/api/v1/methods/bottleneck-attention-module/demo", json={}).json()
    rows = body["trace"]
    assert rows[0]["parent"] is None and rows[0]["parent_row"] is None, f"root row {rows[0]}"
    for i, row in enumerate(rows[1:], 1):
        parent = rows[row["parent_row"]]
        assert row["parent_row"] < i and parent["path"] == row["parent"], f"row {i}: {row} under {parent}"
        assert row["depth"] == parent["depth"] + 1, f"row {i} depth {row['depth']} under {parent['depth']}"
        assert {"path", "type", "outputs", "params", "flops"} <= set(row), f"row {i} lacks fields: {row}"


def test_elementwise_only_demos_say_flops_are_not_counted(client):
    body = client.post("/api/v1/methods/evolved-sign-momentum/demo", json={}).json()
    assert body["flops"]["total"] is None, f"Lion runs elementwise operators only: {body['flops']}"
    assert "not counted" in body["flops"]["note"] and body["uncounted_ops"], body["flops"]


def test_demo_status_says_whether_the_worker_is_ready(client):
    client.post("/api/v1/methods/sigmoid-linear-unit/demo", json={})
    status = client.get("/api/v1/demo/status").json()
    assert status["ready"] is True and status["loading"] is False, status
    assert status["memory_budget_mb"] == 2048 and status["lanes"]["cpu"]["pending"] == 0, status


def test_demo_of_a_module_with_hyperparameters(client):
    body = client.post(
        "/api/v1/methods/bam/demo".replace("bam", "bottleneck-attention-module"),
        json={"params": {"channels": 16, "reduction": 4}, "inputs": {"x": [2, 16, 8, 8]}},
    ).json()
    assert body["params"]["reduction"] == 4 and body["outputs"][0]["shape"] == [2, 16, 8, 8], body
    assert body["params_total"] > 0 and len(body["trace"]) > 3, "a block traces its submodules"


def test_a_shape_sets_the_hyperparameter_it_sizes(client):
    body = client.post(
        "/api/v1/methods/bottleneck-attention-module/demo", json={"inputs": {"x": [2, 64, 8, 8]}}
    )
    result = body.json()
    assert body.status_code == 200, f"{body.status_code} {body.text[:300]}"
    assert result["params"]["channels"] == 64, f"channels follow x's dimension 1: {result['params']}"
    assert result["outputs"][0]["shape"] == [2, 64, 8, 8], result["outputs"]


def test_optimizer_demo_returns_losses(client):
    body = client.post("/api/v1/methods/evolved-sign-momentum/demo", json={}).json()
    assert len(body["losses"]) == 10 and body["losses"][-1] < body["losses"][0], body.get("losses")


@pytest.mark.parametrize(
    "payload, field, words",
    [
        ({"inputs": {"x": [4096, 4096, 4096, 4]}}, "inputs.x", "cap"),
        ({"inputs": {"y": [2, 3]}}, "inputs.y", "unknown input"),
        ({"inputs": {"x": [2, 0, 3, 3]}}, "inputs.x", "positive"),
        ({"inputs": {"x": [2, 8]}}, "inputs.x", "rank"),
        ({"params": {"nope": 1}}, "params.nope", "xtra"),
        ({"device": "tpu"}, "device", ""),
        ({"inputs": {"x": [2.5, 3]}}, "inputs.x", ""),
        ({"surprise": True}, "surprise", ""),
    ],
)
def test_bad_demo_requests_get_422_naming_the_field(client, payload, field, words):
    response = client.post("/api/v1/methods/sigmoid-linear-unit/demo", json=payload)
    body = response.json()
    assert response.status_code == 422, f"{payload}: {response.status_code} {body}"
    fields = [e["field"] for e in body["errors"]]
    assert any(f.startswith(field) for f in fields), f"{payload}: error fields {fields}"
    assert words in body["error"] + " ".join(e["message"] for e in body["errors"]), body


def test_out_of_bounds_hyperparameter_names_the_bound(client):
    body = client.post(
        "/api/v1/methods/bottleneck-attention-module/demo", json={"params": {"reduction": 0}}
    ).json()
    assert body["status"] == 422 and body["errors"][0]["field"] == "params.reduction", body
    assert "greater than or equal to 1" in body["errors"][0]["message"], body


def test_cuda_without_a_gpu_is_a_clear_422(client):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    body = client.post("/api/v1/methods/sigmoid-linear-unit/demo", json={"device": "cuda"}).json()
    assert body["status"] == 422 and "CUDA" in body["error"], body


def test_method_without_implementation_is_404(client):
    response = client.post("/api/v1/methods/script-layer/demo", json={})
    assert response.status_code == 404 and "no implementation" in response.json()["error"], response.text


def test_a_demo_past_its_time_limit_answers_504_and_the_server_stays_healthy(seed_catalog):
    settings = Settings(CATALOG_DATA_DIR=seed_catalog.settings.data_dir, CATALOG_DEMO_TIMEOUT_S=0.05)
    with TestClient(create_app(settings)) as client:
        client.app.state.demo_executor.warm("cpu")
        response = client.post("/api/v1/methods/hifi-gan/demo", json={})
        assert response.status_code == 504, f"{response.status_code}: {response.text[:300]}"
        assert "limit" in response.json()["error"]
        assert client.get("/healthz").json()["ok"] is True, "the server answers after a timeout"
        lane = client.get("/api/v1/demo/status").json()["lanes"]["cpu"]
        assert lane["restarts"] == 1, f"the timed-out worker should be replaced: {lane}"


def test_browsing_and_search_never_import_torch(seed_catalog):
    script = f"""
import sys
from fastapi.testclient import TestClient
from app.main import create_app
from catalog.settings import Settings
with TestClient(create_app(Settings(CATALOG_DATA_DIR={str(seed_catalog.settings.data_dir)!r}))) as c:
    for url in ["/", "/search?q=attention", "/methods/ghost-module", "/api/v1/methods/ghost-module",
                "/api/v1/search?q=lion&max_params=100", "/api/v1/suggest?q=gh", "/collections"]:
        assert c.get(url).status_code == 200, url
print("torch" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-1500:]
    assert result.stdout.strip() == "False", "browsing or search imported torch"
