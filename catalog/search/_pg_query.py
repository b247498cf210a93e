"""Ranking a query's matches in PostgreSQL, counting facets over them, and the page's hits as plain data.

One statement per search. The matches are the documents whose weighted
vector holds any stem of the query (the GIN index) and those matching the
whole query in a keyword (`search_key`); filters and quoted phrases narrow
them; all of them are counted, by facet too. They are scored as the Whoosh
backend scores (`_scoring.py`):

    score = (boosts + TEXT_SCALE · Σ_terms idf(t) · ts_rank(field weights, vector, t))
            × (0.15 + 0.85 · coverage³) × (1 + 0.25 · ln(1 + papers))

where coverage is the share of the query's IDF the document holds (1 for a
whole-query match). Reading a vector costs a detoast per call, so that score
is computed for a shortlist of `RERANKED` matches only, chosen by the same
formula with what the indexes tell without opening a vector: boosts,
popularity, and coverage by the terms fewer than `COMMON_DOCS` documents hold,
each `ts_rank` taken as `ROUGH_RANK`. The statement also returns the page's
names and the words its snippets mark.
"""

from __future__ import annotations

from typing import Any

from catalog.search._pg_plan import Plan, lexeme_query, prefix_range
from catalog.search.backend import FACETS
from catalog.search.passages import MAX_SCANNED, snippet
from catalog.search.query_text import (
    DERIVED_EXACT_BOOST,
    EXACT_BOOST,
    INITIALS_BOOST,
    JOINED_BOOST,
    JOINED_PREFIX_BOOST,
    MAX_JOINED_WORDS,
    MIN_JOINED_PREFIX,
    MIN_PAPER_PREFIX,
    PAPER_PREFIX_BOOST,
    PREFIX_BOOST,
)

MAX_EXPANSIONS = 64
RANK_WEIGHTS = "{0.5, 0.6, 0.8, 1.0}"
"""ts_rank's weights for D (description), C (paper title), B (other names), A (name)."""
RANK_NORMALIZATION = 1
"""ts_rank divides by 1 + log(document length): a long description that mentions a word says less."""
TEXT_SCALE = 10.0
ROUGH_RANK = 0.3
"""What a term's ts_rank is taken to be before the vectors are read: about a description's mention."""
COMMON_DOCS = 2000
"""A term held by more documents than this is not read apart to choose the shortlist (see `_ctes`)."""
RERANKED = 200
"""Matches whose vectors are read to rank them by their text; the rest are ordered by keys and coverage."""
COVERAGE_FLOOR = 0.15
COVERAGE_POWER = 3
POPULARITY = 0.25
_ORDERS = {
    "relevance": "score DESC, slug",
    "name": "lower(name), slug",
    "papers": "popularity DESC, lower(name), slug",
    # newest first, methods without a year last, as in Whoosh
    "year": "coalesce(year, 0) DESC, lower(name), slug",
}
_ARRAY_FACETS = ("collection", "area")


def _boosts(the_plan: Plan, params: dict[str, Any]) -> list[str]:
    """SELECTs of (slug, amount), one per whole-query match the plan asks for."""
    parts: list[str] = []

    def key(field: str, value: str, amount: float, prefix: bool = False) -> None:
        n = len(params)
        if prefix:
            bounds = prefix_range(value)
            params[f"p{n}"], params[f"p{n}h"] = bounds["low"], bounds["high"]
            # the first MAX_EXPANSIONS keys with the prefix, as Whoosh expands a prefix
            parts.append(
                f"SELECT DISTINCT slug, {amount} AS amount FROM search_key WHERE field = '{field}' AND key IN ("
                f"SELECT DISTINCT key FROM search_key WHERE field = '{field}' AND key >= %(p{n})s "
                f"AND key < %(p{n}h)s ORDER BY key LIMIT {MAX_EXPANSIONS})"
            )
        else:
            params[f"p{n}"] = value
            parts.append(
                f"SELECT slug, {amount} AS amount FROM search_key WHERE field = '{field}' AND key = %(p{n})s"
            )

    for found in the_plan.arxiv:
        key("arxiv", found, EXACT_BOOST)
    for value in the_plan.keys:
        key("exact", value, EXACT_BOOST)
        key("paper", value, EXACT_BOOST)
        key("derived", value, DERIVED_EXACT_BOOST)
        key("joined", value, JOINED_BOOST)
        if 1 < len(value) < 8:
            key("initials", value, INITIALS_BOOST)
        if len(value) >= MIN_JOINED_PREFIX and len(the_plan.words) <= MAX_JOINED_WORDS:
            key("joined", value, JOINED_PREFIX_BOOST, prefix=True)
        if len(value) >= MIN_PAPER_PREFIX:
            key("paper", value, PAPER_PREFIX_BOOST, prefix=True)
    if the_plan.typing:
        for weight in ("A", "B"):
            n = len(params)
            params[f"p{n}"] = lexeme_query(the_plan.typing, ":*" + weight)
            parts.append(
                f"SELECT slug, {PREFIX_BOOST} AS amount FROM search_document "
                f"WHERE document @@ %(p{n})s::tsquery"
            )
    return parts


