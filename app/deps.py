"""Dependencies: the one catalog, its settings, a session per request and the cached reads."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlmodel import Session

from catalog.read_cache import VersionedCache, view_version
from catalog.settings import Settings
from catalog.store import Catalog

T = TypeVar("T")


# Dependencies that do no I/O are coroutines: FastAPI runs a plain function in the thread pool,
# a hand-off per dependency per request.
async def get_catalog(request: Request) -> Catalog:
    return request.app.state.catalog


async def get_settings(request: Request) -> Settings:
    return request.app.state.catalog.settings


def get_session(catalog: Annotated[Catalog, Depends(get_catalog)]) -> Iterator[Session]:
    with catalog.session() as session:
        yield session


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]


class Reader:
    """One request's reads: its session, and views cached until the catalog changes."""

    def __init__(self, catalog: Catalog, session: Session, cache: VersionedCache) -> None:
        self.catalog, self.session, self.cache = catalog, session, cache
        self._version: tuple[Any, ...] | None = None

    def cached(self, key: Hashable, build: Callable[[], T]) -> T:
        if self._version is None:
            self._version = view_version(self.session, self.catalog.index)
        return self.cache.get(self._version, key, build)


async def get_reader(request: Request, catalog: CatalogDep, session: SessionDep) -> Reader:
    return Reader(catalog, session, request.app.state.read_cache)


ReaderDep = Annotated[Reader, Depends(get_reader)]
