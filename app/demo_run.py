"""Running one validated demo in the bounded executor, for the API and the pages alike.

The demo runs in a worker thread while this coroutine watches the caller: one
that disconnects cancels its demo. Every outcome the executor can report becomes
an `APIError` with the status the API documents (see `app.demo`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from app.errors import APIError
from app.schemas import ErrorDetail
from methods.demo import (
    DemoError,
    DemoRequest,
    DemoTimeout,
    InputError,
    QueueFull,
    ValidatedDemo,
    cuda_available,
    validate_request,
)
from methods.demo.errors import DemoCancelled, OutOfMemory, WorkerLost
from methods.spec import MethodEntry

log = logging.getLogger("catalog.demo")
DISCONNECT_POLL_S = 0.2


def input_error(error: InputError) -> APIError:
    return APIError(
        422, f"{error.field}: {error.message}", [ErrorDetail(field=error.field, message=error.message)]
    )


def validated(entry: MethodEntry, body: DemoRequest | dict[str, Any] | None) -> ValidatedDemo:
    """The checked request (a possible CUDA probe, so call it off the event loop)."""
    try:
        return validate_request(entry, body, cuda=cuda_available())
    except InputError as error:
        raise input_error(error) from None


async def execute(request: Request, entry: MethodEntry, demo: ValidatedDemo, run: str | None) -> dict:
    """The demo's result, or the `APIError` its outcome answers; a caller that leaves cancels it."""
    executor = request.app.state.demo_executor
    cancel = threading.Event()
    job = asyncio.ensure_future(
        run_in_threadpool(executor.run, entry.id, demo.as_request(), cancel=cancel, run_id=run)
    )
    try:
        while not (await asyncio.wait({job}, timeout=DISCONNECT_POLL_S))[0]:
            if await request.is_disconnected():
                cancel.set()
    except asyncio.CancelledError:
        cancel.set()
        raise
    try:
        return job.result()
    except InputError as error:
        raise input_error(error) from None
    except OutOfMemory as error:
        raise APIError(422, str(error), [ErrorDetail(field="inputs", message=str(error))]) from None
    except QueueFull as error:
        raise APIError(
            503,
            f"{error.waiting} demos are already waiting for {error.device}; try again shortly",
            headers={"Retry-After": str(max(1, round(error.retry_after_s)))},
        ) from None
    except WorkerLost as error:
        log.error("demo of %s: %s", entry.id, error)
        raise APIError(
            503, f"{error}; it is being replaced", headers={"Retry-After": str(error.retry_after_s)}
        ) from None
    except DemoTimeout as error:
        raise APIError(504, f"the demo ran past its {error.timeout_s:g} s limit and was stopped") from None
    except DemoCancelled as error:
        raise APIError(409, str(error)) from None
    except DemoError as error:
        log.error("demo of %s failed: %s", entry.id, getattr(error, "details", error))
        raise APIError(500, f"the implementation failed: {error}") from None
