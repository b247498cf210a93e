"""The index schema: what one method looks like to the search engine."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from catalog.search._analysis import name_analyzer, text_analyzer

SCHEMA_VERSION = 5

# BM25F field weights: names count a few times a description, not so much that a shared word in a
# name outweighs a description that says what the query says (`_query.py` adds the coverage of the
# query's words, and exact names their own large boost).
NAME_BOOST = 3.0
FULL_NAME_BOOST = 2.5
ALIASES_BOOST = 2.5
DERIVED_BOOST = 1.5
PAPER_BOOST = 1.5


def build_schema() -> Schema:
    return Schema(
        slug=ID(stored=True, unique=True),
        name=TEXT(analyzer=name_analyzer(), stored=True, field_boost=NAME_BOOST, spelling=True),
        full_name=TEXT(analyzer=name_analyzer(), stored=True, field_boost=FULL_NAME_BOOST, spelling=True),
        aliases=TEXT(analyzer=name_analyzer(), stored=True, field_boost=ALIASES_BOOST, spelling=True),
        derived=TEXT(analyzer=name_analyzer(), field_boost=DERIVED_BOOST),
        exact=KEYWORD(commas=True, lowercase=True, scorable=True, field_boost=12.0),
        derived_exact=KEYWORD(commas=True, lowercase=True, scorable=True, field_boost=6.0),
        initials=KEYWORD(commas=True, lowercase=True, scorable=True, field_boost=6.0),
        joined=KEYWORD(commas=True, lowercase=True, scorable=True),
        arxiv=ID(),
        paper_key=ID(),
        paper=TEXT(analyzer=text_analyzer(), field_boost=PAPER_BOOST),
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
