"""Dependencies: the one catalog, its settings and a session per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from catalog.settings import Settings
from catalog.store import Catalog


def get_catalog(request: Request) -> Catalog:
    return request.app.state.catalog


def get_settings(request: Request) -> Settings:
    return request.app.state.catalog.settings


def get_session(catalog: Annotated[Catalog, Depends(get_catalog)]) -> Iterator[Session]:
    with catalog.session() as session:
        yield session


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
