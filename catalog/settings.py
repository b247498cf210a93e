"""The catalog's settings, read from the environment (every one documented in the README)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_DOCUMENT = PROJECT_ROOT / "data" / "methods-seed.txt"


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
        30.0, alias="CATALOG_DEMO_TIMEOUT_S", gt=0, description="Time limit of one live demo, in seconds."
    )
    demo_queue_size: int = Field(
        4, alias="CATALOG_DEMO_QUEUE_SIZE", ge=1, description="Demos that may wait for a device at once."
    )
    search_backend: str = Field(
        "whoosh",
        alias="CATALOG_SEARCH_BACKEND",
        description="Search engine behind the catalog's search and completion: one of `catalog.search.BACKENDS`.",
    )

    @field_validator("search_backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        from catalog.search import BACKENDS  # the search package reads these settings itself

        if value not in BACKENDS:
            raise ValueError(f"unknown search backend {value!r}; choose one of {', '.join(sorted(BACKENDS))}")
        return value

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'catalog.db').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


@lru_cache
def get_settings() -> Settings:
    return Settings()
