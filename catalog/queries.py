"""Read views: plain data built once and rendered as HTML or JSON alike."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from catalog.citation import arxiv_id, arxiv_url, bibtex
from catalog.cleaning import DELETED_NAME
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
from catalog.names import name_key
from catalog.readable import first_sentences

LISTING_SORTS = ("name", "year", "papers")
"""Orders of a listing: by name (pages keyed by slug), newest first, most papers first."""
VISIBLE = func.lower(col(Method.name)) != DELETED_NAME
"""Condition on `Method` leaving out the export's "(deleted method)" placeholder."""


class BadCursor(ValueError):
    pass


CURSOR_PATTERN = r"^(?:2d|3[0-9]|6[1-9a-f]|7[0-9a])+$"
"""A cursor is the hex of the page's last slug: exactly the strings this pattern takes (hex of
`[a-z0-9-]`), so every cursor the schema allows reads as a slug, and nothing else (no NUL) reaches SQL."""
_CURSOR_RE = re.compile(CURSOR_PATTERN)


def encode_cursor(slug: str) -> str:
    """An opaque cursor: the last slug of a page (pages are in slug order, so it stays stable)."""
    return slug.encode("ascii").hex()


def decode_cursor(cursor: str) -> str:
    if not _CURSOR_RE.match(cursor):
        raise BadCursor(f"invalid cursor {cursor[:40]!r}: pass the `next` value of a previous page")
    return bytes.fromhex(cursor).decode("ascii")


def _flags(method: Method) -> list[str]:
    return [f for f in method.flags.split(",") if f]


def _collections_of(session: Session, ids: list[int]) -> dict[int, list[dict[str, str]]]:
    found: dict[int, list[dict[str, str]]] = defaultdict(list)
    # plain columns, not table objects: this runs over the whole catalog for an export
    rows = session.exec(
        select(
            MethodCollection.method_id,
            MethodCollection.inferred,
            Collection.slug,
            Collection.name,
            Area.name,
            Area.slug,
        )
        .join(Collection, col(Collection.id) == MethodCollection.collection_id)
        .join(Area, col(Area.id) == Collection.area_id)
        .where(col(MethodCollection.method_id).in_(ids))
        .order_by(col(Collection.name))
    )
    for method_id, inferred, slug, name, area, area_slug in rows:
        found[method_id].append(
            {"slug": slug, "name": name, "area": area, "area_slug": area_slug, "inferred": inferred}
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
                "num_papers": method.num_papers,
                "line": first_sentences(method.description),
                "collections": [c["name"] for c in collections[method.id]],
                "areas": sorted({c["area"] for c in collections[method.id]}),
                "has_implementation": method.implementation_status == RUNNABLE,
                "implementation_status": method.implementation_status,
                "url": f"/methods/{method.slug}",
            }
        )
    return rows


def _filtered(statement, collection: str | None, area: str | None, flag: str | None = None):  # type: ignore[no-untyped-def]
    statement = statement.where(VISIBLE)
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
    sort: str = "name",
) -> dict[str, Any]:
    """One page of methods in `sort` order, with the total count and the next page's cursor.

    By name, pages are keyed by the last slug, so they stay stable as methods
    come and go; by year or papers, the cursor holds the number of methods
    before the page (a cursor of the other kind starts from the beginning).
    """
    count = session.exec(_filtered(select(func.count()).select_from(Method), collection, area, flag)).one()
    statement = _filtered(select(Method), collection, area, flag)
    after = decode_cursor(cursor) if cursor else ""
    skip = int(after[1:]) if after.startswith("-") and after[1:].isdigit() else 0
    if sort == "year":
        statement = statement.order_by(col(Method.year).is_(None), col(Method.year).desc(), col(Method.slug))
    elif sort == "papers":
        statement = statement.order_by(func.coalesce(col(Method.num_papers), 0).desc(), col(Method.slug))
    else:
        statement = statement.order_by(col(Method.slug))
        if after and not after.startswith("-"):
            statement = statement.where(Method.slug > after)
    page = session.exec(statement.offset(skip if sort != "name" else 0).limit(limit + 1)).all()
    more = len(page) > limit
    page = page[:limit]
    following = encode_cursor(page[-1].slug if sort == "name" else f"-{skip + limit}") if page else None
    return {"data": summaries(session, list(page)), "count": count, "next": following if more else None}


def find_method(session: Session, slug: str) -> tuple[Method | None, str | None]:
    """The method at `slug`, or (None, new slug) when `slug` is an old name that redirects."""
    method = session.exec(select(Method).where(Method.slug == slug, VISIBLE)).first()
    if method is not None:
        return method, None
    redirect = session.get(SlugRedirect, slug)
    if redirect is not None:
        target = session.get(Method, redirect.method_id)
        if target is not None:
            return None, target.slug
    return None, None


def methods_named(session: Session, alias: str) -> list[dict[str, str]]:
    """The methods one of whose names or aliases has exactly the key of `alias` (`glide`, `silu`)."""
    key = name_key(alias.replace("-", " "))
    if not key:
        return []
    rows = session.exec(
        select(Method.slug, Method.name, Method.full_name)
        .join(Alias, col(Alias.method_id) == Method.id)
        .where(Alias.key == key, VISIBLE)
        .distinct()
        .order_by(col(Method.slug))
    )
    return [{"slug": slug, "name": name, "full_name": full} for slug, name, full in rows]


def _linked_of(session: Session, ids: list[int], outgoing: bool) -> dict[int, list[dict[str, str]]]:
    """Cross-links from (or to) each of `ids`, ordered by the other method's name."""
    mine, other = (
        (CrossLink.source_id, CrossLink.target_id) if outgoing else (CrossLink.target_id, CrossLink.source_id)
    )
    found: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows = session.exec(
        select(mine, Method.slug, Method.name, CrossLink.kind)
        .join(CrossLink, col(Method.id) == other)
        .where(col(mine).in_(ids))
        .order_by(col(Method.name))
    )
    for method_id, slug, name, kind in rows:
        found[method_id].append({"slug": slug, "name": name, "kind": kind})
    return found


