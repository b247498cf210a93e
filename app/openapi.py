"""The OpenAPI schema as this server runs: it offers only the devices the server has.

The demo's request model names every device a server might have; a schema
offering `cuda` on a server without one would call a request valid that the
server must refuse. Whether there is a GPU is read without importing torch
where that is certain (no NVIDIA driver, no CUDA), so serving the schema does
not load torch on a CPU server.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from methods.demo import cuda_available

NVIDIA_DRIVER = Path("/proc/driver/nvidia")


def server_has_cuda() -> bool:
    if "torch" not in sys.modules and not NVIDIA_DRIVER.exists():
        return False
    return cuda_available()


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            device = schema.get("components", {}).get("schemas", {}).get("DemoRequest", {})
            enum = device.get("properties", {}).get("device", {}).get("enum")
            if enum and not server_has_cuda():
                enum.remove("cuda")
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
