"""Which registry implementation, if any, runs a catalog method (no torch needed)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlmodel import Session, select

from catalog.models import ImplementationStats
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


def sync_stats(session: Session) -> int:
    """Store parameter counts for every entry whose source changed; returns how many were computed.

    Only this step imports torch (and only when something changed), so that
    search can filter on parameter counts without it.
    """
    stored = {s.id: s for s in session.exec(select(ImplementationStats))}
    computed = 0
    for entry in registry:
        digest = hashlib.sha256(entry.source().encode()).hexdigest()
        row = stored.get(entry.id)
        if row is not None and row.source_sha256 == digest:
            continue
        from methods.stats import parameter_counts

        total, trainable = parameter_counts(entry)
        row = row or ImplementationStats(id=entry.id, kind=entry.kind, source_sha256=digest)
        row.kind, row.params_total, row.params_trainable, row.source_sha256 = (
            entry.kind,
            total,
            trainable,
            digest,
        )
        session.add(row)
        computed += 1
    for stale in set(stored) - set(registry.list()):
        session.delete(stored[stale])
    return computed
