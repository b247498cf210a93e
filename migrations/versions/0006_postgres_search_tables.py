"""postgres search tables

The tables of the PostgreSQL search backend (`catalog/search/postgres_backend.py`),
created on PostgreSQL only: on SQLite this revision does nothing. They are not
SQLModel tables (no model reads them; the backend writes them with COPY and
reads them with its own SQL), so `migrations/env.py` leaves every `search_*`
table out of autogenerate's comparison.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 12:40:00.000000
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Names weigh A, other names B, the paper title C, the description D; to_tsvector with a named
# configuration is immutable, so the vector is a stored generated column that COPY fills itself.
DOCUMENT_VECTOR = """
    setweight(to_tsvector('english', name_terms), 'A')
    || setweight(to_tsvector('english', other_terms), 'B')
    || setweight(to_tsvector('english', paper_title), 'C')
    || setweight(to_tsvector('english', description), 'D')
"""

UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""CREATE TABLE search_document (
        slug text PRIMARY KEY,
        name text NOT NULL,
        full_name text NOT NULL,
        aliases text NOT NULL,
        derived text NOT NULL,
        name_terms text NOT NULL,
        other_terms text NOT NULL,
        paper_title text NOT NULL,
        description text NOT NULL,
        collection text[] NOT NULL,
        area text[] NOT NULL,
        collection_names text NOT NULL,
        kind text NOT NULL,
        has_implementation text NOT NULL,
        implementation_status text NOT NULL,
        params bigint,
        popularity integer NOT NULL,
        year integer,
        document tsvector GENERATED ALWAYS AS ({DOCUMENT_VECTOR}) STORED
    )""",
    # no pending list: a search after a rebuild reads the index, not a long list of recent insertions
    "CREATE INDEX ix_search_document_document ON search_document USING gin (document) WITH (fastupdate = off)",
    "CREATE INDEX ix_search_document_name ON search_document (lower(name), slug)",
    "CREATE INDEX ix_search_document_popularity ON search_document (popularity DESC, lower(name))",
    # whole-query keys: exact names, paper titles, arXiv ids, derived, joined and initials, byte-ordered
    # so that a prefix is a range scan
    """CREATE TABLE search_key (
        field text NOT NULL,
        key text COLLATE "C" NOT NULL,
        slug text NOT NULL,
        PRIMARY KEY (field, key, slug)
    )""",
    "CREATE INDEX ix_search_key_slug ON search_key (slug)",
    """CREATE TABLE search_completion (
        key text COLLATE "C" NOT NULL,
        position integer NOT NULL,
        label text NOT NULL,
        slug text NOT NULL,
        name text NOT NULL
    )""",
    "CREATE INDEX ix_search_completion_key ON search_completion (key)",
    "CREATE INDEX ix_search_completion_slug ON search_completion (slug)",
    # stemmed words with their document frequencies (IDF, known words)
    "CREATE TABLE search_lexeme (lexeme text PRIMARY KEY, ndoc integer NOT NULL)",
    # words as written, for spelling corrections by trigram distance and name prefixes
    """CREATE TABLE search_word (
        word text COLLATE "C" PRIMARY KEY,
        name_docs integer NOT NULL,
        text_docs integer NOT NULL
    )""",
    "CREATE INDEX ix_search_word_trigram ON search_word USING gist (word gist_trgm_ops)",
    """CREATE TABLE search_state (
        id integer PRIMARY KEY,
        version integer NOT NULL,
        documents integer NOT NULL,
        built_at double precision NOT NULL
    )""",
]
TABLES = ("search_state", "search_word", "search_lexeme", "search_completion", "search_key", "search_document")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table}")
