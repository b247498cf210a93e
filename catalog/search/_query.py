"""Turning any user string into a query, and results into plain data.

Every input is accepted: unbalanced quotes and parentheses, stray operators,
field syntax and 2,000-character strings parse to a query or to nothing, never
to an error. Exact names and acronyms (the `exact` field) outrank everything;
names, full names and aliases outrank descriptions.
"""

from __future__ import annotations

import html
import math
import re

from whoosh import qparser, sorting
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.query import And, NullQuery, NumericRange, Or, Prefix, Query, Term

from catalog.names import name_key
from catalog.search._generations import Generations
from catalog.search._schema import build_schema
from catalog.search._spelling import correct, known
from catalog.search.backend import FACETS, SearchResult

MAX_QUERY_CHARS = 500
EXACT_BOOST = 50.0
PREFIX_BOOST = 3.0
INITIALS_BOOST = 10.0
"""A query that spells a long name's initials ("NAG") finds it, below a real alias of that spelling."""
POPULARITY = 0.08
RERANK_DEPTH = 100
"""Within the top hits, a method many papers use moves up: score × (1 + 0.08 · ln(1 + papers))."""
"""An exact name, full name or alias outranks any number of partial matches."""
TEXT_FIELDS = ("name", "full_name", "aliases", "description")
_FILTER_RE = re.compile(r"\b(collection|area|kind):(\"[^\"]*\"|\S+)", re.I)


def _parser() -> qparser.MultifieldParser:
    schema = build_schema()
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.OrGroup.factory(0.9))
    for plugin in (
        qparser.FieldsPlugin,
        qparser.WildcardPlugin,
        qparser.RangePlugin,
        qparser.BoostPlugin,
        qparser.EveryPlugin,
        qparser.SingleQuotePlugin,
    ):
        parser.remove_plugin_class(plugin)
    return parser


_PARSER = _parser()


def split_filters(text: str) -> tuple[str, dict[str, str]]:
    """`"attention area:computer-vision"` -> (`"attention"`, {"area": "computer-vision"})."""
    filters: dict[str, str] = {}

    def take(match: re.Match[str]) -> str:
        filters[match.group(1).lower()] = match.group(2).strip('"')
        return " "

    return _FILTER_RE.sub(take, text), filters


def _balanced(text: str) -> str:
    """Drop the quote or parenthesis that would leave the query unbalanced."""
    if text.count('"') % 2:
        index = text.rfind('"')
        text = text[:index] + " " + text[index + 1 :]
    depth = 0
    kept = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                continue
            depth -= 1
        kept.append(char)
    return "".join(kept) + ")" * depth


def _prefix(text: str) -> Query:
    """The last word, still being typed, as a prefix of a name ("ghos" -> "Ghost Module")."""
    match = re.search(r"([a-z0-9][a-z0-9-]{1,})$", text.lower())
    if not match or text[-1:].isspace():
        return NullQuery
    word = match.group(1)
    return Or([Prefix(f, word, boost=PREFIX_BOOST) for f in ("name", "full_name", "aliases")])


def build_query(text: str, typing: bool = False) -> Query:
    """The query for `text`; `typing` adds the last word as a name prefix (it is not a word yet)."""
    text = _balanced(text[:MAX_QUERY_CHARS])
    if not re.search(r"\w", text):
        return NullQuery
    try:
        parsed = _PARSER.parse(text)
    except Exception:  # the parser is lenient; this keeps a pathological string from reaching users
        parsed = NullQuery
    key = name_key(text)
    exact = Term("exact", key, boost=EXACT_BOOST) if key else NullQuery
    short = Term("initials", key, boost=INITIALS_BOOST) if 2 < len(key) < 8 else NullQuery
    return Or([exact, short, parsed, _prefix(text) if typing else NullQuery]).normalize()


def _prior(score: float, papers: int) -> float:
    return float(score) * (1.0 + POPULARITY * math.log1p(papers))


def _plain(text: str) -> str:
    return " ".join(text.split())


def _filter_query(filters: dict[str, str], max_params: int | None) -> Query | None:
    terms: list[Query] = [Term(name, value) for name, value in filters.items() if name in FACETS and value]
    if max_params is not None:
        terms.append(NumericRange("params", 0, max_params))
    return And(terms) if terms else None


def search(
    index: Generations,
    text: str,
    limit: int = 20,
    offset: int = 0,
    filters: dict[str, str] | None = None,
    max_params: int | None = None,
) -> SearchResult:
    """Ranked hits with highlighted snippets and facet counts over all matches."""
    remaining, inline = split_filters(text)
    all_filters = {**inline, **{k: v for k, v in (filters or {}).items() if v}}
    if build_query(remaining) is NullQuery or not index.exists():
        return SearchResult(query=text, count=0, hits=[])
    try:
        return _search(index, text, remaining, all_filters, max_params, limit, offset)
    except OSError:
        # a generation pruned under a searcher that had not yet seen the swap: reopen once
        index.reset()
        return _search(index, text, remaining, all_filters, max_params, limit, offset)


def _search(
    index: Generations,
    text: str,
    remaining: str,
    all_filters: dict[str, str],
    max_params: int | None,
    limit: int,
    offset: int,
) -> SearchResult:
    facets = {name: sorting.FieldFacet(name, allow_overlap=True) for name in FACETS}
    with index.searcher() as searcher:
        last = re.search(r"([A-Za-z0-9][\w-]*)$", remaining)
        query = build_query(remaining, typing=bool(last) and not known(searcher, last.group(1)))
        suggestion = correct(searcher, _balanced(remaining[:MAX_QUERY_CHARS]))
        if suggestion is not None:
            query = Or([query, build_query(suggestion)]).normalize()
        results = searcher.search(
            query,
            limit=max(offset + limit, RERANK_DEPTH),
            filter=_filter_query(all_filters, max_params),
            groupedby=facets,
            maptype=sorting.Count,
            terms=True,
        )
        results.fragmenter = ContextFragmenter(maxchars=240, surround=60)
        results.formatter = HtmlFormatter(tagname="mark", between=" … ")
        ranked = sorted(results, key=lambda h: (-_prior(h.score, h.get("popularity") or 0), h.rank))
        hits = []
        for hit in ranked[offset : offset + limit]:
            stored = hit.fields()
            snippet = hit.highlights("description", top=2) or html.escape(
                _plain(stored.get("description", ""))[:200]
            )
            hits.append(
                {
                    "slug": stored["slug"],
                    "name": stored["name"],
                    "full_name": stored.get("full_name", ""),
                    "score": round(_prior(hit.score, stored.get("popularity") or 0), 4),
                    "snippet": snippet,
                    "collections": [c for c in stored.get("collection_names", "").split(",") if c],
                    "has_implementation": stored.get("has_implementation") == "true",
                }
            )
        counted = {
            name: dict(
                sorted(((k, v) for k, v in results.groups(name).items() if k), key=lambda kv: (-kv[1], kv[0]))
            )
            for name in FACETS
        }
        return SearchResult(
            query=text,
            count=len(results),
            hits=hits,
            facets=counted,
            suggestion=suggestion and suggestion.strip(),
        )


def similar(index: Generations, slug: str, limit: int = 10) -> dict[str, float]:
    """Slugs whose descriptions read like `slug`'s (Whoosh's more-like-this), with scores."""
    if not index.exists():
        return {}
    with index.searcher() as searcher:
        docnum = searcher.document_number(slug=slug)
        if docnum is None:
            return {}
        hits = searcher.more_like(docnum, "description", top=limit, numterms=15)
        return {hit["slug"]: float(hit.score) for hit in hits}
