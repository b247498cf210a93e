"""The live shape demo over HTTP: validated here, run in the bounded executor."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from app.deps import SessionDep
from app.errors import APIError
from app.schemas import ErrorDetail, ErrorResponse
from catalog import queries
from catalog.implementations import implementation_of
from methods.demo import (
    DemoError,
    DemoRequest,
    DemoTimeout,
    InputError,
    QueueFull,
    cuda_available,
    validate_request,
)

log = logging.getLogger("catalog.demo")
router = APIRouter(prefix="/api/v1", tags=["demo"])


def _input_error(error: InputError) -> APIError:
    return APIError(
        422, f"{error.field}: {error.message}", [ErrorDetail(field=error.field, message=error.message)]
    )


@router.post(
    "/methods/{slug}/demo",
    summary="Run the method's implementation and trace its shapes",
    responses={
        404: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
        503: {"model": ErrorResponse, "description": "Too many demos waiting; see Retry-After"},
        504: {"model": ErrorResponse, "description": "The demo ran past its time limit"},
    },
)
def run_demo(
    slug: str,
    request: Request,
    session: SessionDep,
    body: Annotated[DemoRequest | None, Body()] = None,
) -> dict[str, Any]:
    method, moved_to = queries.find_method(session, slug)
    if method is None:
        raise APIError(404, f"no method {slug[:200]!r}" + (f"; it moved to {moved_to!r}" if moved_to else ""))
    entry = implementation_of(method)
    if entry is None:
        raise APIError(404, f"{method.name} has no implementation to run")
    try:
        demo = validate_request(entry, body, cuda=cuda_available())
    except InputError as error:
        raise _input_error(error) from None
    executor = request.app.state.demo_executor
    try:
        return executor.run(entry.id, demo.as_request())
    except InputError as error:
        raise _input_error(error) from None
    except QueueFull as error:
        raise APIError(
            503,
            f"{error.waiting} demos are already waiting for {error.device}; try again shortly",
            headers={"Retry-After": str(max(1, round(error.retry_after_s)))},
        ) from None
    except DemoTimeout as error:
        raise APIError(504, f"the demo ran past its {error.timeout_s:g} s limit and was stopped") from None
    except DemoError as error:
        log.error("demo of %s failed: %s", entry.id, getattr(error, "details", error))
        raise APIError(500, f"the implementation failed: {error}") from None
