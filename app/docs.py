"""The API reference at `/docs`: vendored Swagger UI, started by a script file.

FastAPI's own page starts Swagger UI with an inline script, which the
catalog's Content-Security-Policy refuses; this page is the same UI with the
start-up moved to `static/swagger-init.js`, and nothing fetched from elsewhere.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> Response:
    app = request.app
    return app.state.templates.TemplateResponse(
        request,
        "docs.html",
        {"title": f"{app.title} · API", "openapi_url": app.openapi_url or "/openapi.json"},
    )
