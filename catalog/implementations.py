"""Which registry implementation, if any, runs a catalog method (no torch needed)."""

from __future__ import annotations

from collections.abc import Iterable

from methods.registry import registry
from methods.spec import MethodEntry


def implementation_for(slug: str, names: Iterable[str]) -> MethodEntry | None:
    """The entry registered under the method's slug or one of its names."""
    found = registry.find(slug)
    if found is not None:
        return found
    return next(filter(None, (registry.find(n) for n in names if len(n) > 2)), None)


def implementation_summary(entry: MethodEntry | None, slug: str) -> dict | None:
    if entry is None:
        return None
    return {
        "id": entry.id,
        "kind": entry.kind,
        "source_path": entry.source_path,
        "paper": entry.paper,
        "demo_url": f"/api/v1/methods/{slug}/demo",
    }
