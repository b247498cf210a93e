"""Typo tolerance for any engine: words the index has never seen are corrected to the nearest known ones.

A word is corrected only when the engine does not know it, and only within an
edit distance scaled to its length: none below 4 characters, 1 at 4, 2
beyond. Words longer than `MAX_WORD`, hyphenated words and stop words are left
alone, and so is a last word that is still being typed (a prefix of a known
name). At most `MAX_CORRECTIONS` unknown words are looked up per query. The
engine supplies the words it knows (`Vocabulary`): Whoosh from its spelling
dictionary (`_spelling.py`), PostgreSQL from its word tables (`_pg_plan.py`).
"""

from __future__ import annotations

import re
from typing import Protocol

from catalog.search.spelling_dictionary import MAX_WORD

MAX_CORRECTIONS = 8
"""Unknown words looked up per query; the rest are left as typed."""
SPELL_RE = re.compile(r"[A-Za-z][\w-]*")


class Vocabulary(Protocol):
    def stop_word(self, lowered: str) -> bool: ...

    def known(self, word: str) -> bool:
        """Whether any analyzed form of `word` (as typed) occurs in the index."""
        ...

    def names_start_with(self, lowered: str) -> bool: ...

    def nearest(self, lowered: str, limit: int) -> str | None:
        """The known word nearest `lowered` within `limit` edits, if any."""
        ...


def max_distance(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) == 4 else 2


def correct(vocabulary: Vocabulary, text: str) -> str | None:
    """The query with unknown words replaced by their nearest known words, or None if nothing changed."""
    changed = False
    looked_up = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal changed, looked_up
        word = match.group(0)
        lowered = word.lower()
        limit = max_distance(word)
        if (
            limit == 0
            or len(word) > MAX_WORD
            or "-" in word
            or vocabulary.stop_word(lowered)
            or looked_up >= MAX_CORRECTIONS
            or vocabulary.known(word)
        ):
            return word
        looked_up += 1
        if match.end() == len(text) and vocabulary.names_start_with(lowered):
            return word
        best = vocabulary.nearest(lowered, limit)
        if best is None:
            return word
        changed = True
        return best

    corrected = SPELL_RE.sub(fix, text)
    return corrected if changed else None
