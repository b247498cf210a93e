"""`run_demo` on real entries: trace order and shapes, parameter counts, FLOPs, uncounted operators.

References: FLOPs of a Linear layer are 2·B·in·out (one multiply and one add
per weight and row, torch.utils.flop_counter's convention); parameter counts
are in·out + out per Linear; the optimizer's losses are recomputed with
`methods.outputs.toy_objective` and a hand-written SGD update w ← w − lr·∇f.
"""

import json
import math

import pytest
import torch
from pydantic import BaseModel, Field
from torch import nn

from methods import registry
from methods.demo import format_report, run_demo
from methods.outputs import toy_objective
from methods.registry import Registry
from methods.spec import InputError, MethodEntry, TensorSpec

HERE = "tests.methods.test_demo_runner"


class NetParams(BaseModel):
    model_config = {"extra": "forbid"}

    width: int = Field(8, ge=1, le=64, description="hidden width d")
    classes: int = Field(3, ge=1, le=16, description="number of classes K")


def tiny_net(width: int, classes: int) -> nn.Module:
    """Linear -> (Sigmoid -> Linear) -> Linear -> Softmax, with one nested Sequential."""
    return nn.Sequential(
        nn.Linear(4, width),
        nn.Sequential(nn.Sigmoid(), nn.Linear(width, width)),
        nn.Linear(width, classes),
        nn.Softmax(dim=-1),
    )


class LinearParams(BaseModel):
    model_config = {"extra": "forbid"}

    in_features: int = Field(6, ge=1, le=64, description="input width")
    out_features: int = Field(5, ge=1, le=64, description="output width")


class SGDParams(BaseModel):
    model_config = {"extra": "forbid"}

    lr: float = Field(0.1, gt=0, le=1.0, description="learning rate η")


class ScaleParams(BaseModel):
    model_config = {"extra": "forbid"}

    scale: float = Field(2.0, gt=0, le=10.0, description="output scale s")


def scaled_tanh(scale: float):
    """A plain function (not a module) returning s·tanh(x) and its sum."""

    def scaled_tanh(x: torch.Tensor):
        y = scale * torch.tanh(x)
        return y, y.sum()

    return scaled_tanh


class InputGradient(nn.Module):
    """∇ₓ ½‖x‖² = x, computed with autograd inside forward (needs gradients even in a demo)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(0.5 * (x**2).sum(), x)
        return grad


class Broken(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise RuntimeError("a bug in the implementation")


def entry(id, target, kind="module", params=None, inputs=(), **extra) -> MethodEntry:
    return MethodEntry(
        id=id,
        names=(id.replace("-", " ").title(),),
        kind=kind,
        paper="https://example.org/" + id,
        target=target,
        summary="Test entry.",
        inputs=inputs,
        **({"params": params} if params else {}),
        **extra,
    )


REGISTRY = Registry(
    [
        entry("tiny-net", f"{HERE}:tiny_net", params=NetParams, inputs=(TensorSpec("input", (2, 4)),)),
        entry("linear", "torch.nn:Linear", params=LinearParams, inputs=(TensorSpec("input", (3, 6)),)),
        entry("sgd", "torch.optim:SGD", "optimizer", SGDParams, (TensorSpec("weight", (4, 8)),)),
        entry("scaled-tanh", f"{HERE}:scaled_tanh", "function", ScaleParams, (TensorSpec("x", (5, 7)),)),
        entry("input-gradient", f"{HERE}:InputGradient", "function", inputs=(TensorSpec("x", (3, 4)),)),
        entry("broken", f"{HERE}:Broken", inputs=(TensorSpec("x", (3, 4)),)),
    ]
)


@pytest.fixture
def on(device):
    """The request's device field for the device under test."""
    return {"device": device.type}


