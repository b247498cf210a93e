"""Read views: plain data built once and rendered as HTML or JSON alike."""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from catalog.entry import FLAG_HELP
from catalog.implementations import RUNNABLE, implementation_summary
from catalog.models import (
    Alias,
    Area,
    Collection,
    CrossLink,
    Document,
    Method,
    MethodCollection,
    Paper,
    Provenance,
    SlugRedirect,
)


class BadCursor(ValueError):
    pass


_CURSOR_PREFIX = "after:"


def encode_cursor(slug: str) -> str:
    """An opaque cursor: the last slug of a page (pages are in slug order, so it stays stable)."""
    return base64.urlsafe_b64encode((_CURSOR_PREFIX + slug).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    if not raw.startswith(_CURSOR_PREFIX):
        raise BadCursor(f"invalid cursor {cursor[:40]!r}: pass the `next` value of a previous page")
    return raw.removeprefix(_CURSOR_PREFIX)


def _flags(method: Method) -> list[str]:
    return [f for f in method.flags.split(",") if f]


def _collections_of(session: Session, ids: list[int]) -> dict[int, list[dict[str, str]]]:
    found: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows = session.exec(
        select(MethodCollection.method_id, MethodCollection.inferred, Collection, Area)
        .join(Collection, col(Collection.id) == MethodCollection.collection_id)
        .join(Area, col(Area.id) == Collection.area_id)
        .where(col(MethodCollection.method_id).in_(ids))
        .order_by(col(Collection.name))
    )
    for method_id, inferred, collection, area in rows:
        found[method_id].append(
            {
                "slug": collection.slug,
                "name": collection.name,
                "area": area.name,
                "area_slug": area.slug,
                "inferred": inferred,
            }
        )
    return found


def _aliases_of(session: Session, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for method_id, name in session.exec(
        select(Alias.method_id, Alias.name).where(col(Alias.method_id).in_(ids)).order_by(col(Alias.id))
    ):
        found[method_id].append(name)
    return found


def names_of(session: Session, method: Method) -> list[str]:
    """The method's name, full name and aliases."""
    assert method.id is not None
    return [method.name, method.full_name, *_aliases_of(session, [method.id])[method.id]]


def summaries(session: Session, methods: list[Method]) -> list[dict[str, Any]]:
    ids = [m.id for m in methods if m.id is not None]
    collections = _collections_of(session, ids)
    rows = []
    for method in methods:
        assert method.id is not None
        rows.append(
            {
                "slug": method.slug,
                "name": method.name,
                "full_name": method.full_name,
                "flags": _flags(method),
                "year": method.year,
                "collections": [c["name"] for c in collections[method.id]],
                "areas": sorted({c["area"] for c in collections[method.id]}),
                "has_implementation": method.implementation_status == RUNNABLE,
                "url": f"/methods/{method.slug}",
            }
        )
    return rows


def _filtered(statement, collection: str | None, area: str | None, flag: str | None = None):  # type: ignore[no-untyped-def]
    if flag:
        # flags are a comma list of known words, so a padded LIKE matches whole flags only
        statement = statement.where(("," + col(Method.flags) + ",").like(f"%,{flag},%"))
    if collection or area:
        members = select(MethodCollection.method_id).join(
            Collection, col(Collection.id) == MethodCollection.collection_id
        )
        if collection:
            members = members.where(Collection.slug == collection)
        if area:
            members = members.join(Area, col(Area.id) == Collection.area_id).where(Area.slug == area)
        statement = statement.where(col(Method.id).in_(members))
    return statement


def list_methods(
    session: Session,
    collection: str | None = None,
    area: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    flag: str | None = None,
) -> dict[str, Any]:
    """One page of methods ordered by slug, with the total count and the next page's cursor."""
    count = session.exec(_filtered(select(func.count()).select_from(Method), collection, area, flag)).one()
    statement = _filtered(select(Method), collection, area, flag).order_by(col(Method.slug))
    if cursor:
        statement = statement.where(Method.slug > decode_cursor(cursor))
    page = session.exec(statement.limit(limit + 1)).all()
    more = len(page) > limit
    page = page[:limit]
    return {
        "data": summaries(session, list(page)),
        "count": count,
        "next": encode_cursor(page[-1].slug) if more and page else None,
    }


def find_method(session: Session, slug: str) -> tuple[Method | None, str | None]:
    """The method at `slug`, or (None, new slug) when `slug` is an old name that redirects."""
    method = session.exec(select(Method).where(Method.slug == slug)).first()
    if method is not None:
        return method, None
    redirect = session.get(SlugRedirect, slug)
    if redirect is not None:
        target = session.get(Method, redirect.method_id)
        if target is not None:
            return None, target.slug
    return None, None


def _linked(session: Session, method_id: int, outgoing: bool) -> list[dict[str, str]]:
    mine, other = (
        (CrossLink.source_id, CrossLink.target_id) if outgoing else (CrossLink.target_id, CrossLink.source_id)
    )
    rows = session.exec(
        select(Method.slug, Method.name, CrossLink.kind)
        .join(CrossLink, col(Method.id) == other)
        .where(mine == method_id)
        .order_by(col(Method.name))
    )
    return [{"slug": s, "name": n, "kind": k} for s, n, k in rows]


def method_detail(session: Session, method: Method) -> dict[str, Any]:
    assert method.id is not None
    aliases = [
        a for a in _aliases_of(session, [method.id])[method.id] if a not in (method.name, method.full_name)
    ]
    collections = _collections_of(session, [method.id])[method.id]
    paper = session.get(Paper, method.paper_id) if method.paper_id else None
    sources = session.exec(
        select(Provenance, Document)
        .join(Document, col(Document.id) == Provenance.document_id)
        .where(Provenance.method_id == method.id)
        .order_by(col(Provenance.id))
    ).all()
    return {
        "slug": method.slug,
        "name": method.name,
        "full_name": method.full_name,
        "aliases": aliases,
        "description": method.description,
        "flags": _flags(method),
        "flag_notes": {f: FLAG_HELP[f] for f in _flags(method)},
        "collections": [
            {"slug": c["slug"], "name": c["name"], "area": c["area"], "inferred": c["inferred"]}
            for c in collections
        ],
        "areas": [
            {"slug": s, "name": n} for s, n in sorted({(c["area_slug"], c["area"]) for c in collections})
        ],
        "paper": {"title": paper.title, "url": paper.url} if paper else None,
        "year": method.year,
        "source_url": method.source_url or None,
        "code_url": method.code_url or None,
        "num_papers": method.num_papers,
        "sources": [
            {
                "document": document.name,
                "line": provenance.line,
                "line_end": provenance.line_end,
                "key": provenance.key,
                "name": json.loads(provenance.record)["name"],
            }
            for provenance, document in sources
        ],
        "links": {
            "outgoing": _linked(session, method.id, outgoing=True),
            "incoming": _linked(session, method.id, outgoing=False),
        },
        "implementation": implementation_summary(method),
        "implementation_status": method.implementation_status,
        "implementation_reason": method.implementation_reason or None,
    }


def list_collections(session: Session) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Collection, Area, func.count(col(MethodCollection.method_id)))
        .join(Area, col(Area.id) == Collection.area_id)
        .join(MethodCollection, col(MethodCollection.collection_id) == Collection.id, isouter=True)
        .group_by(col(Collection.id), col(Area.id))
        .order_by(col(Area.name), col(Collection.name))
    )
    return [
        {"slug": c.slug, "name": c.name, "area": a.name, "area_slug": a.slug, "count": n} for c, a, n in rows
    ]


def find_collection(session: Session, slug: str) -> tuple[Collection, Area] | None:
    row = session.exec(
        select(Collection, Area).join(Area, col(Area.id) == Collection.area_id).where(Collection.slug == slug)
    ).first()
    return (row[0], row[1]) if row else None


def stats(session: Session) -> dict[str, int]:
    statuses = dict(
        session.exec(
            select(Method.implementation_status, func.count()).group_by(col(Method.implementation_status))
        ).all()
    )
    return {
        "methods": sum(statuses.values()),
        "implementations": statuses.get(RUNNABLE, 0),
        "collections": session.exec(select(func.count()).select_from(Collection)).one(),
        "areas": session.exec(select(func.count()).select_from(Area)).one(),
    }


def export_rows(session: Session, batch: int = 200) -> Iterator[dict[str, Any]]:
    """Every method's detail, in slug order, read in batches."""
    after = ""
    while True:
        page = session.exec(
            select(Method).where(Method.slug > after).order_by(col(Method.slug)).limit(batch)
        ).all()
        if not page:
            return
        for method in page:
            yield method_detail(session, method)
        after = page[-1].slug
