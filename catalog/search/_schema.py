"""The index schema: what one method looks like to the search engine."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, Schema

from catalog.search._analysis import name_analyzer, text_analyzer
from catalog.search._fields import IndexedText

SCHEMA_VERSION = 8
"""Field weights are not here: `_scoring.py` ranks from the postings with its own BM25F weights. Fields
only shown or ranked from their stored value (popularity, collection names) have no postings."""


def build_schema() -> Schema:
    return Schema(
        slug=ID(stored=True, unique=True),
        name=IndexedText(analyzer=name_analyzer(), stored=True, spelling=True),
        full_name=IndexedText(analyzer=name_analyzer(), stored=True, spelling=True),
        aliases=IndexedText(analyzer=name_analyzer(), stored=True, spelling=True),
        derived=IndexedText(analyzer=name_analyzer()),
        exact=KEYWORD(commas=True, lowercase=True, scorable=True),
        derived_exact=KEYWORD(commas=True, lowercase=True, scorable=True),
        initials=KEYWORD(commas=True, lowercase=True, scorable=True),
        joined=KEYWORD(commas=True, lowercase=True, scorable=True),
        arxiv=ID(),
        paper_key=ID(),
        paper=IndexedText(analyzer=text_analyzer()),
        description=IndexedText(analyzer=text_analyzer(), stored=True, spelling=True),
        collection=KEYWORD(commas=True, stored=True),
        area=KEYWORD(commas=True, stored=True),
        collection_names=STORED,
        has_implementation=ID(stored=True),
        implementation_status=ID(stored=True),
        kind=ID(stored=True),
        params=NUMERIC(stored=True, bits=64),
        popularity=STORED,
        labels=STORED,
        text=STORED,
        year=STORED,
    )
