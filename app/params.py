"""Request parameters shared by a page and its JSON twin, so both validate alike."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from methods.spec import Kind

SLUG_PATTERN = r"^[a-z0-9-]*$"
Slug = Annotated[str, Field(max_length=200, pattern=SLUG_PATTERN)]
TEXT_PATTERN = r"^[^\x00]*$"
"""Free text may hold anything but NUL, which the server refuses before any query (PostgreSQL cannot store it)."""
ImplementationStatus = Literal["runnable", "not_applicable", "missing"]
Sort = Literal["relevance", "name", "papers", "year"]
MAX_PARAMS = 2**63 - 1
"""The largest parameter count a database integer holds; a bigger bound is a 422, not a 500."""


class SearchParams(BaseModel):
    """What `/search` and `/api/v1/search` accept: the query, its filters and the page."""

    q: str = Field(
        "",
        max_length=10_000,
        pattern=TEXT_PATTERN,
        description="Words, names, acronyms, quoted phrases, filters.",
    )
    limit: int = Field(20, ge=1, le=100, description="Hits per page.")
    offset: int = Field(0, ge=0, le=10_000, description="Hits to skip.")
    collection: Slug | None = Field(None, description="Only methods in this collection (its slug).")
    area: Slug | None = Field(None, description="Only methods in this area (its slug).")
    kind: Kind | None = Field(None, description="Implementation kind")
    has_implementation: bool | None = Field(None, description="Only methods with (or without) one.")
    implementation_status: ImplementationStatus | None = Field(
        None, description="Runnable, not applicable (with a reason), or missing"
    )
    max_params: int | None = Field(
        None, ge=0, le=MAX_PARAMS, description="Parameters at the default configuration, at most."
    )
    sort: Sort | None = Field(None, description="Default: relevance with q, name without.")

    def filters(self) -> dict[str, str]:
        """The filters the search index takes, as strings; unset ones left out."""
        found = {
            "collection": self.collection,
            "area": self.area,
            "kind": self.kind,
            "implementation_status": self.implementation_status,
        }
        if self.has_implementation is not None:
            found["has_implementation"] = str(self.has_implementation).lower()
        return {k: v for k, v in found.items() if v}

    def query_string(self, **changes: object) -> dict[str, str]:
        """The parameters as they go into a URL, with `changes` applied; unset and default ones left out."""
        values = {**self.model_dump(), **changes}
        defaults = {name: field.default for name, field in type(self).model_fields.items()}
        shown = {}
        for name, value in values.items():
            if value is None or value == "" or value == defaults.get(name):
                continue
            shown[name] = str(value).lower() if isinstance(value, bool) else str(value)
        return shown
