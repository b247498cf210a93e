"""Whoosh's snippets: passages of a description's readable text holding the query's words, marked and escaped.

The readable text (`catalog/readable.py`, stored in the index) has no
Markdown, URLs or display formulas, so a snippet never shows source.

Run only for the hits of the page returned, with one pattern built per query.
Texts are flattened (`plain`) once per index generation, not per hit. Words
are matched by their analyzed forms (stems, compound parts), the same forms
the index matched, so "networks" marks "Network"; only words that start with a
wanted form are analyzed. The passages themselves are cut by
`catalog/search/passages.py`, which the PostgreSQL backend shares.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from catalog.search._analysis import tokens
from catalog.search.passages import passages, plain

__all__ = ["Snippets", "plain"]


def _candidates(wanted: Collection[str]) -> re.Pattern[str] | None:
    """Words that may have one of the `wanted` forms: those starting with one (a stem starts its word)."""
    stems = sorted(set(wanted), key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, stems)) + r")[\w'.-]*", re.I)


class Snippets:
    """The snippets of one query's hits: the words it wants, and the pattern that finds them."""

    def __init__(self, wanted: Collection[str]) -> None:
        self.forms = set(wanted)
        self.pattern = _candidates(self.forms)

    def __call__(self, text: str) -> str:
        """Up to two passages of `text` (a `plain` readable text) around wanted words, joined by " … "."""
        found = self.pattern.finditer(text) if self.pattern is not None else ()
        return passages(text, found, self._wanted)

    def _wanted(self, word: str) -> bool:
        return bool(set(tokens(word)) & self.forms)
