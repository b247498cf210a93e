"""The index's words, and the nearest ones to a misspelled word, built once per index generation.

A symmetric-delete dictionary (as in SymSpell): every word is stored under
itself and the strings left by deleting characters from it, so the candidates
for a misspelled word are found by deleting characters from it and looking
the results up, a few dozen dictionary reads instead of an automaton walk over
the whole term list. Words are stored with one deletion and queries looked up
with up to two: every correction within distance 1 is found, and those within
distance 2 that need at most one deletion from the known word (two extra or
swapped letters in the query, say), which keeps the table a few times the
vocabulary instead of tens of times.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from catalog.search.spelling_distance import distance

__all__ = ["SpellingDictionary", "distance"]

MAX_WORD = 30
"""Longer words are neither stored nor corrected: no method name has one."""


def deletes(word: str, depth: int) -> set[str]:
    """`word` with up to `depth` characters deleted, `word` itself included."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier if len(w) > 1 for i in range(len(w))}
        found |= frontier
    return found


class SpellingDictionary:
    """Known words with their document frequencies; corrections by symmetric deletes."""

    def __init__(self, name_words: Iterable[tuple[str, int]], text_words: Iterable[tuple[str, int]]) -> None:
        """`name_words`, `text_words`: (lower-cased word, document frequency)."""
        self.frequency: dict[str, int] = {}
        by_delete: dict[str, list[str]] = {}
        self._names: list[str] = []
        for words, is_name in ((name_words, True), (text_words, False)):
            for word, frequency in words:
                if not word or len(word) > MAX_WORD:
                    continue
                known = word in self.frequency
                self.frequency[word] = self.frequency.get(word, 0) + frequency
                if is_name:
                    self._names.append(word)
                if not known:
                    for key in deletes(word, 1):
                        by_delete.setdefault(key, []).append(word)
        self._names.sort()
        # tuples of strings, unlike lists, drop out of the garbage collector's passes
        self._by_delete = {key: tuple(words) for key, words in by_delete.items()}

    def __contains__(self, word: str) -> bool:
        return word in self.frequency

    def names_start_with(self, prefix: str) -> bool:
        """Some word of a name or alias begins with `prefix` (it may still be being typed)."""
        index = bisect.bisect_left(self._names, prefix)
        return index < len(self._names) and self._names[index].startswith(prefix)

    def candidates(self, word: str, limit: int) -> Iterator[tuple[str, int]]:
        """Known words within `limit` edits of `word`, with their distances."""
        seen: set[str] = set()
        for key in deletes(word, limit):
            for candidate in self._by_delete.get(key, ()):
                if candidate not in seen and abs(len(candidate) - len(word)) <= limit:
                    seen.add(candidate)
                    found = distance(word, candidate)
                    if found <= limit:
                        yield candidate, found

    def nearest(self, word: str, limit: int) -> str | None:
        """The closest known word, the more frequent on a tie; None when none is within `limit`."""
        best = min(
            self.candidates(word, limit), key=lambda c: (c[1], -self.frequency[c[0]], c[0]), default=None
        )
        return best[0] if best else None
