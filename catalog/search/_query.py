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

import heapq
import re
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh.analysis import STOP_WORDS
from whoosh.query import And, NumericRange, Query, Term
from whoosh.searching import Searcher

from catalog.names import name_key
from catalog.search._analysis import tokens
from catalog.search._generations import Generations
from catalog.search._schema import build_schema
from catalog.search._scoring import Boost, score
from catalog.search._snippets import Snippets
from catalog.search._spelling import correct
from catalog.search._state import GenerationState, state_of
from catalog.search.backend import FACETS, SearchResult
from catalog.search.query_text import ARXIV_RE as _ARXIV_RE
from catalog.search.query_text import (
    DERIVED_EXACT_BOOST,
    EXACT_BOOST,
    INITIALS_BOOST,
    JOINED_BOOST,
    JOINED_PREFIX_BOOST,
    MAX_JOINED_WORDS,
    MAX_PARAMS,
    MIN_JOINED_PREFIX,
    MIN_PAPER_PREFIX,
    PAPER_PREFIX_BOOST,
    PREFIX_BOOST,
    SORTS,
    bounded,
    split_filters,
)
from catalog.search.query_text import OPERATOR_RE as _OPERATOR_RE
from catalog.search.query_text import WORD_RE as _WORD_RE

TEXT_FIELDS = ("name", "full_name", "aliases", "derived", "paper", "description")
WARM_WORD = "network"
"""A common word, whose search reads what every scored search reads (`warm`)."""


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


def _typing_prefix(state: GenerationState, text: str) -> str | None:
    """The last word, still being typed, when the index does not know it as a word ("ghos")."""
    match = re.search(r"([a-z0-9][a-z0-9-]{1,})$", text.lower())
    if not match or text[-1:].isspace() or state.known(match.group(1)):
        return None
    return match.group(1)


def _constraint(text: str) -> Query | None:
    """Quoted phrases and AND/NOT operators restrict the matches; plain words never do."""
    if '"' not in text and not _OPERATOR_RE.search(text):
        return None
    try:
        return _PARSER.parse(text)
    except Exception:  # the parser is lenient; this keeps a pathological string from reaching users
        return None


@dataclass
class Plan:
    """What one query searches: its bounded text, correction, weighted terms and whole-query keys."""

    text: str
    suggestion: str | None = None
    weights: dict[str, float] = field(default_factory=dict)
    """Analyzed query word -> IDF, for every word the index knows (stop words aside)."""
    keys: list[str] = field(default_factory=list)
    """The whole query (and its correction) as a name key: "batch norm" -> "batchnorm"."""
    arxiv: list[str] = field(default_factory=list)
    typing: str | None = None
    constraint: Query | None = None

    @property
    def words(self) -> list[str]:
        return _WORD_RE.findall(self.text)


def plan(state: GenerationState, text: str) -> Plan:
    """The search for any user string, its words bounded, unknown words corrected."""
    text = bounded(text)
    suggestion = correct(state, text) if re.search(r"\w", text) else None
    weights: dict[str, float] = {}
    for source in (text, suggestion or ""):
        for word in _WORD_RE.findall(source):
            for token in tokens(word.lower().strip('"()')):
                if token not in STOP_WORDS and state.frequency(token):
                    weights[token] = state.idf(token)
    keys = [k for k in dict.fromkeys(name_key(t) for t in (text, suggestion or "")) if k]
    return Plan(
        text=text,
        suggestion=suggestion and suggestion.strip(),
        weights=weights,
        keys=keys,
        arxiv=_ARXIV_RE.findall(text),
        typing=_typing_prefix(state, text),
        constraint=_constraint(text),
    )


