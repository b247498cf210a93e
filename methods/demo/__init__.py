"""The live shape demo: run an entry on example inputs and report shapes, FLOPs, latency and memory.

Importing this package does not import torch; running a demo does.

- `validate_request(entry, request)` checks a request completely before any tensor exists.
- `run_demo(entry, request)` runs it in this process and returns JSON-ready data.
- `DemoExecutor().run(entry_id, validated.as_request())` runs it in a worker process per
  device, one at a time, with a bounded queue and a time limit.
- `format_report(result)` renders a result as text for the command line.
"""

from methods.demo.errors import DemoError, DemoTimeout, QueueFull
from methods.demo.executor import DEFAULT_REGISTRY, DemoExecutor
from methods.demo.report import format_report
from methods.demo.request import DemoRequest, ValidatedDemo, cuda_available, validate_request
from methods.demo.runner import run_demo
from methods.spec import InputError

__all__ = [
    "DEFAULT_REGISTRY",
    "DemoError",
    "DemoExecutor",
    "DemoRequest",
    "DemoTimeout",
    "InputError",
    "QueueFull",
    "ValidatedDemo",
    "cuda_available",
    "format_report",
    "run_demo",
    "validate_request",
]
