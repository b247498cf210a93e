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

from sqlalchemy import delete, insert
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
    """Re-derives methods in bulk, with areas, collections, papers and slugs cached for one ingest."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.areas = {a.slug: a for a in session.exec(select(Area))}
        self.collections = {c.slug: c for c in session.exec(select(Collection))}
        self.papers = {p.url: p for p in session.exec(select(Paper))}
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
        for provenance in session.exec(
            select(Provenance).where(col(Provenance.method_id).in_(method_ids)).order_by(col(Provenance.id))
        ):
            records[provenance.method_id].append(json.loads(provenance.record))
        methods = session.exec(select(Method).where(col(Method.id).in_(method_ids))).all()
        session.exec(delete(Alias).where(col(Alias.method_id).in_(method_ids)))
        session.exec(delete(MethodCollection).where(col(MethodCollection.method_id).in_(method_ids)))
        self._add_papers([records[m.id] for m in methods if m.id is not None])
        slugs, aliases, filed = {}, [], []
        with session.no_autoflush:
            for method in methods:
                assert method.id is not None
                slugs[method.id] = (self._resolve_one(method, records[method.id]), method.slug)
                aliases += self._aliases(method, records[method.id])
                filed.append((method.id, *self._collections(method, records[method.id])))
        session.flush()
        self._file(filed)
        for chunk in chunks(aliases):
            session.exec(insert(Alias), params=chunk)  # type: ignore[call-overload]
        return slugs

    def _resolve_one(self, method: Method, records: list[dict]) -> str:
        primary, best = records[0], min(records, key=_quality)
        method.name = primary["name"]
        method.full_name = primary["full_name"] or _first(records, "full_name") or primary["name"]
        method.description = best["description"]
        method.description_format = best.get("description_format", "markdown")
        method.flags = ",".join(f for f in FLAGS if f in set(best["flags"]))
        method.year = _first(records, "year")
        method.num_papers = _first(records, "num_papers")
        method.source_url = _first(records, "source_url") or ""
        method.code_url = _first(records, "code_url") or ""
        method.updated_at = datetime.now(UTC)
        url = _first(records, "paper_url")
        method.paper_id = self.papers[url].id if url else None
        old = "" if method.slug.startswith(PENDING_SLUG) else method.slug
        slug = self._slug(method, records)
        if slug != method.slug:
            self.slugs.pop(method.slug, None)
            self.slugs[slug] = method.id  # type: ignore[assignment]
            method.slug = slug
        if old and old != slug:
            self.session.merge(SlugRedirect(slug=old, method_id=method.id))  # type: ignore[arg-type]
            self.redirects[old] = method.id  # type: ignore[assignment]
        if self.redirects.get(slug) is not None:
            stale = self.session.get(SlugRedirect, slug)
            if stale is not None:
                self.session.delete(stale)
            self.redirects.pop(slug)
        self.session.add(method)
        return old

    def _add_papers(self, records: list[list[dict]]) -> None:
        """Papers the methods cite that the catalog lacks, inserted in one batch."""
        new: dict[str, Paper] = {}
        for method_records in records:
            url = _first(method_records, "paper_url")
            if url and url not in self.papers and url not in new:
                new[url] = Paper(url=url, title=_first(method_records, "paper_title") or url)
        if new:
            self.session.add_all(new.values())
            self.session.flush()
            self.papers.update(new)

    def _slug(self, method: Method, records: list[dict]) -> str:
        base = slugify(method.name)[:MAX_SLUG_BASE].rstrip("-") or "method"
        if method.slug == base or method.slug.startswith(base + "-"):
            return method.slug
        tails = [""] + [
            slugify(c["name"])[:60].rstrip("-") for r in records for c in r.get("collections", [])
        ]
        for tail in itertools.chain(tails, map(str, range(2, 10_000))):
            slug = f"{base}-{tail}" if tail else base
            if (
                self.slugs.get(slug, method.id) == method.id
                and self.redirects.get(slug, method.id) == method.id
            ):
                return slug
        raise ValueError(f"no free slug for {method.name!r}")

    def _aliases(self, method: Method, records: list[dict]) -> list[dict]:
        names = [method.name, method.full_name]
        names += [n for r in records for n in (r["name"], r["full_name"], *r["aliases"])]
        by_key: dict[str, str] = {}
        for name in names:
            if name and name_key(name):
                by_key.setdefault(name_key(name), name)
        return [{"method_id": method.id, "name": n, "key": k} for k, n in by_key.items()]

    def _collections(self, method: Method, records: list[dict]) -> tuple[list[dict], bool]:
        """The documents' collections; for a method no document files, the taxonomy rules' choice."""
        refs = [c for r in records for c in r.get("collections", [])]
        inferred = not refs
        if inferred:
            entry = ParsedEntry(
                name=method.name,
                full_name=method.full_name,
                aliases=[n for r in records for n in (r["name"], r["full_name"], *r["aliases"]) if n],
                description=method.description,
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
