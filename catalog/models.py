"""SQL tables of the catalog.

A `Method` is what the catalog shows; each document that speaks of it leaves a
`Provenance` row holding exactly what that document said (`record`, JSON), so
a method's fields can always be re-derived from its sources. Table models are
never returned by the API: see `catalog/schemas.py` for the public shapes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class Area(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=200)
    name: str = Field(unique=True, max_length=200)


class Collection(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=200)
    name: str = Field(unique=True, max_length=200)
    area_id: int = Field(foreign_key="area.id", index=True)


class Paper(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=1000)
    url: str = Field(unique=True, max_length=1000)


class MethodBase(SQLModel):
    slug: str = Field(unique=True, index=True, max_length=200)
    name: str = Field(index=True, max_length=300)
    full_name: str = Field(default="", max_length=500)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    description_format: str = Field(default="markdown", max_length=20)
    flags: str = Field(default="", max_length=200)
    year: int | None = None
    num_papers: int | None = None
    source_url: str = Field(default="", max_length=1000)
    code_url: str = Field(default="", max_length=1000)


class Method(MethodBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    paper_id: int | None = Field(default=None, foreign_key="paper.id", index=True)
    implementation_id: str | None = Field(default=None, max_length=200)
    """The registry entry that runs this method (`catalog/implementations.py` decides, once)."""
    implementation_status: str = Field(
        default="missing", max_length=20, sa_column_kwargs={"server_default": "missing"}
    )
    """`runnable`, `not_applicable` or `missing`."""
    implementation_reason: str = Field(default="", max_length=1000, sa_column_kwargs={"server_default": ""})
    """Why a `not_applicable` method has no implementation; empty otherwise."""
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class Alias(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("method_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    method_id: int = Field(foreign_key="method.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=500)
    key: str = Field(index=True, max_length=500)


class MethodCollection(SQLModel, table=True):
    method_id: int = Field(foreign_key="method.id", primary_key=True, ondelete="CASCADE")
    collection_id: int = Field(foreign_key="collection.id", primary_key=True, index=True)
    inferred: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """True when the catalog's rules (`catalog/taxonomy.py`) chose it, not a document."""


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=500)
    title: str = Field(default="", max_length=1000)
    sha256: str = Field(max_length=64)
    entries: int = 0
    ingested_at: datetime = Field(default_factory=_now)


class Provenance(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("document_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    method_id: int = Field(foreign_key="method.id", index=True, ondelete="CASCADE")
    document_id: int = Field(foreign_key="document.id", index=True)
    key: str = Field(max_length=500)
    line: int = 0
    line_end: int = 0
    record: str = Field(sa_column=Column(Text, nullable=False))


class CrossLink(SQLModel, table=True):
    source_id: int = Field(foreign_key="method.id", primary_key=True, ondelete="CASCADE")
    target_id: int = Field(foreign_key="method.id", primary_key=True, index=True, ondelete="CASCADE")
    kind: str = Field(default="link", max_length=20)
    anchor: str = Field(default="", max_length=500)


class SlugRedirect(SQLModel, table=True):
    slug: str = Field(primary_key=True, max_length=200)
    method_id: int = Field(foreign_key="method.id", index=True, ondelete="CASCADE")


class ImplementationStats(SQLModel, table=True):
    """What a registry implementation weighs at its default configuration, computed once per source."""

    id: str = Field(primary_key=True, max_length=200)
    kind: str = Field(max_length=20)
    params_total: int = 0
    params_trainable: int = 0
    source_sha256: str = Field(max_length=64)


class CatalogState(SQLModel, table=True):
    """One row: the catalog's version and the registry it was matched against.

    Every ingest that changes anything advances `version` in its own
    transaction; the search index records the version it was built from, so
    any disagreement is visible and repaired. `registry_digest` tells start-up
    when the implementation registry changed since methods were matched to it.
    """

    __tablename__ = "catalog_state"  # type: ignore[assignment]
    id: int = Field(default=1, primary_key=True)
    version: int = 0
    registry_digest: str = Field(default="", max_length=64)


class CatalogChange(SQLModel, table=True):
    """What one catalog version changed: its slugs one a line, or NULL for "too many to list".

    Written with the version it describes (see `catalog/changes.py`), so a
    replica behind the catalog updates its index with just those methods.
    """

    __tablename__ = "catalog_change"  # type: ignore[assignment]
    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    slugs: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
