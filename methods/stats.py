"""Parameter counts of every entry at its default configuration.

Counting builds the entry, which imports torch, so the counts are written once
to `param_counts.json` beside this file (`python -m methods.stats --write`)
and read from there by the catalog: ingest and start-up never build an entry
to weigh it. `tests/methods/test_param_counts.py` fails when the file and the
registry disagree.
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from pathlib import Path

from methods.spec import MethodEntry

COUNTS_FILE = Path(__file__).resolve().parent / "param_counts.json"


def parameter_counts(entry: MethodEntry) -> tuple[int, int]:
    """(total, trainable) parameters of the built default object; 0 for optimizers and plain functions."""
    import torch

    if entry.kind == "optimizer":
        return 0, 0
    torch.manual_seed(0)
    built = entry.build()
    if not isinstance(built, torch.nn.Module):
        return 0, 0
    parameters = list(built.parameters())
    return sum(p.numel() for p in parameters), sum(p.numel() for p in parameters if p.requires_grad)


@lru_cache(maxsize=1)
def declared_counts() -> dict[str, tuple[int, int]]:
    """The counts written by `--write`, by entry id (no torch)."""
    if not COUNTS_FILE.exists():
        return {}
    raw = json.loads(COUNTS_FILE.read_text(encoding="utf-8"))
    return {key: (int(total), int(trainable)) for key, (total, trainable) in raw.items()}


def counts_of(entry: MethodEntry) -> tuple[int, int]:
    """The declared counts of a registered entry, or counted now for one the file does not know."""
    return declared_counts().get(entry.id) or parameter_counts(entry)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Count every entry's parameters at its defaults.")
    parser.add_argument("--write", action="store_true", help=f"write {COUNTS_FILE.name}")
    args = parser.parse_args(argv)
    from methods.registry import registry

    counts = {entry.id: list(parameter_counts(entry)) for entry in registry}
    rows = (f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in sorted(counts.items()))
    text = "{\n" + ",\n".join(rows) + "\n}\n"
    if args.write:
        COUNTS_FILE.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
