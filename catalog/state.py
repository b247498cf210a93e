"""The catalog's version and registry digest: the one `catalog_state` row."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from catalog.models import CatalogState


def load_state(session: Session) -> CatalogState:
    """The state row, created at version 0 if a database lacks it."""
    state = session.exec(select(CatalogState).where(CatalogState.id == 1)).first()
    if state is None:
        state = CatalogState(id=1)
        session.add(state)
        session.flush()
    return state


def catalog_version(session: Session) -> int:
    state = session.exec(select(CatalogState.version).where(CatalogState.id == 1)).first()
    return state or 0


def advance(session: Session) -> int:
    """Move the catalog to its next version inside the caller's transaction; returns it.

    On PostgreSQL the row lock this update takes also orders concurrent
    ingests: the second waits for the first to commit.
    """
    load_state(session)
    # one UPDATE, not read-then-write, so that two ingests can never both claim the same version
    session.exec(
        update(CatalogState).where(col(CatalogState.id) == 1).values(version=CatalogState.version + 1)
    )  # type: ignore[call-overload]
    return catalog_version(session)


def registry_digest_of(session: Session) -> str:
    return session.exec(select(CatalogState.registry_digest).where(CatalogState.id == 1)).first() or ""


def set_registry_digest(session: Session, digest: str) -> None:
    load_state(session)
    session.exec(update(CatalogState).where(col(CatalogState.id) == 1).values(registry_digest=digest))  # type: ignore[call-overload]
