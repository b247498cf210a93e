"""The index schema: what one method looks like to the search engine."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from catalog.search._analysis import name_analyzer, text_analyzer

SCHEMA_VERSION = 4


def build_schema() -> Schema:
    return Schema(
        slug=ID(stored=True, unique=True),
        name=TEXT(analyzer=name_analyzer(), stored=True, field_boost=6.0, spelling=True),
        full_name=TEXT(analyzer=name_analyzer(), stored=True, field_boost=4.0, spelling=True),
        aliases=TEXT(analyzer=name_analyzer(), stored=True, field_boost=5.0, spelling=True),
        exact=KEYWORD(commas=True, lowercase=True, scorable=True, field_boost=12.0),
        initials=KEYWORD(commas=True, lowercase=True, scorable=True, field_boost=6.0),
        description=TEXT(analyzer=text_analyzer(), stored=True, spelling=True),
        collection=KEYWORD(commas=True, stored=True),
        area=KEYWORD(commas=True, stored=True),
        collection_names=KEYWORD(commas=True, stored=True),
        has_implementation=ID(stored=True),
        kind=ID(stored=True),
        params=NUMERIC(stored=True, bits=64),
        popularity=NUMERIC(stored=True),
        labels=STORED,
    )