def _filters(filters: dict[str, str], max_params: int | None, params: dict[str, Any]) -> list[str]:
    where = []
    for name in FACETS:
        value = filters.get(name)
        if not value:
            continue
        params[f"f_{name}"] = value
        where.append(f"%(f_{name})s = ANY(d.{name})" if name in _ARRAY_FACETS else f"d.{name} = %(f_{name})s")
    if max_params is not None:
        params["max_params"] = max(0, max_params)
        where.append("d.params <= %(max_params)s")
    return where


def _ctes(the_plan: Plan, params: dict[str, Any]) -> str:
    """`boost`: (slug, amount) of whole-query matches; `hit`: (slug, IDF held) over the query's rarer terms.

    Each term's documents come from the GIN index alone (no vector is opened);
    a term held by more than `COMMON_DOCS` documents is left out of `hit`: it
    adds little to anyone's coverage, and it is counted for the shortlist only.
    """
    boosts = _boosts(the_plan, params)
    boost_sql = " UNION ALL ".join(boosts) or "SELECT NULL::text AS slug, 0.0 AS amount WHERE false"
    holders = []
    single = len(the_plan.weights) == 1
    for i, (lexeme, idf) in enumerate(the_plan.weights.items()):
        params[f"t{i}"], params[f"i{i}"] = lexeme_query(lexeme), idf
        # one term: whoever holds it covers all of it (see `_matched`), nothing to read apart
        if not single and the_plan.frequencies.get(lexeme, 0) <= COMMON_DOCS:
            holders.append(
                f"SELECT slug, %(i{i})s AS idf FROM search_document WHERE document @@ %(t{i})s::tsquery"
            )
    hit_sql = " UNION ALL ".join(holders) or "SELECT NULL::text AS slug, 0.0 AS idf WHERE false"
    return (
        f"boost AS (SELECT slug, sum(amount) AS amount FROM ({boost_sql}) k GROUP BY slug), "
        f"hit AS (SELECT slug, sum(idf) AS covered FROM ({hit_sql}) h GROUP BY slug)"
    )


def _matched(the_plan: Plan, params: dict[str, Any], where: list[str]) -> str:
    """Every match (a document holding a term, or matching the whole query in a keyword) and its boost."""
    single = len(the_plan.weights) == 1

    def columns(holds_a_term: bool) -> str:
        covered = ("%(i0)s" if holds_a_term else "0") if single else "coalesce(h.covered, 0)"
        return (
            f"{_COLUMNS}, coalesce(b.amount, 0) AS amount, {covered} AS covered, b.slug IS NOT NULL AS whole"
        )

    hit = "" if single else " LEFT JOIN hit h USING (slug)"
    filters = " AND ".join(where) or "true"
    boosted = f"SELECT {columns(False)} FROM boost b JOIN search_document d USING (slug){hit} WHERE {filters}"
    if not the_plan.weights:
        return boosted
    params["any"] = " | ".join(lexeme_query(lexeme) for lexeme in the_plan.weights)
    return (
        f"SELECT {columns(True)} FROM search_document d LEFT JOIN boost b USING (slug){hit} "
        f"WHERE d.document @@ %(any)s::tsquery AND {filters} "
        f"UNION ALL {boosted} AND NOT d.document @@ %(any)s::tsquery"
    )


def _factor(total: float, alias: str) -> str:
    """Coverage times popularity, over the columns `covered`, `whole` and `popularity` of `alias`."""
    cover = f"{alias}.covered / {total}" if total else "0"
    return (
        f"({COVERAGE_FLOOR} + {1 - COVERAGE_FLOOR}"
        f" * power(CASE WHEN {alias}.whole OR {total} = 0 THEN 1 ELSE {cover} END, {COVERAGE_POWER}))"
        f" * (1 + {POPULARITY} * ln(1 + {alias}.popularity))"
    )


def _covered(the_plan: Plan) -> str:
    """The IDF of the query terms a document `d` holds, read from its vector."""
    held = [
        f"CASE WHEN d.document @@ %(t{i})s::tsquery THEN %(i{i})s ELSE 0 END"
        for i in range(len(the_plan.weights))
    ]
    return " + ".join(held) or "0"


def _text_score(the_plan: Plan) -> str:
    ranks = [
        f"%(i{i})s * ts_rank('{RANK_WEIGHTS}', d.document, %(t{i})s::tsquery, {RANK_NORMALIZATION})"
        for i in range(len(the_plan.weights))
    ]
    return " + ".join(ranks) or "0"


def _facets_sql() -> str:
    parts = [
        # unnest in the select list (one ProjectSet) costs less per match than a lateral function scan
        f"SELECT '{name}' AS facet, v AS value, count(*) AS n FROM (SELECT unnest({name}) AS v FROM matched) m "
        "GROUP BY v"
        for name in _ARRAY_FACETS
    ]
    parts += [
        f"SELECT '{name}', {name}, count(*) FROM matched WHERE {name} <> '' GROUP BY {name}"
        for name in FACETS
        if name not in _ARRAY_FACETS
    ]
    return " UNION ALL ".join(parts)


