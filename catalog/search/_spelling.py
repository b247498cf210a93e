"""Typo tolerance: words the index has never seen are corrected to the nearest words it has.

A word is corrected only when none of its analyzed forms occurs in any text
field (so "capsul", a stem of "capsule", stays), and only within an edit
distance scaled to its length: none below 4 characters, 1 at 4, 2 beyond.
Stop words are left alone, and so is a last word that is still being typed
(a prefix of a known name).
"""

from __future__ import annotations

import re

from whoosh.analysis import STOP_WORDS
from whoosh.searching import Searcher

from catalog.search._schema import build_schema

TEXT_FIELDS = ("name", "full_name", "aliases", "description")
MAX_WORD = 30
"""Longer words are not corrected: no method name has one, and the automaton would be slow."""
_WORD_RE = re.compile(r"[A-Za-z][\w-]*")
_SCHEMA = build_schema()


def max_distance(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) == 4 else 2


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count once)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def known(searcher: Searcher, word: str) -> bool:
    reader = searcher.reader()
    for field in TEXT_FIELDS:
        tokens = [t.text for t in _SCHEMA[field].analyzer(word.lower())]
        if tokens and all(reader.doc_frequency(field, t) for t in tokens):
            return True
    return False


def _names_start_with(searcher: Searcher, prefix: str) -> bool:
    reader = searcher.reader()
    return any(next(iter(reader.expand_prefix(f, prefix)), None) is not None for f in ("name", "aliases"))


def correct(searcher: Searcher, text: str) -> str | None:
    """The query with unknown words replaced by their nearest known words, or None if nothing changed."""
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        limit = max_distance(word)
        if (
            limit == 0
            or len(word) > MAX_WORD
            or "-" in word
            or word.lower() in STOP_WORDS
            or known(searcher, word)
        ):
            return word
        if match.end() == len(text) and _names_start_with(searcher, word.lower()):
            return word
        lowered = word.lower()
        candidates: dict[str, int] = {}
        for field in TEXT_FIELDS:
            for candidate in searcher.suggest(field, lowered, limit=3, maxdist=limit):
                candidates.setdefault(candidate, distance(lowered, candidate))
        if not candidates:
            return word
        best = min(candidates, key=lambda c: (candidates[c], -searcher.doc_frequency("description", c), c))
        changed = True
        return best

    corrected = _WORD_RE.sub(fix, text)
    return corrected if changed else None
