"""The parts of a user's query string every engine reads the same way, with no engine's library.

Inline filters (`area:computer-vision`), the bound on what is searched (the
first `MAX_QUERY_CHARS` characters and `MAX_WORDS` words, quotes and
parentheses balanced), arXiv ids, the word still being typed. Both the
Whoosh backend (`_query.py`) and the PostgreSQL one (`_pg_plan.py`) read them
from here.
"""

from __future__ import annotations

import re

MAX_QUERY_CHARS = 500
MAX_WORDS = 32
"""Words of a query that are searched; a pasted abstract is cut here, not searched for seconds."""
MAX_PARAMS = 2**63 - 1
"""The largest `max_params` a 64-bit column holds; larger bounds mean "no bound"."""
SORTS = ("relevance", "name", "papers", "year")
# How much a whole-query match weighs against the text match, the same for every engine.
EXACT_BOOST = 1000.0
"""An exact name, full name, alias, arXiv id or paper title outranks any number of partial matches."""
DERIVED_EXACT_BOOST = 300.0
"""A name derived from a description ("SE Block", "STD") ranks below a stated one."""
JOINED_BOOST = 300.0
JOINED_PREFIX_BOOST = 60.0
MIN_JOINED_PREFIX = 6
MAX_JOINED_WORDS = 3
"""A query this long that starts a name written without spaces ("batchnorm", "layer norm") finds it."""
INITIALS_BOOST = 100.0
"""A query that spells a name's initials ("NAG", "BN") finds it, below a real alias of that spelling."""
PAPER_PREFIX_BOOST = 200.0
MIN_PAPER_PREFIX = 12
"""The start of a paper's title ("An Image is Worth 16x16 Words") finds the methods it introduced."""
PREFIX_BOOST = 30.0
"""A last word still being typed ("ghos") finds the names it starts."""
FILTER_RE = re.compile(r"\b(collection|area|kind):(\"[^\"]*\"|\S+)", re.I)
ARXIV_RE = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])")
WORD_RE = re.compile(r"\S+")
OPERATOR_RE = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
TYPING_RE = re.compile(r"([a-z0-9][a-z0-9-]{1,})$")


def split_filters(text: str) -> tuple[str, dict[str, str]]:
    """`"attention area:computer-vision"` -> (`"attention"`, {"area": "computer-vision"})."""
    filters: dict[str, str] = {}

    def take(match: re.Match[str]) -> str:
        filters[match.group(1).lower()] = match.group(2).strip('"')
        return " "

    return FILTER_RE.sub(take, text), filters


def balanced(text: str) -> str:
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
    words = WORD_RE.findall(text[:MAX_QUERY_CHARS])
    cut = " ".join(words[:MAX_WORDS])
    if text[:MAX_QUERY_CHARS][-1:].isspace() and len(words) <= MAX_WORDS:
        cut += " "
    return balanced(cut)


def has_words(text: str) -> bool:
    return bool(re.search(r"\w", text))


def typing_word(text: str) -> str | None:
    """The last word, when the query does not end in a space: it may still be being typed."""
    match = TYPING_RE.search(text.lower())
    return None if not match or text[-1:].isspace() else match.group(1)
