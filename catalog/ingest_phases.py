"""Named phases of an ingest: announced to whoever listens, and where a test can stop the process dead.

`announced(listener)` has `listener` called with each phase the thread's
ingests reach (`method-catalog ingest` prints them, so a long ingest is never
silent). `CATALOG_INGEST_FAULT=<phase>` makes the process kill itself with
SIGKILL on reaching that phase; `<phase>:pause` makes it say so on stderr and
wait to be killed from outside. Nothing else reads the variable: it exists so
that tests can prove a crash anywhere leaves a catalog that the next start or
ingest brings back to agreement with its index.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

FAULT_VARIABLE = "CATALOG_INGEST_FAULT"
PHASES = ("parsing", "resolving", "linking", "building the index", "committing", "swapping")


_listening = threading.local()


@contextmanager
def announced(listener: Callable[[str], None]) -> Iterator[None]:
    """Call `listener` with the name of each phase this thread's ingests reach, while in the block."""
    previous = getattr(_listening, "listener", None)
    _listening.listener = listener
    try:
        yield
    finally:
        _listening.listener = previous


def checkpoint(phase: str) -> None:
    """Announce `phase`; stop here if the environment asks for a fault at it."""
    listener = getattr(_listening, "listener", None)
    if listener is not None:
        listener(phase)
    wanted, _, action = os.environ.get(FAULT_VARIABLE, "").partition(":")
    if wanted != phase:
        return
    if action == "pause":
        sys.stderr.write(f"ingest paused at {phase} (pid {os.getpid()})\n")
        sys.stderr.flush()
        while True:
            time.sleep(60)
    os.kill(os.getpid(), signal.SIGKILL)
