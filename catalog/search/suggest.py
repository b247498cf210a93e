"""As-you-type completion: method names and aliases by prefix, in microseconds.

Every name and alias is kept lowercased in a sorted list; a prefix is a
binary search away. Names whose later words start with the prefix
("attention" -> "Bottleneck Attention Module") follow the names that start
with it, shorter names first. The first keystrokes match thousands of names,
so the completions of every prefix of up to `SHORT_PREFIX` characters are
ranked once, when the names are loaded.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

SHORT_PREFIX = 2
RANKED = 50
"""Completions kept per short prefix: the most `/api/v1/suggest` returns."""


@dataclass(frozen=True)
class Completion:
    label: str
    slug: str
    name: str


class Suggester:
    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """`rows`: (label, slug, method name) for every name and alias."""
        starts: list[tuple[str, int, str, str, str]] = []
        for label, slug, name in rows:
            words = re.split(r"[\s\-/]+", label.lower())
            for position in range(len(words)):
                key = " ".join(words[position:])
                if key:
                    starts.append((key, position, label, slug, name))
        starts.sort()
        self._keys = [s[0] for s in starts]
        self._rows = starts
        short = {key[:size] for key in self._keys for size in range(1, SHORT_PREFIX + 1)}
        self._short = {prefix: self._ranked(prefix, RANKED) for prefix in short}

    def complete(self, prefix: str, limit: int = 8) -> list[Completion]:
        prefix = " ".join(re.split(r"[\s\-/]+", prefix.lower().strip()))
        if not prefix:
            return []
        if len(prefix) <= SHORT_PREFIX and limit <= RANKED:
            return self._short.get(prefix, [])[:limit]
        return self._ranked(prefix, limit)

    def _ranked(self, prefix: str, limit: int) -> list[Completion]:
        start = bisect.bisect_left(self._keys, prefix)
        found = []
        for index in range(start, len(self._keys)):
            if not self._keys[index].startswith(prefix):
                break
            found.append(self._rows[index])
        # whole-name matches first, then by length, then alphabetically
        found.sort(key=lambda r: (r[1] > 0, len(r[2]), r[2].lower()))
        seen: set[str] = set()
        completions = []
        for _, _, label, slug, name in found:
            if slug not in seen:
                seen.add(slug)
                completions.append(Completion(label, slug, name))
                if len(completions) == limit:
                    break
        return completions