_COLUMNS = "d.slug, d.name, d.popularity, d.year, d.collection, d.area, d.kind, d.has_implementation, d.implementation_status"


def search(
    cursor: Any,
    the_plan: Plan | None,
    filters: dict[str, str],
    max_params: int | None,
    limit: int,
    offset: int,
    order: str,
) -> tuple[int, list[dict[str, Any]], dict[str, dict[str, int]]]:
    """(matches, the page's hits, facet counts); `the_plan` None lists what the filters admit.

    Every match is counted and ordered by what its keys and the index say
    (boosts, coverage, popularity); the vectors of only the best `RERANKED`
    (or the page, sorted by name or papers) are read to rank by their text.
    """
    params: dict[str, Any] = {"limit": limit, "offset": offset, "rerank": max(RERANKED, 2 * (offset + limit))}
    where = _filters(filters, max_params, params)
    if the_plan is None:
        ctes = ""
        matched = (
            f"SELECT {_COLUMNS}, 0.0 AS amount, 0.0 AS covered, false AS whole, 0.0 AS rough "
            f"FROM search_document d WHERE {' AND '.join(where) or 'true'}"
        )
        scored = "SELECT slug, name, popularity, year, 0.0 AS score FROM matched"
    else:
        ctes = _ctes(the_plan, params) + ", "
        if the_plan.constraint:
            params["constraint"] = the_plan.constraint
            where.append("d.document @@ websearch_to_tsquery('english', %(constraint)s)")
        total = sum(the_plan.weights.values())
        rough = f"(c.amount + {TEXT_SCALE * ROUGH_RANK} * c.covered) * {_factor(total, 'c')}"
        matched = f"SELECT c.*, {rough} AS rough FROM ({_matched(the_plan, params, where)}) c"
        shortlist = (
            "SELECT * FROM matched ORDER BY rough DESC, slug LIMIT %(rerank)s"
            if order == "relevance"
            else f"SELECT * FROM matched ORDER BY {_ORDERS[order]} LIMIT %(limit)s OFFSET %(offset)s"
        )
        read = (
            f"SELECT c.slug, c.name, c.popularity, c.year, c.amount, c.whole, {_covered(the_plan)} AS covered, "
            f"{_text_score(the_plan)} AS text FROM ({shortlist}) c JOIN search_document d USING (slug)"
        )
        scored = (
            f"SELECT x.slug, x.name, x.popularity, x.year, (x.amount + {TEXT_SCALE} * x.text) * {_factor(total, 'x')} "
            f"AS score FROM ({read}) x"
        )
    cursor.execute(
        f"""WITH {ctes}matched AS MATERIALIZED ({matched}),
        page AS (SELECT slug, score, row_number() OVER (ORDER BY {_ORDERS[order]}) AS place
                 FROM ({scored}) s ORDER BY {_ORDERS[order]}
                 LIMIT %(limit)s OFFSET {"%(offset)s" if the_plan is None or order == "relevance" else 0})
        SELECT (SELECT count(*) FROM matched),
               (SELECT coalesce(json_agg(json_build_array(
                    p.slug, p.score, d.name, d.full_name, d.collection_names, d.has_implementation,
                    left(d.description, {MAX_SCANNED}), {_marks(the_plan, params)}) ORDER BY p.place), '[]')
                FROM page p JOIN search_document d USING (slug)),
               (SELECT coalesce(json_agg(json_build_array(facet, value, n)), '[]') FROM ({_facets_sql()}) f)""",
        params,
    )
    count, page, facet_rows = cursor.fetchone()
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for name, value, n in sorted(facet_rows, key=lambda row: (row[0], -row[2], row[1])):
        facets[name][value] = n
    return count, [_hit(row) for row in page], facets


_WORDS_OF_DESCRIPTION = (
    r"""regexp_split_to_table(lower(left(d.description, {chars})), '[^[:alnum:]_''.-]+')"""
)


def _marks(the_plan: Plan | None, params: dict[str, Any]) -> str:
    """SQL for the words of a page's description whose English stems the query searched for."""
    if the_plan is None or not the_plan.weights:
        return "NULL"
    params["any"] = " | ".join(lexeme_query(lexeme) for lexeme in the_plan.weights)
    words = _WORDS_OF_DESCRIPTION.format(chars=MAX_SCANNED)
    return (
        f"(SELECT array_agg(DISTINCT w) FROM {words} w "
        "WHERE w <> '' AND to_tsvector('english', w) @@ %(any)s::tsquery)"
    )


def _hit(row: list[Any]) -> dict[str, Any]:
    """One hit of the page as the API shows it; its snippet marks the words `_marks` found."""
    slug, value, name, full_name, collection_names, implemented, description, words = row
    # the words as the snippet reads them: starting and ending with a letter or digit
    marked = {w.strip(".'-") for w in words or ()}
    return {
        "slug": slug,
        "name": name,
        "full_name": full_name,
        "score": round(float(value), 4),
        "snippet": snippet(description, marked.__contains__),
        "collections": [c for c in collection_names.split(",") if c],
        "has_implementation": implemented == "true",
    }
