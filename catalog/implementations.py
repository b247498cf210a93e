"""Which registry implementation runs each catalog method: decided here, once, and stored with the method.

The rule: an entry belongs to the catalog method whose name or full name is
the entry's `method` (its first name), compared case-insensitively and
nothing looser, so neither a near name ("VAE" for "Beta-VAE") nor an alias
nor a longer name that contains it ("Capsule Network Neural Architecture
Search") inherits an implementation. When several methods carry that exact
name, the one whose paper is the entry's paper wins, else the one from the
earliest document. An entry marked `alternative` may name a method another
entry already runs; it then leaves that method as it is.

Every method gets a status: `runnable`, `not_applicable` (named in
`methods.not_applicable.NOT_APPLICABLE`, with its reason) or `missing`. Ingest
stores the outcome; start-up recomputes it when the registry changed
(`registry_digest`), so lists, details, search and demos all read one answer.
No function here imports torch except `sync_stats`, and only when a source changed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from catalog.entry import chunks
from catalog.models import ImplementationStats, Method, Paper, Provenance
from methods.not_applicable import NOT_APPLICABLE
from methods.registry import Registry, registry
from methods.spec import EntryInfo, MethodEntry

RULE_VERSION = 1
"""Part of the registry digest: changing the matching rule makes every catalog re-match at start-up."""
RUNNABLE, NOT_APPLICABLE_STATUS, MISSING = "runnable", "not_applicable", "missing"
STATUSES = (RUNNABLE, NOT_APPLICABLE_STATUS, MISSING)
_ARXIV_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", re.I)


def paper_key(url: str) -> str:
    """An arXiv id when the URL has one ("1807.06514", any version or page), else the bare URL."""
    found = _ARXIV_RE.search(url or "")
    if found:
        return found.group(1)
    return re.sub(r"^https?://(www\.)?", "", (url or "").strip().lower()).rstrip("/")


def registry_digest(entries: Registry = registry) -> str:
    """Changes whenever anything the matching reads changes: entries, their names and papers, the exclusions."""
    data = {
        "rule": RULE_VERSION,
        "entries": [(e.id, e.method, e.paper, e.alternative) for e in entries.infos()],
        "not_applicable": sorted(NOT_APPLICABLE.items()),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Candidate:
    id: int
    names: frozenset[str]
    """The method's name and full name, lowercased."""
    paper: str
    first_document: int


def match(candidates: Iterable[Candidate], entries: Iterable[EntryInfo | MethodEntry]) -> dict[int, str]:
    """Method id -> the id of the entry that runs it."""
    by_name: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        for name in candidate.names:
            by_name.setdefault(name, []).append(candidate)
    claimed: dict[int, str] = {}
    # entries that are a method's first implementation choose before alternatives
    for entry in sorted(entries, key=lambda e: (e.alternative, e.id)):
        options = by_name.get(entry.method.lower(), [])
        if not entry.alternative:
            options = [c for c in options if c.id not in claimed]
        if not options:
            continue
        wanted = paper_key(entry.paper)
        best = min(options, key=lambda c: (c.paper != wanted, c.first_document, c.id))
        claimed.setdefault(best.id, entry.id)
    return claimed


def status_of(entry_id: str | None, name: str, full_name: str) -> tuple[str, str]:
    """(status, reason) of a method that `entry_id` runs, or that no entry runs."""
    if entry_id is not None:
        return RUNNABLE, ""
    reason = NOT_APPLICABLE.get(name) or NOT_APPLICABLE.get(full_name)
    return (NOT_APPLICABLE_STATUS, reason) if reason else (MISSING, "")


