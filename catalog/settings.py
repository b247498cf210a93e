"""The catalog's settings, read from the environment (every one documented in the README)."""

from __future__ import annotations

import inspect
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from methods.demo import DemoExecutor

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_DOCUMENT = PROJECT_ROOT / "data" / "methods-seed.txt"
DEFAULT_DEMO_TIMEOUT_S: float = inspect.signature(DemoExecutor).parameters["timeout_s"].default
"""The demo executor's own default time limit: the server and the library agree on one number."""


class SettingsError(ValueError):
    """An invalid setting, said in one line naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    data_dir: Path = Field(
        Path("./var"),
        alias="CATALOG_DATA_DIR",
        description="Folder holding the SQLite database file and the search index.",
    )
    database_url: str = Field(
        "",
        alias="DATABASE_URL",
        description="SQLAlchemy URL of the database; empty means the SQLite file in CATALOG_DATA_DIR. "
        "Use postgresql+psycopg://user@host/db for PostgreSQL.",
    )
    demo_timeout_s: float = Field(
        DEFAULT_DEMO_TIMEOUT_S,
        alias="CATALOG_DEMO_TIMEOUT_S",
        gt=0,
        description="Time limit of one live demo, in seconds.",
    )
    demo_queue_size: int = Field(
        4, alias="CATALOG_DEMO_QUEUE_SIZE", ge=1, description="Demos that may wait for a device at once."
    )
    max_body_bytes: int = Field(
        64 * 1024,
        alias="CATALOG_MAX_BODY_BYTES",
        ge=1,
        description="Largest request body the server reads, in bytes; a larger one is refused with 413.",
    )
    body_timeout_s: float = Field(
        10.0,
        alias="CATALOG_BODY_TIMEOUT_S",
        gt=0,
        description="Time a client has to send a request's whole body, in seconds; then 408.",
    )
    demo_memory_mb: float = Field(
        2048.0,
        alias="CATALOG_DEMO_MEMORY_MB",
        gt=0,
        description="Memory budget of one live demo, in MiB: a request estimated to need more is refused "
        "with a 422, and a demo worker may hold at most what torch needs plus twice this. The default "
        "suits a 2-core host with 24 GiB.",
    )
    demo_warm: bool = Field(
        True,
        alias="CATALOG_DEMO_WARM",
        description="Start the CPU demo worker (loading PyTorch) in the background when the server "
        "starts, so the first demo does not wait for it.",
    )
    max_document_mb: float = Field(
        64.0,
        alias="CATALOG_MAX_DOCUMENT_MB",
        gt=0,
        description="Largest document ingest or parse reads, in megabytes; larger ones are refused.",
    )
    max_document_entries: int = Field(
        100_000,
        alias="CATALOG_MAX_DOCUMENT_ENTRIES",
        ge=1,
        description="Most method entries one document may hold; a document with more is refused.",
    )
    search_backend: str = Field(
        "whoosh",
        alias="CATALOG_SEARCH_BACKEND",
        description="Search engine behind the catalog's search and completion: `whoosh` (the default, an "
        "index on disk in CATALOG_DATA_DIR) or `postgres` (the index in the catalog's PostgreSQL "
        "database, shared by every replica; needs a PostgreSQL DATABASE_URL).",
    )
    index_processes: int = Field(
        0,
        alias="CATALOG_INDEX_PROCESSES",
        ge=0,
        description="Processes that write a new Whoosh index side by side, one segment each: 0 (the "
        "default) uses one per CPU core, at most 4; 1 writes in the ingesting or serving process alone. "
        "Each process gets at least 5,000 methods, so small catalogs use one.",
    )

    version_poll_seconds: float = Field(
        1.0,
        alias="CATALOG_VERSION_POLL_SECONDS",
        ge=0,
        description="How often a server compares its search index with the catalog version in the "
        "database and, when an ingest moved the catalog on, updates the index; 0 checks only at start "
        "(and on /readyz).",
    )
    max_index_lag_seconds: float = Field(
        120.0,
        alias="CATALOG_MAX_INDEX_LAG_SECONDS",
        ge=0,
        description="A server whose index was current keeps answering /readyz 200 while it catches up "
        "with a newer catalog version (serving the old index meanwhile) for at most this many seconds, "
        "then 503 until it is current; 0 answers 503 whenever the index is behind.",
    )

    log_format: Literal["text", "json"] = Field(
        "text",
        alias="CATALOG_LOG_FORMAT",
        description="Log lines as readable text or as one JSON object per line (for a log collector); "
        "either way one line per request with method, route, status and duration.",
    )
    shutdown_timeout_s: float = Field(
        30.0,
        alias="CATALOG_SHUTDOWN_TIMEOUT_S",
        gt=0,
        description="On SIGTERM the server stops accepting connections and gives requests in flight this "
        "many seconds to finish before it closes them and stops the demo workers.",
    )

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        """Resolved once, at start: a later change of working directory cannot move the catalog."""
        return value.expanduser().resolve()

    @field_validator("search_backend")
    @classmethod
    def _known_backend(cls, value: str, info: ValidationInfo) -> str:
        from catalog.search import BACKENDS  # the search package reads these settings itself

        if value not in BACKENDS:
            raise ValueError(f"unknown search backend {value!r}; choose one of {', '.join(sorted(BACKENDS))}")
        if value == "postgres" and not str(info.data.get("database_url", "")).startswith("postgresql"):
            raise ValueError(
                "the postgres search backend keeps its index in the catalog's database: "
                "set DATABASE_URL to a PostgreSQL URL (postgresql+psycopg://...)"
            )
        return value

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'catalog.db').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


def describe(error: ValidationError) -> str:
    """One line: each invalid variable, its value and what is wrong with it."""
    problems = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "settings"
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{name}={item.get('input')!r}: {message}")
    return "invalid setting " + "; ".join(problems)


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment; `SettingsError` (one line) when one is invalid."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(describe(error)) from None
