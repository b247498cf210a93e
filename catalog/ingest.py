"""Ingest: parsed documents into the catalog, in one transaction, idempotently.

Each document entry becomes a `Provenance` row. An entry already ingested from
the same document updates its row; a new one joins the method the evidence
points to (`catalog/merge.py`) or starts a new method. A method's shown fields
are then re-derived from all its provenances (`catalog/resolve.py`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import delete
from sqlmodel import Session, col, select

from catalog.entry import ParsedEntry
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


def _record(entry: ParsedEntry) -> str:
    data = asdict(entry)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def ingest_document(
    session: Session, document: ParsedDocument, text_sha256: str, progress: Progress | None = None
) -> IngestReport:
    """Store one parsed document; the caller's session holds the transaction."""
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
    existing = {p.key: p for p in session.exec(select(Provenance).where(Provenance.document_id == doc.id))}
    _follow_renames(document, existing)

    fresh = [e for e in document.entries if e.key not in existing]
    taken = {p.method_id for p in existing.values()}
    matches = choose_matches(session, AliasIndex.load(session), fresh, taken)
    touched: set[int] = set()
    total = len(document.entries)
    for done, entry in enumerate(document.entries, 1):
        record = _record(entry)
        provenance = existing.get(entry.key)
        if provenance is not None:
            if provenance.record == record:
                report.unchanged += 1
            else:
                provenance.record, provenance.line, provenance.line_end = record, entry.line, entry.line_end
                report.updated += 1
                touched.add(provenance.method_id)
        else:
            method_id = matches.get(entry.key)
            if method_id is None:
                method = Method(slug=f"{PENDING_SLUG}{uuid.uuid4().hex}", name=entry.name)
                session.add(method)
                session.flush()
                method_id = method.id
                report.created += 1
            else:
                report.merged += 1
            assert method_id is not None
            session.add(
                Provenance(
                    method_id=method_id,
                    document_id=doc.id,
                    key=entry.key,
                    line=entry.line,
                    line_end=entry.line_end,
                    record=record,
                )
            )
            touched.add(method_id)
        if progress is not None:
            progress(done, total)
    session.flush()
    report.removed_slugs = _remove_stale(session, doc, {e.key for e in document.entries}, touched)
    report.removed = len(report.removed_slugs)
    checkpoint("resolving")
    before = Resolver(session).resolve(sorted(touched))
    slugs = dict(session.exec(select(Method.id, Method.slug).where(col(Method.id).in_(list(before)))).all())
    for method_id, old in before.items():
        report.touched_slugs.append(slugs[method_id])
        if old and old != slugs[method_id]:
            report.removed_slugs.append(old)
    if touched or report.removed:
        checkpoint("linking")
        _relink(session)
    return report


def _follow_renames(document: ParsedDocument, existing: dict[str, Provenance]) -> None:
    """An entry whose name changed but whose description did not is the same entry, renamed.

    Its provenance is re-keyed, so the method keeps its identity and its old
    slug turns into a redirect instead of the method being dropped and re-created.
    """
    keys = {e.key for e in document.entries}
    stale = {k: p for k, p in existing.items() if k not in keys}
    for entry in document.entries:
        if entry.key in existing or not entry.description or not stale:
            continue
        best = max(
            stale, key=lambda k: similarity(entry.description, json.loads(stale[k].record)["description"])
        )
        if similarity(entry.description, json.loads(stale[best].record)["description"]) >= SAME_TEXT:
            provenance = stale.pop(best)
            del existing[best]
            provenance.key = entry.key
            existing[entry.key] = provenance


def _remove_stale(session: Session, doc: Document, keys: set[str], touched: set[int]) -> list[str]:
    """Drop provenances of entries the document no longer has, and methods left with none."""
    stale = session.exec(
        select(Provenance).where(Provenance.document_id == doc.id, col(Provenance.key).not_in(keys))
    ).all()
    removed = []
    for provenance in stale:
        method_id = provenance.method_id
        session.delete(provenance)
        session.flush()
        if session.exec(select(Provenance.id).where(Provenance.method_id == method_id)).first() is None:
            method = session.get(Method, method_id)
            if method is not None:
                removed.append(method.slug)
                session.delete(method)
            touched.discard(method_id)
        else:
            touched.add(method_id)
    session.flush()
    return removed


def _relink(session: Session) -> None:
    """Rebuild the cross-links: document links to a method key of the same document, then mentions."""
    session.exec(delete(CrossLink))
    by_key = {(p.document_id, p.key): p.method_id for p in session.exec(select(Provenance))}
    links: dict[tuple[int, int], CrossLink] = {}
    for provenance in session.exec(select(Provenance)):
        record = json.loads(provenance.record)
        for key in record.get("link_keys", []):
            target = by_key.get((provenance.document_id, key))
            if target is not None and target != provenance.method_id:
                pair = (provenance.method_id, target)
                links.setdefault(
                    pair, CrossLink(source_id=pair[0], target_id=pair[1], kind="link", anchor=key)
                )
    finder = MentionFinder(session.exec(select(Alias.method_id, Alias.name)).all())
    for method_id, description in session.exec(select(Method.id, Method.description)).all():
        for target, words in finder.find(description, exclude=method_id).items():
            links.setdefault(
                (method_id, target),
                CrossLink(source_id=method_id, target_id=target, kind="mention", anchor=words),
            )
    session.add_all(links.values())
    session.flush()


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