def _sources_of(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = session.exec(
        select(
            Provenance.method_id,
            Document.name,
            Provenance.line,
            Provenance.line_end,
            Provenance.key,
            Provenance.record,
        )
        .join(Document, col(Document.id) == Provenance.document_id)
        .where(col(Provenance.method_id).in_(ids))
        .order_by(col(Provenance.id))
    )
    for method_id, document, line, line_end, key, record in rows:
        found[method_id].append(
            {
                "document": document,
                "line": line,
                "line_end": line_end,
                "key": key,
                "name": json.loads(record)["name"],
            }
        )
    return found


def _papers_of(session: Session, methods: list[Method]) -> dict[int, dict[str, str]]:
    ids = {m.paper_id for m in methods if m.paper_id}
    if not ids:
        return {}
    rows = session.exec(select(Paper.id, Paper.title, Paper.url).where(col(Paper.id).in_(ids)))
    return {i: {"title": title, "url": url} for i, title, url in rows}


def _paper(
    method: Method, paper: dict[str, str] | None
) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
    """The paper with its arXiv link (its own page kept as `source_url`), and its citation."""
    if paper is None:
        return None, None
    eprint = arxiv_id(method.source_url, paper["url"])
    link = arxiv_url(eprint) if eprint else paper["url"]
    found = {**paper, "url": link, "arxiv_id": eprint, "source_url": paper["url"]}
    cite = bibtex(method.slug, paper["title"], year=method.year, url=link, eprint=eprint)
    return found, {"bibtex": cite}


def method_details(session: Session, methods: list[Method]) -> list[dict[str, Any]]:
    """Each method's full detail, read with one query per kind of row for the whole batch."""
    ids = [m.id for m in methods if m.id is not None]
    aliases, collections = _aliases_of(session, ids), _collections_of(session, ids)
    sources, papers = _sources_of(session, ids), _papers_of(session, methods)
    outgoing, incoming = _linked_of(session, ids, outgoing=True), _linked_of(session, ids, outgoing=False)
    details = []
    for method in methods:
        assert method.id is not None
        own = [a for a in aliases[method.id] if a not in (method.name, method.full_name)]
        mine = collections[method.id]
        paper, citation = _paper(method, papers.get(method.paper_id) if method.paper_id else None)
        details.append(
            {
                "slug": method.slug,
                "name": method.name,
                "full_name": method.full_name,
                "aliases": own,
                "description": method.description,
                "flags": _flags(method),
                "flag_notes": {f: FLAG_HELP[f] for f in _flags(method)},
                "collections": [
                    {"slug": c["slug"], "name": c["name"], "area": c["area"], "inferred": c["inferred"]}
                    for c in mine
                ],
                "areas": [
                    {"slug": s, "name": n} for s, n in sorted({(c["area_slug"], c["area"]) for c in mine})
                ],
                "paper": paper,
                "citation": citation,
                "year": method.year,
                "source_url": method.source_url or None,
                "code_url": method.code_url or None,
                "num_papers": method.num_papers,
                "sources": sources[method.id],
                "links": {"outgoing": outgoing[method.id], "incoming": incoming[method.id]},
                "implementation": implementation_summary(method),
                "implementation_status": method.implementation_status,
                "implementation_reason": method.implementation_reason or None,
            }
        )
    return details


def method_detail(session: Session, method: Method) -> dict[str, Any]:
    return method_details(session, [method])[0]


def link_anchors(session: Session, method: Method) -> dict[str, str]:
    """The method's description links: each source key it links by, to the linked method's slug."""
    rows = session.exec(
        select(CrossLink.anchor, Method.slug)
        .join(Method, col(Method.id) == CrossLink.target_id)
        .where(CrossLink.source_id == method.id, CrossLink.kind == "link")
    )
    return dict(rows.all())


def list_collections(session: Session) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Collection, Area, func.count(col(Method.id)))
        .join(Area, col(Area.id) == Collection.area_id)
        .join(MethodCollection, col(MethodCollection.collection_id) == Collection.id, isouter=True)
        .join(Method, (col(Method.id) == MethodCollection.method_id) & VISIBLE, isouter=True)
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


def find_area(session: Session, slug: str) -> Area | None:
    return session.exec(select(Area).where(Area.slug == slug)).first()


def method_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Method)).one()


def flagged_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Method).where(Method.flags != "", VISIBLE)).one()


def flagged_methods(session: Session) -> list[Method]:
    """Every method with at least one quality flag, by name."""
    statement = select(Method).where(Method.flags != "", VISIBLE).order_by(func.lower(col(Method.name)))
    return list(session.exec(statement))


def stats(session: Session) -> dict[str, int]:
    statuses = dict(
        session.exec(
            select(Method.implementation_status, func.count())
            .where(VISIBLE)
            .group_by(col(Method.implementation_status))
        ).all()
    )
    return {
        "methods": sum(statuses.values()),
        "implementations": statuses.get(RUNNABLE, 0),
        "collections": session.exec(select(func.count()).select_from(Collection)).one(),
        "areas": session.exec(select(func.count()).select_from(Area)).one(),
    }


def export_rows(session: Session, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Every method's detail, in slug order, read in batches (a handful of queries per batch)."""
    after = ""
    while True:
        page = session.exec(
            select(Method).where(Method.slug > after).order_by(col(Method.slug)).limit(batch)
        ).all()
        if not page:
            return
        yield from method_details(session, list(page))
        after = page[-1].slug
