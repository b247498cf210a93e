"""Errors a demo can end in besides `methods.spec.InputError` (a caller's bad request)."""

from __future__ import annotations


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
