"""Named phases of an ingest, where a test can make the ingest process stop dead.

`CATALOG_INGEST_FAULT=<phase>` makes the process kill itself with SIGKILL on
reaching that phase; `<phase>:pause` makes it say so on stderr and wait to be
killed from outside. Nothing else reads the variable: it exists so that tests
can prove a crash anywhere leaves a catalog that the next start or ingest
brings back to agreement with its index.
"""

from __future__ import annotations

import os
import signal
import sys
import time

FAULT_VARIABLE = "CATALOG_INGEST_FAULT"
PHASES = ("parsing", "resolving", "linking", "building the index", "committing", "swapping")


def checkpoint(phase: str) -> None:
    """Stop here if the environment asks for a fault at `phase`."""
    wanted, _, action = os.environ.get(FAULT_VARIABLE, "").partition(":")
    if wanted != phase:
        return
    if action == "pause":
        sys.stderr.write(f"ingest paused at {phase} (pid {os.getpid()})\n")
        sys.stderr.flush()
        while True:
            time.sleep(60)
    os.kill(os.getpid(), signal.SIGKILL)
