"""What the search index holds for each method, read from the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from catalog.cleaning import DELETED_NAME
from catalog.entry import chunks
from catalog.implementations import RUNNABLE, implementation_of
from catalog.models import Alias, Area, Collection, ImplementationStats, Method, MethodCollection, Paper
from catalog.names import initials, name_key


def index_documents(session: Session, slugs: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    # plain rows, not ORM objects: building 100,000 of those cost more than reading them
    statement = (
        select(
            Method.id,
            Method.slug,
            Method.name,
            Method.full_name,
            Method.num_papers,
            Method.year,
            Method.description,
            Method.source_url,
            Method.implementation_id,
            Method.implementation_status,
        )
        .where(func.lower(col(Method.name)) != DELETED_NAME)
        .order_by(col(Method.id))
    )
    if slugs is not None:
        statement = statement.where(col(Method.slug).in_(list(slugs)))
    methods = session.exec(statement).all()
    ids = [m.id for m in methods]
    # every method: no IN list at all, which would outgrow the database's parameter limit
    everything = [None] if slugs is None else chunks(ids)
    aliases: dict[int, list[str]] = defaultdict(list)
    collections: dict[int, list[tuple[Collection, Area]]] = defaultdict(list)
    paper_titles: dict[int, str] = {}
    for chunk in everything:
        names = select(Alias.method_id, Alias.name)
        rows = (
            select(MethodCollection.method_id, Collection, Area)
            .join(Collection, col(Collection.id) == MethodCollection.collection_id)
            .join(Area, col(Area.id) == Collection.area_id)
        )
        titles = select(Method.id, Paper.title).join(Paper, col(Paper.id) == Method.paper_id)
        if chunk is not None:
            names = names.where(col(Alias.method_id).in_(chunk))
            rows = rows.where(col(MethodCollection.method_id).in_(chunk))
            titles = titles.where(col(Method.id).in_(chunk))
        paper_titles.update(session.exec(titles).all())
        for method_id, alias in session.exec(names):
            aliases[method_id].append(alias)
        for method_id, collection, area in session.exec(rows):
            collections[method_id].append((collection, area))
    params = dict(session.exec(select(ImplementationStats.id, ImplementationStats.params_total)).all())
    for method in methods:
        names = aliases[method.id]
        entry = implementation_of(method)  # type: ignore[arg-type]
        yield {
            "slug": method.slug,
            "name": method.name,
            "full_name": method.full_name,
            "aliases": " ; ".join(n for n in names if n not in (method.name, method.full_name)),
            "labels": "\n".join(names),
            "exact": ",".join(sorted({name_key(n) for n in names if name_key(n)})),
            "initials": ",".join(sorted({i for i in map(initials, names) if i})),
            "popularity": method.num_papers or 0,
            "year": method.year,
            "description": method.description,
            "paper_title": paper_titles.get(method.id, ""),
            "source_url": method.source_url,
            "collection": ",".join(sorted({c.slug for c, _ in collections[method.id]})),
            "area": ",".join(sorted({a.slug for _, a in collections[method.id]})),
            "collection_names": ",".join(sorted({c.name for c, _ in collections[method.id]})),
            "has_implementation": "true" if method.implementation_status == RUNNABLE else "false",
            "implementation_status": method.implementation_status,
            "kind": entry.kind if entry else "",
            **({"params": params[entry.id]} if entry is not None and entry.id in params else {}),
        }
