"""Alembic environment: the catalog's SQLModel metadata, the settings' database URL.

`method-catalog migrate` passes the URL in its config; the `alembic` command
line (`alembic upgrade head`, `alembic check`, `make migration m=...`) reads
it from the catalog's settings, i.e. `DATABASE_URL` or the SQLite file in
`CATALOG_DATA_DIR`.
"""

from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

import catalog.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from catalog.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Leave out the PostgreSQL search backend's tables: a migration owns them, no model describes them."""
    return not (type_ == "table" and name is not None and name.startswith("search_"))


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    settings = get_settings()
    if settings.sqlalchemy_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings.sqlalchemy_url


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        include_name=include_name,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = create_engine(database_url(), poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            include_name=include_name,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
