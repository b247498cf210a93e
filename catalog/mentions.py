"""Cross-links from names: a description that names another method links to it.

"a multi-stage extension of the R-CNN", "based off DCGAN", "used in the
Pyramid Vision Transformer" each name a catalog method. Matching is by whole
words, longest name first, with case rules that keep short or common names
from matching ordinary words: a name of several words matches in any case; a
name of one word (an acronym such as COLA, STD, TAM, GLIDE, or a word such as
Lion) matches only as written, so "standard deviation" is not STD and "a lion"
is not Lion.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

_TOKEN_RE = re.compile(r"[A-Za-z0-9](?:[\w.'-]*[A-Za-z0-9])?")
MAX_WORDS = 8
MIN_SINGLE_WORD = 3


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


class MentionFinder:
    def __init__(self, names: Iterable[tuple[int, str]]) -> None:
        """`names`: (method id, name or alias) for every method."""
        self._index: dict[tuple[str, ...], list[tuple[int, str | None]]] = defaultdict(list)
        self._longest: dict[str, int] = {}
        """Words of the longest name starting with this (lowercased) word: most words start none."""
        for method_id, name in names:
            words = _tokens(name)
            if not words or len(words) > MAX_WORDS:
                continue
            if len(words) == 1 and len(words[0]) < MIN_SINGLE_WORD:
                continue
            surface = words[0] if len(words) == 1 else None
            key = tuple(w.lower() for w in words)
            if (method_id, surface) not in self._index[key]:
                self._index[key].append((method_id, surface))
            self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

    def _lookup(self, words: list[str], lowered: list[str]) -> list[int]:
        """Methods named by these words, as written or with the last word's plural "s" dropped."""
        forms = [(words, lowered)]
        if len(words[-1]) > 3 and words[-1].endswith("s"):
            forms.append(([*words[:-1], words[-1][:-1]], [*lowered[:-1], lowered[-1][:-1]]))
        for surfaces, key in forms:
            found = [
                method_id
                for method_id, surface in self._index.get(tuple(key), ())
                if surface is None or surface == surfaces[0]
            ]
            if found:
                return found
        return []

    def find(self, text: str, exclude: int | None = None) -> dict[int, str]:
        """Method id -> the words that named it, for every method `text` mentions."""
        words = _tokens(text)
        lowered = [w.lower() for w in words]
        found: dict[int, str] = {}
        longest = self._longest
        # most words start no name: only the positions of those that may are tried, in order
        starts = [i for i, first in enumerate(lowered) if first in longest or first[:-1] in longest]
        after = 0
        for i in starts:
            if i < after:
                continue  # inside a name already matched
            first = lowered[i]
            # a one-word name may be written in the plural ("GANs"), so its singular may start a name too
            reach = max(longest.get(first, 0), longest.get(first[:-1], 0) if first.endswith("s") else 0)
            for size in range(min(reach, len(words) - i), 0, -1):
                matches = self._lookup(words[i : i + size], lowered[i : i + size])
                if matches:
                    # a name two methods share says nothing about which one is meant
                    if len(matches) == 1 and matches[0] != exclude:
                        found.setdefault(matches[0], " ".join(words[i : i + size]))
                    after = i + size
                    break
        return found