def test_nested_model_trace_is_in_call_order_with_shapes_and_counts(on):
    result = run_demo(REGISTRY.get("tiny-net"), {**on, "params": {"width": 5}, "inputs": {"input": [7, 4]}})
    rows = [
        (r["path"], r["type"], r["depth"], r["inputs"], r["outputs"], r["params"]) for r in result["trace"]
    ]
    expected = [
        ("(root)", "Sequential", 0, [[7, 4]], [[7, 3]], 0),
        ("0", "Linear", 1, [[7, 4]], [[7, 5]], 4 * 5 + 5),
        ("1", "Sequential", 1, [[7, 5]], [[7, 5]], 0),
        ("1.0", "Sigmoid", 2, [[7, 5]], [[7, 5]], 0),
        ("1.1", "Linear", 2, [[7, 5]], [[7, 5]], 5 * 5 + 5),
        ("2", "Linear", 1, [[7, 5]], [[7, 3]], 5 * 3 + 3),
        ("3", "Softmax", 1, [[7, 3]], [[7, 3]], 0),
    ]
    assert rows == expected, f"trace rows {rows}"
    total = (4 * 5 + 5) + (5 * 5 + 5) + (5 * 3 + 3)
    assert result["trace"][0]["params_total"] == total, f"root params_total {result['trace'][0]}"
    assert result["trace"][2]["params_total"] == 30, f"nested Sequential params_total {result['trace'][2]}"
    assert (result["params_total"], result["params_trainable"]) == (total, total), "parameter totals"
    flops = 2 * 7 * (4 * 5 + 5 * 5 + 5 * 3)
    assert result["flops"]["total"] == flops, f"FLOPs {result['flops']} != 2·B·Σ in·out = {flops}"
    assert result["trace"][0]["flops"] == flops, "the root call's FLOPs should include all children"
    assert result["trace"][4]["flops"] == 2 * 7 * 5 * 5, f"FLOPs of 1.1 {result['trace'][4]}"
    assert result["uncounted_ops"] == ["aten.sigmoid", "aten._softmax"], (
        f"sigmoid and softmax run without a FLOP formula: {result['uncounted_ops']}"
    )
    assert result["outputs"][0]["shape"] == [7, 3], f"outputs {result['outputs']}"
    assert result["params"] == {"width": 5, "classes": 3}, f"effective hyperparameters {result['params']}"
    assert abs(result["outputs"][0]["stats"]["mean"] - 1 / 3) < 1e-6, "softmax rows should average 1/K"


def test_pure_linear_counts_two_flops_per_multiply_add_and_misses_nothing(on):
    result = run_demo(REGISTRY.get("linear"), {**on, "inputs": {"input": [9, 6]}})
    assert result["flops"]["total"] == 2 * 9 * 6 * 5, f"Linear FLOPs {result['flops']} != 2·B·in·out"
    assert result["flops"]["unit"] == "FLOPs (multiply-add = 2)", f"unit {result['flops']['unit']}"
    assert list(result["flops"]["by_operator"]) == ["aten.addmm"], f"by operator {result['flops']}"
    assert result["uncounted_ops"] == [], f"a pure Linear has no uncounted compute: {result['uncounted_ops']}"


def test_attention_is_counted_on_every_device(on):
    """B·H·S·S·D multiply-adds for QKᵀ and again for ·V, i.e. 4·B·H·S²·D FLOPs (the fused formula)."""
    attention = entry(
        "sdpa",
        f"{HERE}:attention",
        "function",
        inputs=tuple(TensorSpec(n, (2, 3, 5, 4)) for n in ("query", "key", "value")),
    )
    result = run_demo(attention, on)
    assert result["flops"]["total"] == 4 * 2 * 3 * 5 * 5 * 4, f"attention FLOPs {result['flops']}"
    if on["device"] == "cpu":
        assert result["uncounted_ops"] == [], f"fused CPU attention left uncounted: {result['uncounted_ops']}"


def attention():
    return torch.nn.functional.scaled_dot_product_attention


def test_silu_from_the_registry_reports_its_elementwise_ops(on):
    result = run_demo(registry.get("silu"), {**on, "inputs": {"x": [1, 2, 3, 4]}})
    assert result["trace"][0]["type"] == "SiLU", f"root row {result['trace'][0]}"
    assert result["outputs"][0]["shape"] == [1, 2, 3, 4], f"outputs {result['outputs']}"
    assert result["flops"]["total"] is None, "only elementwise operators ran: not counted, never 0"
    assert result["flops"]["note"].startswith("not counted"), f"the reason is given: {result['flops']}"
    assert set(result["uncounted_ops"]) == {"aten.sigmoid", "aten.mul"}, f"{result['uncounted_ops']}"
    assert result["trace"][0]["flops"] is None, f"the row says not counted too: {result['trace'][0]}"
    assert result["latency_ms"] > 0 and 5 <= result["latency_runs"] <= 30, "latency measured"
    assert result["latency_p10_ms"] <= result["latency_ms"] <= result["latency_p90_ms"], (
        f"the median lies within its spread: {result['latency_p10_ms']} {result['latency_ms']} "
        f"{result['latency_p90_ms']}"
    )
    if result["device"].startswith("cuda"):
        assert result["peak_memory_bytes"] >= 24 * 4 * 2, "peak memory should cover input and output"
        assert 24 * 4 <= result["added_memory_bytes"] <= result["peak_memory_bytes"], (
            f"the call allocates at least its output: {result['added_memory_bytes']}"
        )
    else:
        assert result["peak_memory_bytes"] > 10 * 2**20, f"the worker's resident peak: {result}"
        assert 0 <= result["added_memory_bytes"] <= result["peak_memory_bytes"], f"added: {result}"
        assert "resident" in result["peak_memory_note"], "the note says what is measured"
    json.dumps(result, allow_nan=False)


