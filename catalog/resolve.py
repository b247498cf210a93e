"""A method's shown fields, derived from what its documents say.

The first document to name a method gives its name (and so its slug); the
best description wins (present, then formulas intact, then pairing certain,
then first come); aliases, collections and papers are the union of all
sources. A method that no document files in a collection gets the ones the
taxonomy rules infer from its text, marked as inferred. A slug that changes leaves a redirect behind.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from catalog.entry import FLAGS, ParsedEntry, chunks
from catalog.models import Alias, Area, Collection, Method, MethodCollection, Paper, Provenance, SlugRedirect
from catalog.names import name_key, slugify
from catalog.taxonomy import classify

MAX_SLUG_BASE = 120
"""Characters of a name that go into its slug, leaving room for a tail within the column's 200."""
PENDING_SLUG = "~pending-"
"""Prefix of the placeholder slug a new method holds until it is resolved."""


def _quality(record: dict) -> tuple[int, int, int]:
    flags = record.get("flags", [])
    return (
        "missing_description" in flags,
        "math_stripped" in flags,
        "description_mismatch" in flags,
    )


def _first(records: list[dict], field: str):  # type: ignore[no-untyped-def]
    return next((r[field] for r in records if r.get(field)), None)


class Resolver:
    """Re-derives methods in bulk, with areas, collections, papers and slugs cached for one ingest.

    Methods are read as plain rows and written back with one bulk UPDATE per
    chunk: the ORM's per-object bookkeeping cost more than everything else
    here on a catalog of 100,000 methods.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.areas = {a.slug: a for a in session.exec(select(Area))}
        self.collections = {c.slug: c for c in session.exec(select(Collection))}
        self.papers: dict[str, int] = dict(session.exec(select(Paper.url, Paper.id)).all())  # type: ignore[arg-type]
        self.slugs = dict(session.exec(select(Method.slug, Method.id)).all())
        self.redirects = dict(session.exec(select(SlugRedirect.slug, SlugRedirect.method_id)).all())

    def resolve(self, method_ids: list[int]) -> dict[int, tuple[str, str]]:
        """Re-derive each method from its provenances; returns id -> (slug before or "" when new, slug now).

        Methods go in chunks, so that no `IN` list outgrows the database's limit on parameters.
        """
        slugs: dict[int, tuple[str, str]] = {}
        for chunk in chunks(method_ids):
            slugs.update(self._resolve_chunk(chunk))
        return slugs

    def _resolve_chunk(self, method_ids: list[int]) -> dict[int, tuple[str, str]]:
        session = self.session
        records: dict[int, list[dict]] = {i: [] for i in method_ids}
        for method_id, record in session.exec(
            select(Provenance.method_id, Provenance.record)
            .where(col(Provenance.method_id).in_(method_ids))
            .order_by(col(Provenance.id))
        ):
            records[method_id].append(json.loads(record))
        methods = session.exec(
            select(Method.id, Method.slug).where(col(Method.id).in_(method_ids)).order_by(col(Method.id))
        ).all()
        session.exec(delete(Alias).where(col(Alias.method_id).in_(method_ids)))  # type: ignore[call-overload]
        session.exec(delete(MethodCollection).where(col(MethodCollection.method_id).in_(method_ids)))  # type: ignore[call-overload]
        self._add_papers([records[method_id] for method_id, _ in methods])
        slugs, aliases, filed, rows = {}, [], [], []
        with session.no_autoflush:
            for method_id, slug in methods:
                row = self._derive(method_id, slug, records[method_id])
                rows.append(row)
                slugs[method_id] = (self._move_slug(method_id, slug, row["slug"]), row["slug"])
                aliases += self._aliases(row, records[method_id])
                filed.append((method_id, *self._collections(row, records[method_id])))
        session.flush()
        if rows:
            session.exec(update(Method), params=rows)  # type: ignore[call-overload]
        self._file(filed)
        for chunk in chunks(aliases):
            session.exec(insert(Alias), params=chunk)  # type: ignore[call-overload]
        return slugs

    def _derive(self, method_id: int, slug: str, records: list[dict]) -> dict[str, Any]:
        """The method's shown fields, as one row of the bulk UPDATE."""
        primary, best = records[0], min(records, key=_quality)
        name = primary["name"]
        full_name = primary["full_name"] or _first(records, "full_name") or primary["name"]
        url = _first(records, "paper_url")
        return {
            "id": method_id,
            "name": name,
            "full_name": full_name,
            "description": best["description"],
            "description_format": best.get("description_format", "markdown"),
            "flags": ",".join(f for f in FLAGS if f in set(best["flags"])),
            "year": _first(records, "year"),
            "num_papers": _first(records, "num_papers"),
            "source_url": _first(records, "source_url") or "",
            "code_url": _first(records, "code_url") or "",
            "updated_at": datetime.now(UTC),
            "paper_id": self.papers[url] if url else None,
            "slug": self._slug(method_id, name, slug, records),
        }

    def _move_slug(self, method_id: int, slug: str, new: str) -> str:
        """Record a method's slug change (a redirect from the old one); returns the old slug, "" when new."""
        old = "" if slug.startswith(PENDING_SLUG) else slug
        if new != slug:
            self.slugs.pop(slug, None)
            self.slugs[new] = method_id
        if old and old != new:
            self.session.merge(SlugRedirect(slug=old, method_id=method_id))
            self.redirects[old] = method_id
        if self.redirects.get(new) is not None:
            stale = self.session.get(SlugRedirect, new)
            if stale is not None:
                self.session.delete(stale)
            self.redirects.pop(new)
        return old

    def _add_papers(self, records: list[list[dict]]) -> None:
        """Papers the methods cite that the catalog lacks, inserted in one batch."""
        new: dict[str, str] = {}
        for method_records in records:
            url = _first(method_records, "paper_url")
            if url and url not in self.papers and url not in new:
                new[url] = _first(method_records, "paper_title") or url
        if new:
            rows = [{"url": url, "title": title} for url, title in new.items()]
            inserted = self.session.exec(insert(Paper).returning(Paper.url, Paper.id), params=rows)  # type: ignore[call-overload]
            self.papers.update(inserted.all())

    def _slug(self, method_id: int, name: str, slug: str, records: list[dict]) -> str:
        """`slug` if it still fits the name, else the first free one of the name and a tail."""
        base = slugify(name)[:MAX_SLUG_BASE].rstrip("-") or "method"
        if slug == base or slug.startswith(base + "-"):
            return slug
        tails = [""] + [
            slugify(c["name"])[:60].rstrip("-") for r in records for c in r.get("collections", [])
        ]
        for tail in itertools.chain(tails, map(str, range(2, 10_000))):
            candidate = f"{base}-{tail}" if tail else base
            if (
                self.slugs.get(candidate, method_id) == method_id
                and self.redirects.get(candidate, method_id) == method_id
            ):
                return candidate
        raise ValueError(f"no free slug for {name!r}")

    def _aliases(self, method: dict[str, Any], records: list[dict]) -> list[dict]:
        names = [method["name"], method["full_name"]]
        names += [n for r in records for n in (r["name"], r["full_name"], *r["aliases"])]
        by_key: dict[str, str] = {}
        for name in names:
            if name and name_key(name):
                by_key.setdefault(name_key(name), name)
        return [{"method_id": method["id"], "name": n, "key": k} for k, n in by_key.items()]

    def _collections(self, method: dict[str, Any], records: list[dict]) -> tuple[list[dict], bool]:
        """The documents' collections; for a method no document files, the taxonomy rules' choice."""
        refs = [c for r in records for c in r.get("collections", [])]
        inferred = not refs
        if inferred:
            entry = ParsedEntry(
                name=method["name"],
                full_name=method["full_name"],
                aliases=[n for r in records for n in (r["name"], r["full_name"], *r["aliases"]) if n],
                description=method["description"],
            )
            refs = [{"name": c.name, "area": c.area} for c in classify(entry)]
        return refs, inferred

    def _file(self, filed: list[tuple[int, list[dict], bool]]) -> None:
        """File methods in their collections, creating missing areas, then collections, in one batch each."""
        areas: dict[str, Area] = {}
        collections: dict[str, tuple[str, str]] = {}
        for _, refs, _ in filed:
            for ref in refs:
                slug = slugify(ref["name"])
                if slug not in self.collections and slug not in collections:
                    collections[slug] = (ref["name"], ref["area"])
                    area = slugify(ref["area"])
                    if area not in self.areas and area not in areas:
                        areas[area] = Area(slug=area, name=ref["area"])
        if areas:
            self.session.add_all(areas.values())
            self.session.flush()
            self.areas.update(areas)
        if collections:
            new = {
                slug: Collection(slug=slug, name=name, area_id=self.areas[slugify(area)].id)  # type: ignore[arg-type]
                for slug, (name, area) in collections.items()
            }
            self.session.add_all(new.values())
            self.session.flush()
            self.collections.update(new)
        rows = []
        for method_id, refs, inferred in filed:
            seen: set[str] = set()
            for ref in refs:
                slug = slugify(ref["name"])
                if slug not in seen:
                    seen.add(slug)
                    rows.append(
                        {
                            "method_id": method_id,
                            "collection_id": self.collections[slug].id,
                            "inferred": inferred,
                        }
                    )
        for chunk in chunks(rows):
            self.session.exec(insert(MethodCollection), params=chunk)  # type: ignore[call-overload]
