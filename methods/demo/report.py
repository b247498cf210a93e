"""A demo result (from `run_demo`) as a readable text report, for `method-catalog demo SLUG`."""

from __future__ import annotations

from typing import Any


def format_report(result: dict[str, Any]) -> str:
    """Header, inputs and outputs, the trace table, parameters, FLOPs, latency and memory."""
    lines = [
        f"{result['name']} ({result['method']}, {result['kind']}) on {result['device']}, {result['dtype']}",
        f"hyperparameters: {_params(result['params'])}",
        "",
        "inputs:",
        *(f"  {t['name']}: {_shape(t['shape'])} {t['dtype']}" for t in result["inputs"]),
    ]
    if result["kind"] == "optimizer":
        lines += ["", f"objective: {result['objective']}", "loss before each step:"]
        lines += [f"  {i:>3}  {_loss(x)}" for i, x in enumerate(result["losses"], 1)]
    else:
        lines += ["outputs:", *(_output(t) for t in result["outputs"])]
    if result["trace"]:
        lines += ["", "trace (one row per call, in call order):", *_table(result["trace"])]
        if result["trace_dropped"]:
            lines.append(f"  ... and {result['trace_dropped']} more calls")
    flops = result["flops"]
    lines += [
        "",
        f"parameters: {result['params_total']:,} ({result['params_trainable']:,} trainable)",
        f"FLOPs: {_count(flops['total'])} {flops['unit']}",
        *(f"  {op}: {n:,}" for op, n in flops["by_operator"].items()),
        f"  ({flops['note']})",
        f"no FLOP formula: {', '.join(result['uncounted_ops']) or 'none'}",
        f"latency: {result['latency_ms']:.3f} ms, median of {result['latency_runs']} runs "
        f"(p10 {result['latency_p10_ms']:.3f} ms, p90 {result['latency_p90_ms']:.3f} ms; "
        f"{result['latency_scope']})",
        _memory(result),
        _estimate(result),
    ]
    return "\n".join(lines)


def _memory(result: dict[str, Any]) -> str:
    if result["peak_memory_bytes"] is None:
        return f"memory: n/a ({result['peak_memory_note']})"
    return (
        f"peak memory: {result['peak_memory_bytes']:,} bytes, "
        f"{result['added_memory_bytes']:,} added by the call ({result['peak_memory_note']})"
    )


def _estimate(result: dict[str, Any]) -> str:
    estimate = result.get("memory_estimate_bytes")
    if estimate is None:
        return "memory estimate: none (the defaults ran, or the code's shapes depend on values)"
    return f"memory estimate: {estimate:,} bytes ({result['memory_estimate_note']})"


def _count(n: int | None) -> str:
    return "not counted" if n is None else f"{n:,}"


def _params(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "none"


def _shape(shape: list[int]) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _shapes(shapes: list[list[int]] | None) -> str:
    return "?" if shapes is None else " ".join(_shape(s) for s in shapes) or "-"


def _loss(x: float | None) -> str:
    return "diverged (not finite)" if x is None else f"{x:.6g}"


def _output(t: dict[str, Any]) -> str:
    text = f"  {t['name']}: {_shape(t['shape'])} {t['dtype']}"
    stats = t.get("stats")
    if stats and stats["mean"] is not None:
        text += (
            f"  min {stats['min']:.4g}  max {stats['max']:.4g}"
            f"  mean {stats['mean']:.4g}  std {stats['std']:.4g}"
        )
    if stats and stats["nonfinite"]:
        text += f"  ({stats['nonfinite']:,} NaN/Inf)"
    return text


def _table(rows: list[dict[str, Any]]) -> list[str]:
    header = ("module", "type", "input shapes", "output shapes", "params", "FLOPs")
    # Rows are indented by call depth, which is the tree `parent_row` spells out.
    cells = [
        (
            "  " * row["depth"] + row["path"],
            row["type"],
            _shapes(row["inputs"]),
            _shapes(row["outputs"]),
            f"{row['params']:,}",
            _count(row["flops"]) if "flops" in row else "-",
        )
        for row in rows
    ]
    widths = [max(len(c[i]) for c in (header, *cells)) for i in range(len(header))]
    right = (False, False, False, False, True, True)

    def line(cell: tuple[str, ...]) -> str:
        parts = (c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cell, widths, right, strict=True))
        return "  " + "  ".join(parts).rstrip()

    return [line(header), line(tuple("-" * w for w in widths)), *(line(c) for c in cells)]
