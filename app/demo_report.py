"""A demo's result as what the page shows: figures in words, the trace as a tree, a truthful diagram.

One function turns the API's result into plain data; `templates/_demo_result.html`
renders it, for the page without JavaScript and for the page's script alike.
"""

from __future__ import annotations

import json
from typing import Any

OPEN_DEPTH = 2
"""Branches of the trace down to this depth are open when the page shows it; deeper ones are closed."""
_UNITS = ("B", "KiB", "MiB", "GiB")
_SUFFIXES = ((10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "k"))


def shape_text(shape: list[int] | None) -> str:
    return " × ".join(str(d) for d in shape) if shape else "scalar"


def shapes_text(shapes: list[list[int]] | None) -> str:
    return ", ".join(shape_text(s) for s in shapes or []) or "–"


def number(value: float) -> str:
    """A figure to three significant digits: 0.75, 12.3, 1,271."""
    if value >= 100:
        return f"{round(value):,}"
    return f"{value:.3g}"


def milliseconds(value: float) -> str:
    return f"{number(value)} ms"


def compact(value: int) -> str:
    """13752320 -> 13.8M."""
    for size, suffix in _SUFFIXES:
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return str(value)


def byte_size(value: int) -> str:
    size, unit = float(value), 0
    while size >= 1024 and unit < len(_UNITS) - 1:
        size, unit = size / 1024, unit + 1
    return f"{size:.3g} {_UNITS[unit]}" if unit else f"{value} B"


def latency(result: dict[str, Any]) -> str:
    """ "0.75 ms (p10–p90 0.7–0.9, 25 runs)"."""
    median = result.get("latency_ms")
    if median is None:
        return "not measured"
    low, high, runs = (result.get(k) for k in ("latency_p10_ms", "latency_p90_ms", "latency_runs"))
    if low is None or high is None or not runs:
        return milliseconds(median)
    return f"{milliseconds(median)} (p10–p90 {number(low)}–{number(high)}, {runs} runs)"


def flops_text(flops: int | None) -> str:
    if flops is None:
        return "not counted"
    return compact(flops) if flops else "–"


def _figures(result: dict[str, Any]) -> list[dict[str, Any]]:
    flops = result.get("flops") or {}
    total = flops.get("total")
    figures: list[dict[str, Any]] = [
        {"name": "Device", "value": result.get("device") or "–", "title": None},
        {
            "name": "Latency (median)",
            "value": latency(result),
            "title": result.get("latency_scope"),
            "wide": True,
        },
    ]
    if isinstance(result.get("params_total"), int):
        trainable = result.get("params_trainable")
        figures.append(
            {
                "name": "Parameters",
                "value": f"{result['params_total']:,}",
                "title": f"{trainable:,} trainable" if isinstance(trainable, int) else None,
            }
        )
    figures.append(
        {
            "name": "FLOPs",
            "value": flops_text(total) if flops else "–",
            "title": flops.get("note") if total is None else f"{total:,} {flops.get('unit', 'FLOPs')}",
        }
    )
    peak = result.get("peak_memory_bytes")
    added = result.get("added_memory_bytes")
    memory = byte_size(peak) if isinstance(peak, int) else "not measured"
    if isinstance(peak, int) and isinstance(added, int):
        memory += f" ({byte_size(added)} added)"
    label = "Peak memory (GPU)" if result.get("device") == "cuda" else "Peak memory (CPU process)"
    figures.append({"name": label, "value": memory, "title": result.get("peak_memory_note")})
    estimate = result.get("memory_estimate_bytes")
    if isinstance(estimate, int):
        figures.append(
            {
                "name": "Memory estimate",
                "value": byte_size(estimate),
                "title": result.get("memory_estimate_note"),
            }
        )
    return figures


