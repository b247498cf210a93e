"""Public shapes of the JSON API (table models are never returned directly)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.params import ImplementationStatus


class ErrorDetail(BaseModel):
    field: str | None = None
    message: str


class ErrorResponse(BaseModel):
    ok: bool = False
    status: int
    error: str
    errors: list[ErrorDetail] = Field(default_factory=list)


class MethodSummary(BaseModel):
    slug: str
    name: str
    full_name: str
    flags: list[str]
    year: int | None
    num_papers: int | None
    line: str = Field(description="The start of the description as readable text.")
    collections: list[str]
    areas: list[str]
    has_implementation: bool
    implementation_status: ImplementationStatus
    url: str


class MethodsPublic(BaseModel):
    data: list[MethodSummary]
    count: int
    next: str | None


class CollectionRef(BaseModel):
    slug: str
    name: str
    area: str
    inferred: bool = Field(description="Chosen by the catalog's taxonomy rules, not by a document.")


class AreaRef(BaseModel):
    slug: str
    name: str


class PaperRef(BaseModel):
    title: str
    url: str = Field(description="The paper on arXiv where its id is known, else its page in the documents.")
    arxiv_id: str | None
    source_url: str = Field(description="The paper's page as the documents give it.")


class Citation(BaseModel):
    bibtex: str


class SourceRef(BaseModel):
    document: str
    line: int
    line_end: int
    key: str
    name: str


class LinkRef(BaseModel):
    slug: str
    name: str
    kind: str


class Links(BaseModel):
    outgoing: list[LinkRef]
    incoming: list[LinkRef]


class RelatedRef(BaseModel):
    slug: str
    name: str
    score: float


class ImplementationRef(BaseModel):
    id: str
    kind: str
    source_path: str
    source: str = Field(
        description="The hand-written file (methods/impl/x.py), or the library object an adapter wraps."
    )
    torch_version: str | None = Field(description="For an adapter, the installed torch it adapts.")
    docs_url: str | None = Field(description="For an adapter, the library's documentation of the object.")
    paper: str
    demo_url: str


class MethodPublic(BaseModel):
    slug: str
    name: str
    full_name: str
    aliases: list[str]
    description: str
    description_html: str
    flags: list[str]
    flag_notes: dict[str, str]
    collections: list[CollectionRef]
    areas: list[AreaRef]
    paper: PaperRef | None
    citation: Citation | None
    year: int | None
    source_url: str | None
    code_url: str | None
    num_papers: int | None
    sources: list[SourceRef]
    links: Links
    related: list[RelatedRef]
    implementation: ImplementationRef | None
    implementation_status: ImplementationStatus
    implementation_reason: str | None = Field(
        description="Why a not_applicable method has no implementation."
    )


class SearchHit(BaseModel):
    slug: str
    name: str
    full_name: str
    score: float
    snippet: str = Field(description="Safe HTML: matches wrapped in <mark>.")
    collections: list[str]
    has_implementation: bool


class SearchPublic(BaseModel):
    query: str
    count: int
    suggestion: str | None = Field(description="The corrected query when words looked misspelled.")
    data: list[SearchHit]
    facets: dict[str, dict[str, int]]


class Completion(BaseModel):
    label: str = Field(description="The name or alias that matched the prefix.")
    slug: str
    name: str


class SuggestPublic(BaseModel):
    query: str
    data: list[Completion]


class CollectionPublic(BaseModel):
    slug: str
    name: str
    area: str
    area_slug: str
    count: int


class CollectionsPublic(BaseModel):
    data: list[CollectionPublic]


class Health(BaseModel):
    ok: bool
    methods: int
    index: bool


class CatalogStats(BaseModel):
    methods: int
    implementations: int = Field(description="Methods with a runnable implementation.")
    collections: int
    areas: int


class AreaCollections(BaseModel):
    slug: str
    name: str
    collections: list[CollectionPublic]


class HomePublic(BaseModel):
    """What the home page shows."""

    stats: CatalogStats
    flagged: int = Field(description="Entries with at least one quality flag.")
    areas: list[AreaCollections]


class FlagGroup(BaseModel):
    flag: str
    note: str
    methods: list[MethodSummary]


class QualityPublic(BaseModel):
    """What the data quality page shows: flagged entries by flag (one entry may show under two)."""

    total: int
    groups: list[FlagGroup]


class CollectionName(BaseModel):
    slug: str
    name: str


class CollectionPagePublic(BaseModel):
    collection: CollectionName
    area: AreaRef
    sort: str
    methods: MethodsPublic


class AreaPagePublic(BaseModel):
    area: AreaRef
    collections: list[CollectionPublic]
    sort: str
    methods: MethodsPublic


class Readiness(BaseModel):
    ok: bool
    database: bool = Field(description="The database answers.")
    index: bool = Field(description="The search index exists and opens.")
    current: bool = Field(description="The index was built from the catalog version the database holds.")
    catalog_version: int | None
    index_version: int | None
    lag_s: float | None = Field(
        None,
        description="Seconds the index has been behind the catalog while this server, ready before, "
        "catches up and serves the old index meanwhile; null when current.",
    )
