"""Log lines as text or JSON (`CATALOG_LOG_FORMAT`), for the server started by `method-catalog serve`.

Uvicorn's own access log is off: `app.metrics.ObserveRequests` logs one line per request instead,
with the route template as well as the path, which uvicorn cannot know.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

REQUEST_FIELDS = ("method", "route", "path", "status", "duration_ms")
"""Fields a request line carries besides its message (see `app.metrics.ObserveRequests`)."""

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and a request's fields when present."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def log_config(log_format: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` for uvicorn's `log_config`: every logger to stderr in one format."""
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonFormatter"} if log_format == "json" else {"format": TEXT_FORMAT}
    )
    to_stderr = {"handlers": ["stderr"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"catalog": formatter},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "catalog", "stream": "ext://sys.stderr"}
        },
        "loggers": {"uvicorn": to_stderr, "uvicorn.error": {"level": "INFO"}, "catalog": to_stderr},
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
