"""Every torch internal the demo relies on, in one place.

The FLOP counter, the module trace and the memory estimate need parts of torch
that are not its public, stable API: the dispatch-mode base class, pytree
flattening, the FLOP formula registry, an operator's overload packet, view
flag and decomposition, the CPU flash-attention operator and fake tensors.
Nothing else in the project names a private torch symbol (a test checks), and
`tests/methods/test_demo_torch_compat.py` checks each one here, so a torch
upgrade that moves one fails one clear test rather than every demo.

Importing this module imports torch.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import torch
from torch._subclasses.fake_tensor import (
    DataDependentOutputException,
    DynamicOutputShapeException,
    FakeTensorMode,
    UnsupportedOperatorException,
)
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves
from torch.utils.flop_counter import flop_registry, sdpa_flop_count, shape_wrapper

__all__ = [
    "FAKE_TENSOR_LOGGER",
    "UNTRACEABLE",
    "FakeTensorMode",
    "TorchDispatchMode",
    "cpu_flash_attention",
    "decompose",
    "flop_formulas",
    "is_view",
    "operator_name",
    "overload_packet",
    "tree_leaves",
]

FAKE_TENSOR_LOGGER = "torch._subclasses.fake_tensor"
"""The logger that reports, with a traceback, each operator that failed on fake tensors."""

UNTRACEABLE: tuple[type[Exception], ...] = (
    DataDependentOutputException,
    DynamicOutputShapeException,
    UnsupportedOperatorException,
)
"""What a fake-tensor pass raises on code whose shapes depend on values (`.item()`, `nonzero`)."""


def overload_packet(func: Any) -> Any:
    """The operator an overload belongs to (`aten.mm` for `aten.mm.default`): the registry's key."""
    return func._overloadpacket


def operator_name(func: Any) -> str:
    """The overload packet's name, as `"aten.mm"`."""
    return str(func._overloadpacket)


def is_view(func: Any) -> bool:
    """Whether the operator returns a view of an input (no new storage)."""
    return bool(func.is_view)


def decompose(func: Any, args: tuple, kwargs: dict) -> Any:
    """The operator run as its parts, or `NotImplemented` when it has no decomposition."""
    return func.decompose(*args, **kwargs)


def cpu_flash_attention() -> Any:
    """The operator `scaled_dot_product_attention` runs as on the CPU (torch 2.13)."""
    return torch.ops.aten._scaled_dot_product_flash_attention_for_cpu


def _cpu_attention_flops(query: Any, key: Any, value: Any, *args: Any, **kwargs: Any) -> int:
    """The counter's fused-attention formula (QKᵀ and ·V, causal masks not discounted), given shapes."""
    return sdpa_flop_count(query, key, value)


@functools.cache
def flop_formulas() -> dict[Any, Callable[..., int]]:
    """torch's FLOP formulas by overload packet, plus the CPU flash-attention operator it lacks.

    Each formula is called as `formula(*args, **kwargs, out_val=output)` and returns FLOPs.
    """
    return {**flop_registry, cpu_flash_attention(): shape_wrapper(_cpu_attention_flops)}
