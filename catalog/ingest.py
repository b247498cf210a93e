"""Ingest: parsed documents into the catalog, in one transaction, idempotently.

Each document entry becomes a `Provenance` row. An entry already ingested from
the same document updates its row; a new one joins the method the evidence
points to (`catalog/merge.py`) or starts a new method. A method's shown fields
are then re-derived from all its provenances (`catalog/resolve.py`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from sqlalchemy import delete, insert, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from catalog.entry import CollectionRef, DocumentError, ParsedEntry, chunks
from catalog.ingest_phases import checkpoint
from catalog.mentions import MentionFinder
from catalog.merge import SAME_TEXT, AliasIndex, choose_matches, similarity
from catalog.models import Alias, CrossLink, Document, Method, Provenance
from catalog.resolve import PENDING_SLUG, Resolver
from catalog.text_format import ParsedDocument

Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    document: str
    parsed: int = 0
    created: int = 0
    merged: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    flagged: dict[str, int] = field(default_factory=dict)
    touched_slugs: list[str] = field(default_factory=list)
    removed_slugs: list[str] = field(default_factory=list)
    """Slugs the index must forget: methods removed, and old slugs of renamed methods."""

    def summary(self) -> str:
        flags = ", ".join(f"{n} {f}" for f, n in sorted(self.flagged.items())) or "none"
        return (
            f"{self.document}: {self.parsed} entries parsed; {self.created} new, {self.merged} merged "
            f"into existing methods, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed; flagged: {flags}"
        )


_FIELDS = tuple(f.name for f in fields(ParsedEntry))


def _plain(value: object) -> object:
    if isinstance(value, list):
        return [{"name": v.name, "area": v.area} if isinstance(v, CollectionRef) else v for v in value]
    return value


def _record(entry: ParsedEntry) -> str:
    """What the document says of the entry, as stored: `asdict(entry)` in JSON, built without its deep copies."""
    data = {name: _plain(getattr(entry, name)) for name in _FIELDS}
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass
class _Stored:
    """A provenance row of the document being ingested, as it was before this ingest."""

    id: int
    key: str
    method_id: int
    record: str
    renamed: bool = False


def ingest_document(
    session: Session,
    document: ParsedDocument,
    text_sha256: str,
    progress: Progress | None = None,
    replace: bool = False,
) -> IngestReport:
    """Store one parsed document; the caller's session holds the transaction.

    Raises `DocumentError` (the caller rolls back) when the document would drop
    most of the methods it stored before and `replace` does not allow it, and
    when the database refuses what it says, naming the document either way.
    """
    try:
        return _store(session, document, text_sha256, progress, replace)
    except SQLAlchemyError as error:
        message = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise DocumentError(document.file, 0, f"the database refused it: {message}") from error


def _store(
    session: Session, document: ParsedDocument, text_sha256: str, progress: Progress | None, replace: bool
) -> IngestReport:
    report = IngestReport(document=document.file, parsed=len(document.entries))
    for entry in document.entries:
        for flag in entry.flags:
            report.flagged[flag] = report.flagged.get(flag, 0) + 1
    doc = session.exec(select(Document).where(Document.name == document.file)).first()
    if doc is None:
        doc = Document(name=document.file, title=document.title, sha256=text_sha256)
        session.add(doc)
        session.flush()
    doc.title, doc.sha256, doc.entries = document.title, text_sha256, len(document.entries)
    assert doc.id is not None
    rows = session.exec(
        select(Provenance.id, Provenance.key, Provenance.method_id, Provenance.record).where(
            Provenance.document_id == doc.id
        )
    )
    existing = {key: _Stored(id, key, method_id, record) for id, key, method_id, record in rows}
    _follow_renames(document, existing)
    keys = {e.key for e in document.entries}
    check_removals(document.file, sum(k not in keys for k in existing), len(existing), replace)

    fresh = [e for e in document.entries if e.key not in existing]
    taken = {p.method_id for p in existing.values()}
    matches = choose_matches(session, AliasIndex.load(session), fresh, taken)
    created = _create_methods(session, [e for e in fresh if e.key not in matches])
    touched: set[int] = set()
    changed: list[dict] = []
    added: list[dict] = []
    total = len(document.entries)
    for done, entry in enumerate(document.entries, 1):
        record = _record(entry)
        provenance = existing.get(entry.key)
        if provenance is not None:
            if provenance.record != record or provenance.renamed:
                changed.append(
                    {
                        "id": provenance.id,
                        "key": provenance.key,
                        "record": record,
                        "line": entry.line,
                        "line_end": entry.line_end,
                    }
                )
            if provenance.record == record:
                report.unchanged += 1
            else:
                report.updated += 1
                touched.add(provenance.method_id)
        else:
            if entry.key in created:
                method_id = created[entry.key]
                report.created += 1
            else:
                method_id = matches[entry.key]
                report.merged += 1
            added.append(
                {
                    "method_id": method_id,
                    "document_id": doc.id,
                    "key": entry.key,
                    "line": entry.line,
                    "line_end": entry.line_end,
                    "record": record,
                }
            )
            touched.add(method_id)
        if progress is not None:
            progress(done, total)
    session.flush()
    for chunk in chunks(changed):
        session.exec(update(Provenance), params=chunk)  # type: ignore[call-overload]
    for chunk in chunks(added):
        session.exec(insert(Provenance), params=chunk)  # type: ignore[call-overload]
    report.removed_slugs = _remove_stale(session, doc, keys, touched)
    report.removed = len(report.removed_slugs)
    checkpoint("resolving")
    for old, new in Resolver(session).resolve(sorted(touched)).values():
        report.touched_slugs.append(new)
        if old and old != new:
            report.removed_slugs.append(old)
    if touched or report.removed:
        checkpoint("linking")
        _relink(session)
    return report


def _create_methods(session: Session, entries: list[ParsedEntry]) -> dict[str, int]:
    """Entry key -> id of the method created for it, inserted in batches under placeholder slugs."""
    pending = {f"{PENDING_SLUG}{uuid.uuid4().hex}": e.key for e in entries}
    rows = [{"slug": slug, "name": e.name} for slug, e in zip(pending, entries, strict=True)]
    created: dict[str, int] = {}
    for chunk in chunks(rows):
        inserted = session.exec(insert(Method).returning(Method.id, Method.slug), params=chunk)  # type: ignore[call-overload]
        created.update((pending[slug], method_id) for method_id, slug in inserted)
    return created


REMOVAL_GUARD = (0.5, 10)
"""An ingest may drop at most this share of a document's stored entries, or this many, without `replace`."""


