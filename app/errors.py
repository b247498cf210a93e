"""One error shape: `{"ok": false, "status", "error", "errors"}` for the API, a page for people."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.schemas import ErrorDetail, ErrorResponse

log = logging.getLogger("catalog.web")
BODY_NOT_PARSED = "There was an error parsing the body"
"""FastAPI's 400 for a request body it cannot decode at all."""


class APIError(Exception):
    """An error with a status, a message, per-field details and optional headers."""

    def __init__(
        self,
        status: int,
        error: str,
        errors: list[ErrorDetail] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.status, self.error, self.errors, self.headers = status, error, errors or [], headers or {}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def error_response(
    request: Request, status: int, error: str, errors: list[ErrorDetail], headers=None
) -> Response:  # type: ignore[no-untyped-def]
    if _wants_json(request):
        body = ErrorResponse(status=status, error=error, errors=errors).model_dump()
        return JSONResponse(body, status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "error": error, "errors": errors},
        status_code=status,
        headers=headers,
    )


def _field(loc: tuple) -> str:  # type: ignore[type-arg]
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or str(loc[-1] if loc else "request")


def install(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def _api_error(request: Request, exc: APIError) -> Response:
        return error_response(request, exc.status, exc.error, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            ErrorDetail(field=_field(tuple(e.get("loc", ()))), message=e.get("msg", "invalid"))
            for e in exc.errors()
        ]
        summary = "; ".join(f"{e.field}: {e.message}" for e in errors[:3]) or "invalid request"
        return error_response(request, 422, summary, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 400 and message == BODY_NOT_PARSED:
            # a body that is not even text: the same documented 422 as one that is not JSON
            detail = ErrorDetail(field="body", message="the body is not valid JSON")
            return error_response(request, 422, "body: the body is not valid JSON", [detail])
        return error_response(request, exc.status_code, message, [], getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500, "internal error", [])
