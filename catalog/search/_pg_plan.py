"""What one query searches on PostgreSQL: its stems with their IDF, its corrections, its whole-query keys.

The same plan as the Whoosh backend's (`_query.plan`), read from the search
tables: a word is known when every stem PostgreSQL's English configuration
makes of it occurs in some document (a stop word makes none and is skipped);
an unknown word of 4 characters or more is corrected to the nearest word the
catalog uses, within 1 edit at 4 characters and 2 beyond, found by trigram
distance and confirmed by edit distance; a last word that starts a name is
taken as still being typed and left alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from catalog.names import name_key
from catalog.search import corrections
from catalog.search.corrections import SPELL_RE
from catalog.search.query_text import ARXIV_RE, OPERATOR_RE, WORD_RE, bounded, typing_word
from catalog.search.spelling_distance import distance

NEAREST = 40
"""Words nearest by trigram distance whose edit distance is checked."""
_PREFIX_END = "\U0010ffff"

_STEMS = """
    SELECT w.word, t.lexeme, coalesce(l.ndoc, 0)
    FROM unnest(%(words)s::text[]) AS w(word)
    LEFT JOIN LATERAL unnest(to_tsvector('english', w.word)) AS t ON true
    LEFT JOIN search_lexeme l ON l.lexeme = t.lexeme
"""
_NAME_PREFIX = """
    SELECT 1 FROM search_word WHERE name_docs > 0 AND word >= %(low)s AND word < %(high)s LIMIT 1
"""
_NEAREST = """
    SELECT word, name_docs + text_docs FROM search_word WHERE name_docs > 0 OR text_docs >= 2
    ORDER BY word <-> %(word)s LIMIT %(limit)s
"""


def prefix_range(prefix: str) -> dict[str, str]:
    """Bounds of the byte-ordered (COLLATE "C") values that start with `prefix`."""
    return {"low": prefix, "high": prefix + _PREFIX_END}


def lexeme_query(lexeme: str, suffix: str = "") -> str:
    """One lexeme as tsquery input, quoted so that no character of it is an operator."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" + suffix


@dataclass
class Plan:
    text: str
    suggestion: str | None = None
    weights: dict[str, float] = field(default_factory=dict)
    """Stem -> IDF, for every stem of the query (and its correction) that some document holds."""
    frequencies: dict[str, int] = field(default_factory=dict)
    """Stem -> how many documents hold it."""
    keys: list[str] = field(default_factory=list)
    arxiv: list[str] = field(default_factory=list)
    typing: str | None = None
    constraint: str | None = None
    """Quoted phrases and operators, as `websearch_to_tsquery` input; None when the query has neither."""

    @property
    def words(self) -> list[str]:
        return WORD_RE.findall(self.text)


class Vocabulary:
    """The stems of words, with their document frequencies, looked up once per query."""

    def __init__(self, cursor: Any, documents: int) -> None:
        self.cursor = cursor
        self.documents = max(1, documents)
        self.stems: dict[str, list[tuple[str, int]]] = {}

    def look_up(self, words: set[str]) -> None:
        wanted = sorted(w for w in words if w not in self.stems)
        if not wanted:
            return
        for word in wanted:
            self.stems[word] = []
        self.cursor.execute(_STEMS, {"words": wanted})
        for word, lexeme, frequency in self.cursor.fetchall():
            if lexeme is not None:
                self.stems[word].append((lexeme, frequency))

    def known(self, word: str) -> bool:
        stems = self.stems.get(word.lower(), [])
        return bool(stems) and all(frequency for _, frequency in stems)

    def stop_word(self, word: str) -> bool:
        return not self.stems.get(word)

    def idf(self, frequency: int) -> float:
        return math.log(1.0 + self.documents / (1.0 + frequency))

    def names_start_with(self, prefix: str) -> bool:
        self.cursor.execute(_NAME_PREFIX, prefix_range(prefix))
        return self.cursor.fetchone() is not None

    def nearest(self, word: str, limit: int) -> str | None:
        self.cursor.execute(_NEAREST, {"word": word, "limit": NEAREST})
        found = []
        for candidate, frequency in self.cursor.fetchall():
            if abs(len(candidate) - len(word)) <= limit and (edits := distance(word, candidate)) <= limit:
                found.append((edits, -frequency, candidate))
        return min(found)[2] if found else None


def _clean_words(text: str) -> set[str]:
    return {w.lower().strip('"()') for w in WORD_RE.findall(text)} - {""}


def correct(vocabulary: Vocabulary, text: str) -> str | None:
    """The query with unknown words replaced by their nearest known words, or None if nothing changed."""
    vocabulary.look_up({m.group(0).lower() for m in SPELL_RE.finditer(text)})
    return corrections.correct(vocabulary, text)


def websearch_text(text: str) -> str | None:
    """Quoted phrases and AND / OR / NOT as `websearch_to_tsquery` reads them; plain words stay alternatives."""
    if '"' not in text and not OPERATOR_RE.search(text):
        return None
    parts: list[str] = []
    joiner = ""
    for token in re.findall(r'"[^"]*"|\S+', text.replace("(", " ").replace(")", " ")):
        if token in ("AND", "ANDMAYBE"):
            joiner = " "
            continue
        if token in ("NOT", "ANDNOT"):
            joiner = " -"
            continue
        if token == "OR":
            joiner = " or "
            continue
        token = token if token.startswith('"') else token.strip('"-')
        if not token:
            continue
        parts.append((joiner if parts else ("-" if joiner == " -" else "")) + token)
        joiner = " or "
    return "".join(parts) or None


def plan(cursor: Any, documents: int, text: str) -> Plan:
    """The search for any user string, its words bounded, unknown words corrected."""
    text = bounded(text)
    vocabulary = Vocabulary(cursor, documents)
    typing = typing_word(text)
    vocabulary.look_up(_clean_words(text) | ({typing} if typing else set()))
    suggestion = correct(vocabulary, text) if re.search(r"\w", text) else None
    if suggestion:
        vocabulary.look_up(_clean_words(suggestion))
    weights: dict[str, float] = {}
    frequencies: dict[str, int] = {}
    for source in (text, suggestion or ""):
        for word in _clean_words(source):
            for lexeme, frequency in vocabulary.stems.get(word, []):
                if frequency:
                    weights[lexeme] = vocabulary.idf(frequency)
                    frequencies[lexeme] = frequency
    keys = [k for k in dict.fromkeys(name_key(t) for t in (text, suggestion or "")) if k]
    return Plan(
        text=text,
        suggestion=suggestion and suggestion.strip(),
        weights=weights,
        frequencies=frequencies,
        keys=keys,
        arxiv=ARXIV_RE.findall(text),
        typing=typing if typing and not vocabulary.known(typing) else None,
        constraint=websearch_text(text),
    )