def assign_implementations(session: Session, entries: Registry = registry) -> list[str]:
    """Match every method to the registry and store what changed; returns the slugs whose answer changed.

    Methods are read as plain rows and the changes written in bulk: at start-up
    and on every ingest this reads the whole catalog.
    """
    papers = dict(session.exec(select(Paper.id, Paper.url)).all())
    earliest = select(Provenance.method_id, func.min(Provenance.document_id)).group_by(
        col(Provenance.method_id)
    )
    first = {method_id: document_id for method_id, document_id in session.exec(earliest).all()}
    methods = session.exec(
        select(
            Method.id,
            Method.slug,
            Method.name,
            Method.full_name,
            Method.paper_id,
            Method.implementation_id,
            Method.implementation_status,
            Method.implementation_reason,
        ).order_by(col(Method.id))
    ).all()
    candidates = [
        Candidate(
            id=m.id,  # type: ignore[arg-type]
            names=frozenset(n.lower() for n in (m.name, m.full_name) if n),
            paper=paper_key(papers.get(m.paper_id, "")) if m.paper_id else "",
            first_document=first.get(m.id, 0),
        )
        for m in methods
    ]
    chosen = match(candidates, entries.infos())
    changed, rows = [], []
    for method in methods:
        entry_id = chosen.get(method.id)  # type: ignore[arg-type]
        status, reason = status_of(entry_id, method.name, method.full_name)
        if (method.implementation_id, method.implementation_status, method.implementation_reason) != (
            entry_id,
            status,
            reason,
        ):
            rows.append(
                {
                    "id": method.id,
                    "implementation_id": entry_id,
                    "implementation_status": status,
                    "implementation_reason": reason,
                }
            )
            changed.append(method.slug)
    for chunk in chunks(rows):
        session.exec(update(Method), params=chunk)  # type: ignore[call-overload]
    return changed


def implementation_of(method: Method, entries: Registry = registry) -> EntryInfo | None:
    """The plain metadata of the entry stored as running `method`, if the registry still has it."""
    if method.implementation_id is None:
        return None
    return entries.find_info(method.implementation_id)


def runnable_entry(method: Method, entries: Registry = registry) -> MethodEntry | None:
    """The full entry that runs `method` (its entries module imported on first use), if any."""
    info = implementation_of(method, entries)
    return entries.get(info.id) if info is not None else None


@lru_cache(maxsize=1)
def torch_version() -> str | None:
    """The installed torch's version, read from its metadata (torch itself is not imported)."""
    try:
        return importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        return None


def implementation_summary(method: Method, entries: Registry = registry) -> dict[str, Any] | None:
    entry = implementation_of(method, entries)
    if entry is None:
        return None
    return {
        "id": entry.id,
        "kind": entry.kind,
        "source_path": entry.source_path,
        "source": entry.adapts or entry.source_path,
        "torch_version": torch_version() if entry.adapter else None,
        "docs_url": entry.docs_url or None,
        "paper": entry.paper,
        "demo_url": f"/api/v1/methods/{method.slug}/demo",
    }


def sync_stats(session: Session, entries: Registry = registry) -> int:
    """Store parameter counts for every entry whose source changed; returns how many were stored.

    Registered entries' counts come from `methods/param_counts.json`, so this
    imports torch only for an entry that file does not know (one registered
    by a test, say); search filters on the stored counts without torch.
    """
    stored = {s.id: s for s in session.exec(select(ImplementationStats))}
    computed = 0
    for entry in entries.infos():
        digest = hashlib.sha256(entry.source().encode()).hexdigest()
        row = stored.get(entry.id)
        if row is not None and row.source_sha256 == digest:
            continue
        from methods.stats import counts_of, declared_counts

        # the declared counts need no import of the entry's module; an unknown entry is counted now
        total, trainable = declared_counts().get(entry.id) or counts_of(entries.get(entry.id))
        row = row or ImplementationStats(id=entry.id, kind=entry.kind, source_sha256=digest)
        row.kind, row.params_total, row.params_trainable, row.source_sha256 = (
            entry.kind,
            total,
            trainable,
            digest,
        )
        session.add(row)
        computed += 1
    for stale in set(stored) - set(entries.list()):
        session.delete(stored[stale])
    return computed