def trace_tree(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trace's rows nested under their parents (by `parent_row`), each with its cells as text."""
    nodes = []
    for row in rows:
        path = row.get("path", "")
        flops = row.get("flops")
        params = row.get("params_total", row.get("params"))
        nodes.append(
            {
                "name": path if path == "(root)" else path.rsplit(".", 1)[-1],
                "path": path,
                "type": row.get("type", ""),
                "depth": row.get("depth", 0),
                "inputs": shapes_text(row.get("inputs")),
                "outputs": shapes_text(row.get("outputs")),
                "params": f"{params:,}" if isinstance(params, int) else "–",
                "flops": flops_text(flops),
                "flops_title": (
                    f"{flops:,} FLOPs"
                    if flops
                    else "not counted: only operators without a FLOP formula ran here"
                ),
                "children": [],
            }
        )
    roots = []
    for node, row in zip(nodes, rows, strict=True):
        parent = row.get("parent_row")
        if isinstance(parent, int) and 0 <= parent < len(nodes) and nodes[parent] is not node:
            nodes[parent]["children"].append(node)
        else:
            roots.append(node)
    for node in nodes:
        node["open"] = bool(node["children"]) and node["depth"] <= OPEN_DEPTH
    return roots


def diagram(result: dict[str, Any]) -> dict[str, Any]:
    """What flows where, as far as the demo knows it: every input into the method, the method to its outputs.

    The tracer records each submodule's shapes, not which tensor feeds which, so the
    diagram claims no order among submodules: those are in the trace tree.
    """
    trace = result.get("trace") or []
    root = trace[0] if trace and trace[0].get("path") == "(root)" else None
    outputs = [{"name": o["name"], "shape": shape_text(o.get("shape"))} for o in result.get("outputs") or []]
    losses = result.get("losses") or []
    if losses:
        outputs.append({"name": "loss", "shape": f"{losses[0]:.4g} → {losses[-1]:.4g}"})
    return {
        "inputs": [
            {"name": i["name"], "shape": shape_text(i.get("shape"))} for i in result.get("inputs") or []
        ],
        "method": root["type"] if root else result.get("name") or result.get("method", ""),
        "detail": f"{len(losses)} steps" if losses else f"{max(0, len(trace) - 1)} submodule calls",
        "outputs": outputs,
    }


def _sparkline(values: list[float]) -> dict[str, Any] | None:
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1
    points = " ".join(
        f"{4 + i / (len(values) - 1) * 312:.1f},{74 - (v - low) / span * 68:.1f}"
        for i, v in enumerate(values)
    )
    label = f"Loss over {len(values)} steps, from {values[0]:.4g} to {values[-1]:.4g}"
    return {"points": points, "label": label}


def _notes(result: dict[str, Any]) -> list[str]:
    notes = []
    if result.get("params"):
        pairs = ", ".join(f"{k}={json.dumps(v)}" for k, v in result["params"].items())
        notes.append(f"Hyperparameters: {pairs}.")
    if result.get("uncounted_ops"):
        notes.append(f"Operators without a FLOP formula: {', '.join(result['uncounted_ops'])}.")
    flops = result.get("flops") or {}
    if flops.get("note"):
        notes.append(f"FLOPs: {flops['note']}.")
    if result.get("peak_memory_note"):
        notes.append(f"Memory: {result['peak_memory_note']}.")
    if result.get("trace_dropped"):
        notes.append(
            f"The trace stops after its first rows: {result['trace_dropped']:,} more were not recorded."
        )
    if result.get("objective"):
        notes.append(f"Objective: {result['objective']}")
    return notes


def _stat(stats: dict[str, Any], key: str) -> str:
    value = stats.get(key)
    return f"{value:.4g}" if isinstance(value, int | float) else "–"


def demo_report(result: dict[str, Any]) -> dict[str, Any]:
    """Everything the page shows of one demo's result, as text and nested data."""
    stats = result.get("stats")
    return {
        "figures": _figures(result),
        "diagram": diagram(result),
        "tree": trace_tree(result.get("trace") or []),
        "rows": len(result.get("trace") or []),
        "outputs": [
            {
                "name": o["name"],
                "shape": shape_text(o.get("shape")),
                "dtype": o.get("dtype", ""),
                **{k: _stat(o.get("stats") or {}, k) for k in ("min", "max", "mean", "std")},
            }
            for o in result.get("outputs") or []
        ],
        "stats": [(k, f"{v:.4g}" if isinstance(v, int | float) else str(v)) for k, v in (stats or {}).items()]
        if isinstance(stats, dict)
        else [],
        "sparkline": _sparkline(result.get("losses") or []),
        "notes": _notes(result),
        "json": json.dumps(result, indent=2),
    }
