"""The live shape demo over HTTP: validated here, run in the bounded executor.

What each outcome answers:

- 200: the demo's result.
- 422: the request cannot run here: a bad field, `cuda` without a GPU, an
  estimated peak over the memory budget (`CATALOG_DEMO_MEMORY_MB`; the message
  names the estimate and the budget), or a demo that ran out of its worker's
  memory limit anyway (the worker is replaced; the message names the limit).
- 503 with `Retry-After`: the queue is full, or the worker died during the demo
  (it is being replaced; the same request may then succeed).
- 504: the demo ran past `CATALOG_DEMO_TIMEOUT_S`; its worker is replaced.
- 409: the demo was cancelled (`DELETE /api/v1/demo/runs/{run}`); a caller
  that disconnects cancels its demo too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from starlette.concurrency import run_in_threadpool

from app.demo_run import execute
from app.demo_run import input_error as _input_error
from app.deps import CatalogDep
from app.errors import APIError
from app.schemas import ErrorResponse
from catalog import queries
from catalog.implementations import runnable_entry
from catalog.store import Catalog
from methods.demo import (
    DemoRequest,
    InputError,
    ValidatedDemo,
    cuda_available,
    validate_request,
)
from methods.demo.request import devices
from methods.spec import MethodEntry

router = APIRouter(prefix="/api/v1", tags=["demo"])

RunId = Annotated[
    str | None,
    Query(
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="A name the caller picks for this run (a random id), to cancel it with "
        "DELETE /api/v1/demo/runs/{run}.",
    ),
]


def _validated(catalog: Catalog, slug: str, body: DemoRequest | None) -> tuple[MethodEntry, ValidatedDemo]:
    """The entry and the checked request (database reads and a possible CUDA probe, so off the event loop)."""
    with catalog.session() as session:
        method, moved_to = queries.find_method(session, slug)
        if method is None:
            moved = f"; it moved to {moved_to!r}" if moved_to else ""
            raise APIError(404, f"no method {slug[:200]!r}{moved}")
        entry = runnable_entry(method, catalog.registry)
        if entry is None:
            raise APIError(404, f"{method.name} has no implementation to run")
    try:
        return entry, validate_request(entry, body, cuda=cuda_available())
    except InputError as error:
        raise _input_error(error) from None


@router.post(
    "/methods/{slug}/demo",
    summary="Run the method's implementation and trace its shapes",
    responses={
        404: {"model": ErrorResponse},
        409: {"model": ErrorResponse, "description": "The demo was cancelled"},
        422: {
            "model": ErrorResponse,
            "description": "A bad field, cuda without a GPU, or more memory than the demo budget",
        },
        503: {
            "model": ErrorResponse,
            "description": "Too many demos waiting, or the worker died and is being replaced; see Retry-After",
        },
        504: {"model": ErrorResponse, "description": "The demo ran past its time limit"},
    },
)
async def run_demo(
    slug: str,
    request: Request,
    catalog: CatalogDep,
    body: Annotated[DemoRequest | None, Body()] = None,
    run: RunId = None,
) -> dict[str, Any]:
    entry, demo = await run_in_threadpool(_validated, catalog, slug, body)
    return await execute(request, entry, demo, run)


@router.delete(
    "/demo/runs/{run}",
    summary="Cancel a demo started with ?run=",
    responses={404: {"model": ErrorResponse}},
)
def cancel_demo(run: str, request: Request) -> dict[str, Any]:
    if not request.app.state.demo_executor.cancel_run(run):
        raise APIError(404, f"no demo {run[:64]!r} is queued or running")
    return {"ok": True, "run": run, "cancelled": True}


@router.get("/demo/status", summary="Whether the demo worker has loaded PyTorch, and the demo's limits")
def demo_status(request: Request) -> dict[str, Any]:
    executor = request.app.state.demo_executor
    lanes = {
        device: {key: lane[key] for key in ("ready", "pending", "restarts")}
        for device, lane in executor.status().items()
    }
    cpu = lanes.get("cpu")
    return {
        "ready": bool(cpu and cpu["ready"]),
        "loading": bool(cpu and not cpu["ready"]),
        "devices": list(devices()),
        "memory_budget_mb": (executor.memory_budget_bytes or 0) / 2**20 or None,
        "timeout_s": executor.timeout_s,
        "lanes": lanes,
    }
