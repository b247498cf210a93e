"""Turning any user string into a query, ranking its matches, and results into plain data.

Every input is accepted: unbalanced quotes and parentheses, stray operators,
field syntax and 10,000-character strings parse to a query or to nothing,
never to an error, and the work is bounded: the first `MAX_WORDS` words are
searched, at most `MAX_CORRECTIONS` of them spell-checked.

Ranking: exact names, aliases, arXiv ids and paper titles (keyword fields
with large boosts) come first. Everything else is BM25F over names, full
names, aliases, names derived from descriptions, paper titles and
descriptions, with moderate name weights, multiplied by how much of the
query the method covers (the share of the query words' IDF found in any of
its fields, so a description that says all of "decoupled weight decay"
beats a name that shares "weight decay") and by a small popularity prior.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh.query import And, Every, NullQuery, NumericRange, Or, Prefix, Query, Term
from whoosh.searching import Searcher

from catalog.names import name_key
from catalog.search._generations import Generations
from catalog.search._schema import build_schema
from catalog.search._snippets import snippet
from catalog.search._spelling import correct
from catalog.search._state import GenerationState, state_of, tokens
from catalog.search.backend import FACETS, SearchResult

MAX_QUERY_CHARS = 500
MAX_WORDS = 32
"""Words of a query that are searched; a pasted abstract is cut here, not searched for seconds."""
MAX_PARAMS = 2**63 - 1
"""The largest `max_params` the index's 64-bit field holds; larger bounds mean "no bound"."""
EXACT_BOOST = 50.0
"""An exact name, full name, alias, arXiv id or paper title outranks any number of partial matches."""
DERIVED_EXACT_BOOST = 20.0
"""A name derived from a description ("SE Block", "STD") ranks below a stated one."""
JOINED_BOOST = 20.0
JOINED_PREFIX_BOOST = 6.0
MIN_JOINED_PREFIX = 6
"""A word this long that starts a name written without spaces ("batchnorm") finds it."""
PREFIX_BOOST = 3.0
INITIALS_BOOST = 10.0
"""A query that spells a long name's initials ("NAG") finds it, below a real alias of that spelling."""
PAPER_PREFIX_BOOST = 15.0
MIN_PAPER_PREFIX = 12
POPULARITY = 0.08
"""Within the ranked hits, a method many papers use moves up: score × (1 + 0.08 · ln(1 + papers))."""
COVERAGE_FLOOR = 0.15
COVERAGE_POWER = 2.0
"""score × (0.15 + 0.85 · coverage²): a method matching half the query's weight keeps about a third."""
RERANK_DEPTH = 200
TEXT_FIELDS = ("name", "full_name", "aliases", "derived", "paper", "description")
WHOLE_FIELDS = frozenset({"exact", "derived_exact", "joined", "arxiv", "paper_key", "initials"})
"""Keyword fields matched by the whole query: a hit on one covers every word."""
SORTS = ("relevance", "name", "papers")
_FILTER_RE = re.compile(r"\b(collection|area|kind):(\"[^\"]*\"|\S+)", re.I)
_ARXIV_RE = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])")
_WORD_RE = re.compile(r"\S+")


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


def bounded(text: str) -> str:
    """The part of `text` that is searched: `MAX_QUERY_CHARS` characters, `MAX_WORDS` words, balanced."""
    words = _WORD_RE.findall(text[:MAX_QUERY_CHARS])
    cut = " ".join(words[:MAX_WORDS])
    if text[:MAX_QUERY_CHARS][-1:].isspace() and len(words) <= MAX_WORDS:
        cut += " "
    return _balanced(cut)


def _prefix(text: str) -> Query:
    """The last word, still being typed, as a prefix of a name ("ghos" -> "Ghost Module")."""
    match = re.search(r"([a-z0-9][a-z0-9-]{1,})$", text.lower())
    if not match or text[-1:].isspace():
        return NullQuery
    word = match.group(1)
    return Or([Prefix(f, word, boost=PREFIX_BOOST) for f in ("name", "full_name", "aliases")])


def build_query(text: str, typing: bool = False) -> Query:
    """The query for `text` (already `bounded`); `typing` adds the last word as a name prefix."""
    if not re.search(r"\w", text):
        return NullQuery
    try:
        parsed = _PARSER.parse(text)
    except Exception:  # the parser is lenient; this keeps a pathological string from reaching users
        parsed = NullQuery
    key = name_key(text)
    whole: list[Query] = [Term("arxiv", found, boost=EXACT_BOOST) for found in _ARXIV_RE.findall(text)]
    if key:
        whole += [
            Term("exact", key, boost=EXACT_BOOST),
            Term("paper_key", key, boost=EXACT_BOOST),
            Term("derived_exact", key, boost=DERIVED_EXACT_BOOST),
            Term("joined", key, boost=JOINED_BOOST),
        ]
        if 2 < len(key) < 8:
            whole.append(Term("initials", key, boost=INITIALS_BOOST))
        if len(key) >= MIN_JOINED_PREFIX and " " not in text.strip():
            whole.append(Prefix("joined", key, boost=JOINED_PREFIX_BOOST))
        if len(key) >= MIN_PAPER_PREFIX:
            whole.append(Prefix("paper_key", key, boost=PAPER_PREFIX_BOOST))
    return Or([*whole, parsed, _prefix(text) if typing else NullQuery]).normalize()


@dataclass
class Plan:
    """What one query searches: the bounded text, its correction, and the words that weigh coverage."""

    text: str
    query: Query
    suggestion: str | None = None
    weights: dict[str, float] = field(default_factory=dict)
    """Analyzed query word -> IDF, for every word the index knows."""

    @property
    def words(self) -> list[str]:
        return _WORD_RE.findall(self.text)


