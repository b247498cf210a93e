"""One row per submodule call, in the order the calls began.

`trace_modules(model)` is a context manager that hooks every submodule of
`model` (found with `named_modules`) with a forward pre-hook, which opens a row,
and a forward hook, which fills in the output shapes. A module called twice
gives two rows; a parent's row comes before its children's. Each row names the
call it was made from, as `parent` (that module's path, None for the outermost
call) and `parent_row` (that call's row index, None when it was not recorded),
so a page can draw the calls as a tree. Hooks are removed
on exit even when the forward raised. While it is open, `flops_so_far` (when
given) is read at each call's start and end, so each row also carries the
FLOPs of that call, children included.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

ROOT = "(root)"
MAX_ROWS = 1000
"""A demo's trace stops growing here (a recurrent cell called per step can add thousands)."""


def tensor_shapes(value: Any) -> list[list[int]]:
    """The shapes of every tensor inside nested tuples, lists and dicts, in order."""
    import torch

    from methods.demo.torch_compat import tree_leaves

    return [list(leaf.shape) for leaf in tree_leaves(value) if isinstance(leaf, torch.Tensor)]


class Trace:
    """The rows recorded so far; `dropped` counts calls past `MAX_ROWS`."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.dropped = 0


@contextlib.contextmanager
def trace_modules(model: Any, flops_so_far: Callable[[], int] | None = None) -> Iterator[Trace]:
    trace = Trace()
    open_rows: list[tuple[dict[str, Any] | None, int, str, int | None]] = []
    handles = []

    def hooks(path: str, module: Any) -> tuple[Callable[..., None], Callable[..., None]]:
        own = sum(p.numel() for p in module.parameters(recurse=False))
        total = sum(p.numel() for p in module.parameters())

        def before(_module: Any, args: tuple, kwargs: dict) -> None:
            row, index = None, None
            caller = open_rows[-1] if open_rows else None
            if len(trace.rows) < MAX_ROWS:
                index = len(trace.rows)
                row = {
                    "path": path,
                    "type": type(module).__name__,
                    "depth": len(open_rows),
                    "parent": caller[2] if caller else None,
                    "parent_row": caller[3] if caller else None,
                    "inputs": tensor_shapes((args, kwargs)),
                    "outputs": None,
                    "params": own,
                    "params_total": total,
                }
                trace.rows.append(row)
            else:
                trace.dropped += 1
            open_rows.append((row, flops_so_far() if flops_so_far else 0, path, index))

        def after(_module: Any, _args: tuple, _kwargs: dict, output: Any) -> None:
            row, flops_before, _, _ = open_rows.pop()
            if row is not None:
                row["outputs"] = tensor_shapes(output)
                if flops_so_far:
                    row["flops"] = flops_so_far() - flops_before

        return before, after

    try:
        for name, module in model.named_modules():
            before, after = hooks(name or ROOT, module)
            handles.append(module.register_forward_pre_hook(before, with_kwargs=True))
            handles.append(module.register_forward_hook(after, with_kwargs=True))
        yield trace
    finally:
        for handle in handles:
            handle.remove()