def _boosts(state: GenerationState, the_plan: Plan) -> list[Boost]:
    """Whole-query matches in keyword fields, strongest first."""
    boosts = [Boost(state.postings("arxiv", found), EXACT_BOOST) for found in the_plan.arxiv]
    for key in the_plan.keys:
        boosts += [
            Boost(state.postings("exact", key), EXACT_BOOST),
            Boost(state.postings("paper_key", key), EXACT_BOOST),
            Boost(state.postings("derived_exact", key), DERIVED_EXACT_BOOST),
            Boost(state.postings("joined", key), JOINED_BOOST),
        ]
        if 1 < len(key) < 8:
            boosts.append(Boost(state.postings("initials", key), INITIALS_BOOST))
        if len(key) >= MIN_JOINED_PREFIX and len(the_plan.words) <= MAX_JOINED_WORDS:
            boosts.append(Boost(state.prefixed("joined", key), JOINED_PREFIX_BOOST))
        if len(key) >= MIN_PAPER_PREFIX:
            boosts.append(Boost(state.prefixed("paper_key", key), PAPER_PREFIX_BOOST))
    if the_plan.typing:
        for name in ("name", "full_name", "aliases"):
            boosts.append(Boost(state.prefixed(name, the_plan.typing), PREFIX_BOOST))
    return boosts


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
    (`sort` "name", the default then), by papers (`sort` "papers") or by year, newest first.
    """
    remaining, inline = split_filters(text)
    all_filters = {**inline, **{k: v for k, v in (filters or {}).items() if v}}
    browsing = not re.search(r"\w", bounded(remaining))
    if (browsing and not all_filters and max_params is None) or not index.exists():
        return SearchResult(query=text, count=0, hits=[])
    for attempt in range(2):
        try:
            with index.searcher() as searcher:
                return _ranked(
                    searcher, text, remaining, all_filters, max_params, limit, offset, sort, browsing
                )
        except OSError:
            if attempt:
                raise
            # a generation pruned under a searcher that had not yet seen the swap: reopen once
            index.reset()
    raise AssertionError("unreachable")


def warm(searcher: Searcher) -> None:
    """Read from a newly opened `searcher` what searches read once per index (its tables, common words'
    postings, the spelling dictionary, field lengths, sort orders), so that no search waits for it."""
    state = state_of(searcher)
    _ = state.spelling  # built aside: this waits for it
    state.order("name")
    _ranked(searcher, WARM_WORD, WARM_WORD, {}, None, 1, 0, None, False)


def _ranked(
    searcher: Searcher,
    text: str,
    remaining: str,
    all_filters: dict[str, str],
    max_params: int | None,
    limit: int,
    offset: int,
    sort: str | None,
    browsing: bool,
) -> SearchResult:
    state = state_of(searcher)
    allowed = _filter_docs(searcher, all_filters, max_params)
    if browsing:
        the_plan = Plan(text="")
        scores = dict.fromkeys(allowed if allowed is not None else state.live(), 0.0)
    else:
        the_plan = plan(state, remaining)
        scores = score(state, the_plan.weights, _boosts(state, the_plan))
        if the_plan.constraint is not None:
            admitted = set(searcher.docs_for_query(the_plan.constraint))
            scores = {d: s for d, s in scores.items() if d in admitted}
        if allowed is not None:
            scores = {d: s for d, s in scores.items() if d in allowed}
    order = sort if sort in SORTS else ("name" if browsing else "relevance")
    if order == "relevance":
        best = heapq.nsmallest(offset + limit, [(-value, docnum) for docnum, value in scores.items()])
        ranked = [(docnum, -value) for value, docnum in best]
    else:
        place = state.order(order)
        ranked = [(d, scores[d]) for d in sorted(scores, key=lambda d: place.get(d, len(place)))]
    snippets = Snippets(the_plan.weights)
    hits = [_hit(state, docnum, value, snippets) for docnum, value in ranked[offset : offset + limit]]
    return SearchResult(
        query=text,
        count=len(scores),
        hits=hits,
        facets=state.facets.count(scores),
        suggestion=the_plan.suggestion,
    )


def _hit(state: GenerationState, docnum: int, value: float, snippets: Snippets) -> dict:
    shown = state.shown[docnum]
    assert shown is not None, "a ranked document is a live one"
    return {
        "slug": shown.slug,
        "name": shown.name,
        "full_name": shown.full_name,
        "score": round(value, 4),
        "snippet": snippets(shown.text),
        "collections": list(shown.collections),
        "has_implementation": shown.has_implementation,
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