def plan(state: GenerationState, text: str) -> Plan:
    """The query for any user string, its words bounded, unknown words corrected."""
    text = bounded(text)
    last = re.search(r"([A-Za-z0-9][\w-]*)$", text)
    query = build_query(text, typing=bool(last) and not state.known(last.group(1)))
    suggestion = correct(state, text) if query is not NullQuery else None
    if suggestion is not None:
        query = Or([query, build_query(suggestion)]).normalize()
    weights: dict[str, float] = {}
    for word in _WORD_RE.findall(suggestion or text):
        for token in tokens(word.lower().strip('"()')):
            if state.frequency(token):
                weights[token] = state.idf(token)
    return Plan(text=text, query=query, suggestion=suggestion and suggestion.strip(), weights=weights)


def _coverage(matched: set[tuple[str, str]], weights: dict[str, float]) -> float:
    if any(f in WHOLE_FIELDS for f, _ in matched):
        return 1.0
    total = sum(weights.values())
    if not total:
        return 1.0
    words = {t for _, t in matched}
    return sum(w for token, w in weights.items() if token in words) / total


def _prior(papers: int) -> float:
    return 1.0 + POPULARITY * math.log1p(papers)


def _filter_docs(searcher: Searcher, filters: dict[str, str], max_params: int | None) -> set[int] | None:
    terms: list[Query] = [Term(name, value) for name, value in filters.items() if name in FACETS and value]
    if max_params is not None and max_params < MAX_PARAMS:
        terms.append(NumericRange("params", 0, max(0, max_params)))
    return set(searcher.docs_for_query(And(terms))) if terms else None


def search(
    index: Generations,
    text: str,
    limit: int = 20,
    offset: int = 0,
    filters: dict[str, str] | None = None,
    max_params: int | None = None,
    sort: str | None = None,
) -> SearchResult:
    """Ranked hits with snippets and facet counts over all matches.

    With no words but a filter, every method the filters admit, by name
    (`sort` "name", the default then) or by papers (`sort` "papers").
    """
    remaining, inline = split_filters(text)
    all_filters = {**inline, **{k: v for k, v in (filters or {}).items() if v}}
    browsing = not re.search(r"\w", bounded(remaining))
    if (browsing and not all_filters and max_params is None) or not index.exists():
        return SearchResult(query=text, count=0, hits=[])
    try:
        return _search(index, text, remaining, all_filters, max_params, limit, offset, sort, browsing)
    except OSError:
        # a generation pruned under a searcher that had not yet seen the swap: reopen once
        index.reset()
        return _search(index, text, remaining, all_filters, max_params, limit, offset, sort, browsing)


def _search(
    index: Generations,
    text: str,
    remaining: str,
    all_filters: dict[str, str],
    max_params: int | None,
    limit: int,
    offset: int,
    sort: str | None,
    browsing: bool,
) -> SearchResult:
    with index.searcher() as searcher:
        state = state_of(searcher)
        allowed = _filter_docs(searcher, all_filters, max_params)
        if browsing:
            the_plan = Plan(text="", query=Every())
            matched = allowed if allowed is not None else set(searcher.docs_for_query(Every()))
        else:
            the_plan = plan(state, remaining)
            if the_plan.query is NullQuery:
                return SearchResult(query=text, count=0, hits=[])
            matched = set(searcher.docs_for_query(the_plan.query))
            if allowed is not None:
                matched &= allowed
        order = sort if sort in SORTS else ("name" if browsing else "relevance")
        ranked = _rank(searcher, state, the_plan, matched, allowed, order, offset + limit)
        hits = [_hit(searcher, docnum, score, the_plan) for docnum, score in ranked[offset : offset + limit]]
        return SearchResult(
            query=text,
            count=len(matched),
            hits=hits,
            facets=state.facets.count(matched),
            suggestion=the_plan.suggestion,
        )


def _rank(
    searcher: Searcher,
    state: GenerationState,
    the_plan: Plan,
    matched: set[int],
    allowed: set[int] | None,
    order: str,
    wanted: int,
) -> list[tuple[int, float]]:
    """(docnum, score) best first: by relevance, or every match by name or by papers."""
    if order != "relevance" or isinstance(the_plan.query, Every):
        place = state.order(order)
        return [(d, 0.0) for d in sorted(matched, key=lambda d: place.get(d, len(place)))]
    results = searcher.search(the_plan.query, limit=max(wanted, RERANK_DEPTH), filter=allowed, terms=True)
    scored = []
    for hit in results:
        matched_terms = {
            (f, t.decode("utf-8") if isinstance(t, bytes) else str(t)) for f, t in hit.matched_terms()
        }
        cover = _coverage(matched_terms, the_plan.weights)
        factor = (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * cover**COVERAGE_POWER) * _prior(
            hit.get("popularity") or 0
        )
        scored.append((hit.docnum, float(hit.score) * factor, hit.rank))
    scored.sort(key=lambda item: (-item[1], item[2]))
    return [(docnum, score) for docnum, score, _ in scored]


def _hit(searcher: Searcher, docnum: int, score: float, the_plan: Plan) -> dict:
    stored = searcher.stored_fields(docnum)
    return {
        "slug": stored["slug"],
        "name": stored["name"],
        "full_name": stored.get("full_name", ""),
        "score": round(score, 4),
        "snippet": snippet(stored.get("description", ""), set(the_plan.weights)),
        "collections": [c for c in stored.get("collection_names", "").split(",") if c],
        "has_implementation": stored.get("has_implementation") == "true",
    }


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
