"""Which methods each catalog version changed, so that a replica behind can update its index in place.

Every ingest (and re-match) that advances the catalog version writes one
`catalog_change` row in the same transaction: the slugs it stored, updated or
removed, or NULL when there were too many to list (or the change is not per
method, such as newly weighed implementations). A replica whose index is at
version `a` reads the rows after `a`; a missing row (a version advanced by
anything else, or pruned) reads as "unknown" and means a full rebuild.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete
from sqlmodel import Session, col, select

from catalog.models import CatalogChange

KEEP_VERSIONS = 1000
"""Rows kept; a replica further behind than this rebuilds its index."""


def record_change(session: Session, version: int, slugs: Collection[str] | None) -> None:
    """Note in the caller's transaction what `version` changed (`None`: too much to list)."""
    text = None if slugs is None else "\n".join(sorted(slugs))
    session.merge(CatalogChange(version=version, slugs=text))
    session.exec(delete(CatalogChange).where(col(CatalogChange.version) <= version - KEEP_VERSIONS))  # type: ignore[call-overload]


def changed_since(session: Session, after: int, upto: int) -> set[str] | None:
    """The slugs changed by versions after `after` up to `upto`; None when any of them is not itemized."""
    if upto <= after:
        return None
    rows = session.exec(
        select(CatalogChange.version, CatalogChange.slugs)
        .where(col(CatalogChange.version) > after)
        .where(col(CatalogChange.version) <= upto)
    ).all()
    if len(rows) != upto - after or any(slugs is None for _, slugs in rows):
        return None
    return {slug for _, slugs in rows for slug in (slugs or "").splitlines() if slug}
