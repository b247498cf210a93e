"""Whoosh's typo tolerance: the shared correction rules (`corrections.py`) over its spelling dictionary.

A word counts as known when any of its analyzed forms occurs in a text field
(so "capsul", a stem of "capsule", stays). Known words cost a dictionary
lookup; only unknown ones reach the spelling dictionary.
"""

from __future__ import annotations

from whoosh.analysis import STOP_WORDS

from catalog.search import corrections
from catalog.search._state import GenerationState


class _Known:
    """A generation's words, as the correction rules ask for them."""

    def __init__(self, state: GenerationState) -> None:
        self.state = state

    def stop_word(self, lowered: str) -> bool:
        return lowered in STOP_WORDS

    def known(self, word: str) -> bool:
        return self.state.known(word)

    def names_start_with(self, lowered: str) -> bool:
        return self.state.spelling.names_start_with(lowered)

    def nearest(self, lowered: str, limit: int) -> str | None:
        return self.state.spelling.nearest(lowered, limit)


def correct(state: GenerationState, text: str) -> str | None:
    """The query with unknown words replaced by their nearest known words, or None if nothing changed."""
    return corrections.correct(_Known(state), text)
