"""Errors a demo can end in besides `methods.spec.InputError` (a caller's bad request)."""

from __future__ import annotations

from methods.spec import InputError


class DemoError(RuntimeError):
    """A demo failed for a reason that is not the caller's input (a bug, a crashed worker).

    `details` holds the worker's traceback, when there is one, for the server's log.
    """

    def __init__(self, message: str, details: str | None = None) -> None:
        super().__init__(message)
        self.details = details


class DemoTimeout(DemoError):
    """A demo ran past its time limit; its worker was killed and is being restarted."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(f"the demo ran past its time limit of {timeout_s:g} s")
        self.timeout_s = timeout_s


class QueueFull(DemoError):
    """Too many demos are already waiting for the device; try again after `retry_after_s`."""

    def __init__(self, device: str, waiting: int, retry_after_s: int) -> None:
        super().__init__(f"{waiting} demos are already waiting for {device}; retry in {retry_after_s} s")
        self.device = device
        self.waiting = waiting
        self.retry_after_s = retry_after_s


class MemoryBudgetExceeded(InputError):
    """A request whose estimated peak memory is over the demo memory budget; refused before it runs."""

    def __init__(self, field: str, estimate_bytes: int, budget_bytes: int) -> None:
        super().__init__(
            field,
            f"this demo would need about {_mib(estimate_bytes)} of memory (estimated before running), "
            f"over the demo memory budget of {_mib(budget_bytes)}; use smaller shapes or hyperparameters",
        )
        self.estimate_bytes = estimate_bytes
        self.budget_bytes = budget_bytes


class OutOfMemory(DemoError):
    """The demo ran out of its worker's memory limit; the worker was replaced."""

    def __init__(self, message: str, limit_bytes: int | None) -> None:
        limit = f" of {_mib(limit_bytes)}" if limit_bytes else ""
        super().__init__(f"the demo ran out of the demo worker's memory limit{limit}: {message}")
        self.limit_bytes = limit_bytes


class WorkerLost(DemoError):
    """The worker process died during a demo (killed, or crashed in native code); it is being replaced."""

    def __init__(self, device: str, exitcode: int | None, retry_after_s: int = 5) -> None:
        super().__init__(f"the {device} demo worker stopped during the demo (exit code {exitcode})")
        self.exitcode = exitcode
        self.retry_after_s = retry_after_s


class DemoCancelled(DemoError):
    """The demo was cancelled (by its caller, or because the caller went away); its worker was replaced."""

    def __init__(self) -> None:
        super().__init__("the demo was cancelled")


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"
