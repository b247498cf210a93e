"""The application factory."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlmodel import func, select

from app import api, demo, errors, pages
from app.deps import CatalogDep
from app.schemas import ErrorDetail, ErrorResponse, Health, Readiness
from catalog.db import check_schema
from catalog.models import Method
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
        catalog.ensure_index()
        app.state.catalog = catalog
        app.state.demo_executor = DemoExecutor(
            queue_size=settings.demo_queue_size,
            timeout_s=settings.demo_timeout_s,
            memory_budget_mb=settings.demo_memory_mb,
        )
        if settings.demo_warm:
            app.state.demo_executor.warm_in_background("cpu")
        yield
        app.state.demo_executor.close()
        catalog.close()

    app = FastAPI(
        title="Method Catalog",
        version="1.0",
        summary="A searchable, runnable catalog of machine-learning methods.",
        lifespan=lifespan,
        docs_url=None,
    )
    app.state.templates = Jinja2Templates(directory=PROJECT_ROOT / "templates")
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static")
    errors.install(app)
    app.include_router(api.router)
    app.include_router(demo.router)
    app.include_router(pages.router)

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        """The API docs, from vendored Swagger UI assets: nothing is fetched from elsewhere."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} · API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )

    @app.get("/healthz", response_model=Health, tags=["health"])
    def healthz(catalog: CatalogDep) -> dict:
        with catalog.session() as session:
            count = session.exec(select(func.count()).select_from(Method)).one()
        return {"ok": True, "methods": count, "index": catalog.index.ready()}

    @app.get(
        "/readyz",
        response_model=Readiness,
        tags=["health"],
        responses={503: {"model": ErrorResponse, "description": "Not ready; `errors` says what is not"}},
    )
    def readyz(catalog: CatalogDep) -> dict | JSONResponse:
        """Ready when the database answers and the index opens and was built from the current catalog.

        An index found behind is rebuilt in the background; until then this answers 503.
        """
        ok, details = catalog.readiness()
        if ok:
            return {"ok": True, **details}
        problems = [
            ErrorDetail(field=field, message=message)
            for field, message in (
                ("database", "the database does not answer"),
                ("index", "the search index is missing or cannot be opened"),
                (
                    "current",
                    f"the search index is at catalog version {details['index_version']}, "
                    f"the database at {details['catalog_version']}: rebuilding",
                ),
            )
            if not details[field]
        ]
        error = ErrorResponse(status=503, error="not ready: " + problems[0].message, errors=problems)
        return JSONResponse(error.model_dump(), status_code=503)

    return app