def check_removals(file: str, removed: int, stored: int, replace: bool) -> None:
    """Refuse an ingest that would drop most of what a document stored before.

    A truncated or mis-read file that keeps its name would otherwise remove
    every method only it supported; a document that truly shrank passes
    `replace`.
    """
    share, count = REMOVAL_GUARD
    if not replace and removed > count and removed > share * stored:
        raise DocumentError(
            file,
            0,
            f"would remove {removed:,} of the {stored:,} entries this document stored before; "
            "the catalog is unchanged (ingest with --replace, or replace=True, to allow it)",
        )


RENAME_BUDGET = 1_000_000
"""Description comparisons spent looking for renamed entries; past it, entries are new and old ones dropped."""


def _follow_renames(document: ParsedDocument, existing: dict[str, _Stored]) -> None:
    """An entry whose name changed but whose description did not is the same entry, renamed.

    Its provenance is re-keyed, so the method keeps its identity and its old
    slug turns into a redirect instead of the method being dropped and re-created.
    Every new entry is compared with every dropped one, so a document that
    replaces its entries wholesale skips the search (`RENAME_BUDGET`).
    """
    keys = {e.key for e in document.entries}
    stale = {k: json.loads(p.record)["description"] for k, p in existing.items() if k not in keys}
    candidates = [e for e in document.entries if e.key not in existing and e.description]
    if not stale or len(stale) * len(candidates) > RENAME_BUDGET:
        return
    for entry in candidates:
        if not stale:
            break
        best = max(stale, key=lambda k: similarity(entry.description, stale[k]))
        if similarity(entry.description, stale[best]) >= SAME_TEXT:
            del stale[best]
            provenance = existing.pop(best)
            provenance.key, provenance.renamed = entry.key, True
            existing[entry.key] = provenance


def _remove_stale(session: Session, doc: Document, keys: set[str], touched: set[int]) -> list[str]:
    """Drop provenances of entries the document no longer has, and methods left with none."""
    stale = [
        (provenance_id, method_id)
        for provenance_id, key, method_id in session.exec(
            select(Provenance.id, Provenance.key, Provenance.method_id).where(
                Provenance.document_id == doc.id
            )
        )
        if key not in keys
    ]
    if not stale:
        return []
    for chunk in chunks([provenance_id for provenance_id, _ in stale]):
        session.exec(delete(Provenance).where(col(Provenance.id).in_(chunk)))  # type: ignore[call-overload]
    affected = sorted({method_id for _, method_id in stale})
    kept: set[int] = set()
    for chunk in chunks(affected):
        kept.update(
            session.exec(select(Provenance.method_id).where(col(Provenance.method_id).in_(chunk)).distinct())
        )
    orphans = [method_id for method_id in affected if method_id not in kept]
    removed: list[str] = []
    for chunk in chunks(orphans):
        removed += session.exec(select(Method.slug).where(col(Method.id).in_(chunk))).all()
        session.exec(delete(Method).where(col(Method.id).in_(chunk)))  # type: ignore[call-overload]
    touched.difference_update(orphans)
    touched.update(kept)
    session.flush()
    return removed


def _relink(session: Session) -> None:
    """Rebuild the cross-links: document links to a method key of the same document, then mentions."""
    session.exec(delete(CrossLink))  # type: ignore[call-overload]
    by_key = {
        (d, k): m
        for d, k, m in session.exec(select(Provenance.document_id, Provenance.key, Provenance.method_id))
    }
    links: dict[tuple[int, int], dict] = {}
    for document_id, method_id, record in session.exec(
        select(Provenance.document_id, Provenance.method_id, Provenance.record)
    ):
        for key in json.loads(record).get("link_keys", []):
            target = by_key.get((document_id, key))
            if target is not None and target != method_id:
                links.setdefault(
                    (method_id, target),
                    {"source_id": method_id, "target_id": target, "kind": "link", "anchor": key},
                )
    finder = MentionFinder(session.exec(select(Alias.method_id, Alias.name)).all())
    for method_id, description in session.exec(select(Method.id, Method.description)).all():
        for target, words in finder.find(description, exclude=method_id).items():
            links.setdefault(
                (method_id, target),
                {"source_id": method_id, "target_id": target, "kind": "mention", "anchor": words},
            )
    for chunk in chunks(list(links.values())):
        session.exec(insert(CrossLink), params=chunk)  # type: ignore[call-overload]
    session.flush()