def test_optimizer_demo_reports_losses_of_real_sgd_steps(on):
    result = run_demo(REGISTRY.get("sgd"), {**on, "params": {"lr": 0.05}})
    weight = REGISTRY.get("sgd").example_inputs()["weight"].clone().requires_grad_(True)
    expected = []
    for _ in range(10):
        loss = toy_objective(weight)
        expected.append(float(loss.detach()))
        (grad,) = torch.autograd.grad(loss, weight)
        weight = (weight - 0.05 * grad).detach().requires_grad_(True)
    assert len(result["losses"]) == 10, f"losses {result['losses']}"
    assert all(math.isclose(a, b, rel_tol=1e-5) for a, b in zip(result["losses"], expected, strict=True)), (
        f"losses {result['losses']} != hand-written SGD {expected}"
    )
    assert result["trace"] == [] and result["outputs"] == [], "an optimizer has no forward trace"
    assert result["params_total"] == 32, f"optimized weight has 4·8 entries: {result['params_total']}"
    assert "one optimizer step" in result["latency_scope"], f"latency scope {result['latency_scope']}"


def test_function_demo_reports_outputs_with_stats(on):
    result = run_demo(REGISTRY.get("scaled-tanh"), {**on, "params": {"scale": 3.0}})
    names = [(o["name"], o["shape"]) for o in result["outputs"]]
    assert names == [("output0", [5, 7]), ("output1", [])], f"outputs {names}"
    x = REGISTRY.get("scaled-tanh").example_inputs()["x"]
    y = 3.0 * torch.tanh(x)
    stats = result["outputs"][0]["stats"]
    assert math.isclose(stats["max"], float(y.max()), rel_tol=1e-5), f"max {stats} vs {float(y.max())}"
    assert math.isclose(stats["std"], float(y.std(correction=0)), rel_tol=1e-4), f"std {stats}"
    assert result["trace"][0]["type"] == "scaled_tanh", f"a function's single row {result['trace']}"
    assert result["params_total"] == 0 and result["grad_enabled"], "functions run with gradients enabled"


def test_forward_that_needs_autograd_is_rerun_with_gradients(on):
    result = run_demo(REGISTRY.get("input-gradient"), on)
    x = REGISTRY.get("input-gradient").example_inputs()["x"]
    assert result["grad_enabled"], "the fallback to gradients was not taken"
    assert math.isclose(result["outputs"][0]["stats"]["mean"], float(x.mean()), rel_tol=1e-5), (
        "∇ₓ ½‖x‖² should equal x"
    )


def test_shape_errors_from_the_forward_become_input_errors(on):
    with pytest.raises(InputError) as caught:
        run_demo(REGISTRY.get("tiny-net"), {**on, "inputs": {"input": [2, 5]}})
    assert caught.value.field == "inputs", f"field {caught.value.field}"
    assert "shapes cannot be multiplied" in caught.value.message, f"message {caught.value.message}"
    assert "\n" not in caught.value.message, "the message should be one short line"


def test_bugs_with_default_inputs_are_not_blamed_on_the_caller(on):
    with pytest.raises(RuntimeError, match="a bug in the implementation") as caught:
        run_demo(REGISTRY.get("broken"), on)
    assert not isinstance(caught.value, InputError), "a bug under default inputs was reported as InputError"


def test_report_renders_trace_flops_and_losses():
    text = format_report(run_demo(REGISTRY.get("tiny-net"), {"device": "cpu"}))
    for words in ("Tiny Net (tiny-net, module) on cpu", "  1.1  Linear", "[2, 8]", "aten.sigmoid", "FLOPs:"):
        assert words in text, f"report lacks {words!r}:\n{text}"
    header = next(line for line in text.splitlines() if line.strip().startswith("module"))
    row = next(line for line in text.splitlines() if line.strip().startswith("(root)"))
    assert header.index("type") == row.index("Sequential"), f"table columns misaligned:\n{text}"
    text = format_report(run_demo(REGISTRY.get("sgd"), {"device": "cpu"}))
    assert "loss before each step:" in text and "   10  " in text, f"optimizer report:\n{text}"
