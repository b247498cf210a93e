"""Damerau-Levenshtein distance between two words, for any engine's spelling corrections.

Used by the Whoosh backend's spelling dictionary (`spelling_dictionary.py`) and
by the PostgreSQL backend's corrections (`_pg_plan.py`).
"""

from __future__ import annotations


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
