"""Each torch internal the demo uses still exists and still behaves as the demo expects.

A torch upgrade that moves or changes one of them fails the test named for it,
and the last test keeps every other file of the project off torch's private names.
"""

import ast
from pathlib import Path

import pytest
import torch

from methods.demo import torch_compat

PROJECT = Path(__file__).resolve().parent.parent.parent
COMPAT = PROJECT / "methods" / "demo" / "torch_compat.py"


def test_torch_dispatch_mode_sees_every_operator():
    seen = []

    class Recorder(torch_compat.TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            seen.append(torch_compat.operator_name(func))
            return func(*args, **(kwargs or {}))

    with Recorder():
        torch.ones(2, 3) @ torch.ones(3, 4)
    assert "aten.mm" in seen, f"a dispatch mode should see aten.mm, saw {seen}"


def test_tree_leaves_flattens_nested_containers_in_order():
    a, b, c = torch.zeros(1), torch.zeros(2), torch.zeros(3)
    leaves = torch_compat.tree_leaves(((a, [b]), {"c": c}))
    assert [t.shape[0] for t in leaves] == [1, 2, 3], f"leaves out of order: {leaves}"


def test_overload_packet_is_the_formula_registry_key():
    packet = torch_compat.overload_packet(torch.ops.aten.mm.default)
    assert packet is torch.ops.aten.mm, f"the overload packet of aten.mm.default is {packet!r}"
    assert packet in torch_compat.flop_formulas(), "aten.mm has a FLOP formula"


def test_operator_name_is_the_packet_name():
    name = torch_compat.operator_name(torch.ops.aten.addmm.default)
    assert name == "aten.addmm", f"operator name {name!r}"


def test_is_view_tells_views_from_computations():
    assert torch_compat.is_view(torch.ops.aten.view.default), "aten.view is a view"
    assert not torch_compat.is_view(torch.ops.aten.mul.Tensor), "aten.mul is not a view"


def test_decompose_runs_a_composite_operator_as_its_parts():
    x = torch.randn(3, 4)
    out = torch_compat.decompose(torch.ops.aten.linear.default, (x, torch.eye(4)), {})
    assert out is not NotImplemented and torch.allclose(out, x), "linear decomposes into a matmul"
    nothing = torch_compat.decompose(torch.ops.aten.mm.default, (x, torch.eye(4)), {})
    assert nothing is NotImplemented, "a primitive operator has no decomposition"


def test_flop_formulas_follow_the_multiply_add_is_two_convention():
    formula = torch_compat.flop_formulas()[torch.ops.aten.mm]
    a, b = torch.ones(5, 6), torch.ones(6, 7)
    flops = formula(a, b, out_val=a @ b)
    assert flops == 2 * 5 * 6 * 7, f"mm FLOPs {flops} != 2·m·k·n"


def test_cpu_flash_attention_is_the_operator_cpu_attention_runs_as():
    seen = []

    class Recorder(torch_compat.TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            seen.append(torch_compat.overload_packet(func))
            return func(*args, **(kwargs or {}))

    q = torch.randn(1, 2, 4, 8)
    with Recorder():
        torch.nn.functional.scaled_dot_product_attention(q, q, q)
    operator = torch_compat.cpu_flash_attention()
    assert operator in seen, f"CPU attention ran as {seen}, not {operator}"
    formula = torch_compat.flop_formulas()[operator]
    out = torch.nn.functional.scaled_dot_product_attention(q, q, q)
    assert formula(q, q, q, out_val=(out,)) == 2 * 2 * (1 * 2 * 4 * 4 * 8), "QKᵀ and ·V, 2 FLOPs a MAC"


def test_fake_tensor_mode_allocates_nothing_and_mixes_with_real_parameters():
    layer = torch.nn.Linear(8, 4)
    with torch_compat.FakeTensorMode(allow_non_fake_inputs=True):
        x = torch.empty(2**40 // 8, 8)  # 8 TiB of float32, as metadata only
        y = layer(x)
    assert tuple(y.shape) == (2**40 // 8, 4), f"shape propagated through a real layer: {y.shape}"


def test_untraceable_covers_value_dependent_shapes():
    with torch_compat.FakeTensorMode(), pytest.raises(torch_compat.UNTRACEABLE):
        torch.ones(3).sum().item()


def test_fake_tensor_logger_is_the_one_fake_tensors_log_to():
    import logging

    assert torch_compat.FAKE_TENSOR_LOGGER in logging.root.manager.loggerDict, (
        f"no logger {torch_compat.FAKE_TENSOR_LOGGER!r}; fake tensors log elsewhere now"
    )


def _private_torch_names(path: Path) -> list[str]:
    """`torch…_x` names imported or read in `path` (dunder names aside)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("torch"):
            dotted = [node.module, *(a.name for a in node.names)]
        elif isinstance(node, ast.Import):
            dotted = [a.name for a in node.names if a.name.startswith("torch")]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            names = {"torch", "nn", "F", "func"}
            dotted = [node.attr] if isinstance(root, ast.Name) and root.id in names else []
            if node.attr == "_overloadpacket":
                dotted = [node.attr]
        else:
            continue
        for name in dotted:
            if any(part.startswith("_") and not part.startswith("__") for part in name.split(".")):
                found.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {name}")
    return found


def test_no_other_file_names_a_private_torch_symbol():
    files = [
        p
        for folder in ("methods", "app", "catalog", "bench", "tests")
        for p in (PROJECT / folder).rglob("*.py")
        if p != COMPAT and p != Path(__file__).resolve()
    ]
    found = [hit for path in files for hit in _private_torch_names(path)]
    assert not found, "private torch names outside methods/demo/torch_compat.py:\n" + "\n".join(found)
    assert _private_torch_names(COMPAT), "the scan should find the private names the compat module holds"
