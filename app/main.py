"""The application factory."""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app import api, demo, docs, errors, health, metrics, pages, security
from app.render import is_http_url
from catalog.db import check_schema
from catalog.follow import CatalogFollower
from catalog.read_cache import VersionedCache
from catalog.settings import PROJECT_ROOT, Settings, SettingsError, get_settings
from catalog.store import Catalog
from methods.demo import DemoExecutor


def create_app(settings: Settings | None = None) -> FastAPI:
    if settings is None:
        try:
            settings = get_settings()
        except SettingsError as error:
            # a server must not start on a bad setting, and one line says why better than a traceback
            print(f"error: {error}", file=sys.stderr)
            raise SystemExit(2) from None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        catalog = Catalog(settings)
        check_schema(settings, catalog.engine)
        catalog.refresh_implementations()
        if not catalog.index.ready():
            catalog.ensure_index()  # nothing to search yet: build before serving
        # an index behind the catalog serves while it catches up, and /readyz answers 503 until then
        follower = CatalogFollower(catalog, settings.version_poll_seconds, settings.max_index_lag_seconds)
        follower.start()
        app.state.catalog = catalog
        app.state.follower = follower
        app.state.demo_executor = DemoExecutor(
            queue_size=settings.demo_queue_size,
            timeout_s=settings.demo_timeout_s,
            memory_budget_mb=settings.demo_memory_mb,
        )
        if settings.demo_warm:
            app.state.demo_executor.warm_in_background("cpu")
        app.state.metrics.watch(catalog, app.state.demo_executor)
        # What start-up loaded (modules, routes, the catalog) lives as long as the server: out of the
        # collector's full passes, which otherwise stop every request for a quarter of a second.
        gc.freeze()
        yield
        follower.stop()
        gc.unfreeze()
        app.state.demo_executor.close()
        catalog.close()

    app = FastAPI(
        title="Method Catalog",
        version="1.0",
        summary="A searchable, runnable catalog of machine-learning methods.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,  # ReDoc loads its script from a CDN, which the CSP (and offline use) forbids
    )
    app.state.templates = Jinja2Templates(directory=PROJECT_ROOT / "templates")
    app.state.templates.env.tests["http_url"] = is_http_url
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static")
    app.state.read_cache = VersionedCache()
    errors.install(app)
    security.install(app, settings)
    metrics.install(app)
    app.include_router(api.router)
    app.include_router(demo.router)
    app.include_router(pages.router)
    app.include_router(docs.router)
    app.include_router(health.router)

    return app
