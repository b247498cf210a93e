"""Typo tolerance: words the index has never seen are corrected to the nearest words it has.

A word is corrected only when none of its analyzed forms occurs in any text
field (so "capsul", a stem of "capsule", stays), and only within an edit
distance scaled to its length: none below 4 characters, 1 at 4, 2 beyond.
Stop words are left alone, and so is a last word that is still being typed
(a prefix of a known name). Known words cost a dictionary lookup; only
unknown ones reach the spelling dictionary, and at most `MAX_CORRECTIONS` of
them per query.
"""

from __future__ import annotations

import re

from whoosh.analysis import STOP_WORDS

from catalog.search._state import GenerationState
from catalog.search.spelling_dictionary import MAX_WORD

MAX_CORRECTIONS = 8
"""Unknown words looked up per query; the rest are left as typed."""
_WORD_RE = re.compile(r"[A-Za-z][\w-]*")


def max_distance(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) == 4 else 2


def correct(state: GenerationState, text: str) -> str | None:
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
            or lowered in STOP_WORDS
            or looked_up >= MAX_CORRECTIONS
            or state.known(word)
        ):
            return word
        looked_up += 1
        if match.end() == len(text) and state.spelling.names_start_with(lowered):
            return word
        best = state.spelling.nearest(lowered, limit)
        if best is None:
            return word
        changed = True
        return best

    corrected = _WORD_RE.sub(fix, text)
    return corrected if changed else None
