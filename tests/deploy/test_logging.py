"""The log format setting: text or one JSON object per line, and nothing else."""

from __future__ import annotations

import json
import logging
import logging.config

import pytest
from pydantic import ValidationError

from app.logging_setup import JsonFormatter, log_config
from catalog.settings import Settings, describe


def request_record() -> logging.LogRecord:
    record = logging.LogRecord("catalog.request", logging.INFO, __file__, 1, "%s %s", ("GET", "/"), None)
    for name, value in {
        "method": "GET",
        "route": "/",
        "path": "/",
        "status": 200,
        "duration_ms": 1.5,
    }.items():
        setattr(record, name, value)
    return record


def test_a_json_line_carries_the_request_fields():
    line = json.loads(JsonFormatter().format(request_record()))
    assert {key: line[key] for key in ("level", "logger", "message")} == {
        "level": "info",
        "logger": "catalog.request",
        "message": "GET /",
    }, f"json line {line}"
    assert (line["method"], line["route"], line["status"], line["duration_ms"]) == ("GET", "/", 200, 1.5), (
        line
    )


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_the_uvicorn_log_config_applies(log_format):
    config = log_config(log_format)
    formatter = config["formatters"]["catalog"]
    assert ("()" in formatter) == (log_format == "json"), f"{log_format} uses formatter {formatter}"
    loggers = [logging.getLogger(name) for name in [*config["loggers"], ""]]
    saved = [(logger, logger.handlers[:], logger.level, logger.propagate) for logger in loggers]
    try:
        logging.config.dictConfig(config)
        assert logging.getLogger("catalog.request").isEnabledFor(logging.INFO), (
            "request lines are filtered out"
        )
        handler = logging.getLogger("catalog").handlers[0]
        line = handler.format(request_record())
        assert line.startswith("{") == (log_format == "json"), f"{log_format} wrote {line!r}"
    finally:  # leave logging as pytest's log capture set it up
        for logger, handlers, level, propagate in saved:
            logger.handlers[:], logger.level, logger.propagate = handlers, level, propagate


def test_an_unknown_log_format_is_refused_naming_the_variable():
    with pytest.raises(ValidationError) as caught:
        Settings(CATALOG_LOG_FORMAT="xml")
    assert "CATALOG_LOG_FORMAT='xml'" in describe(caught.value), describe(caught.value)
    with pytest.raises(ValidationError) as caught:
        Settings(CATALOG_SHUTDOWN_TIMEOUT_S="0")
    assert "CATALOG_SHUTDOWN_TIMEOUT_S" in describe(caught.value), describe(caught.value)
