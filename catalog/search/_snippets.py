"""Snippets: passages of a description's readable text holding the query's words, marked and escaped.

The readable text (`catalog/readable.py`, stored in the index) has no
Markdown, URLs or display formulas, so a snippet never shows source.

Run only for the hits of the page returned, with one pattern built per query.
Descriptions are flattened (`plain`) once per index generation, not per hit.
Words are matched by their analyzed forms (stems, compound parts), the same
forms the index matched, so "networks" marks "Network"; only words that start
with a wanted form are analyzed. The text is escaped before any mark is added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

from catalog.search._analysis import tokens

FRAGMENT_CHARS = 240
SURROUND = 60
FRAGMENTS = 2
PLAIN_CHARS = 200
MAX_SCANNED = 4000
"""Characters of a description searched for passages; the definition comes first."""


def plain(description: str) -> str:
    """The part of a description snippets are taken from, its whitespace collapsed."""
    return " ".join(description[:MAX_SCANNED].split())


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
        """Up to `FRAGMENTS` passages of `text` (a `plain` readable text) around wanted words, joined by " … "."""
        fragments: list[list[tuple[int, int]]] = []
        if self.pattern is not None:
            for found in self.pattern.finditer(text):
                word = found.group(0).rstrip(".'-")
                if not set(tokens(word.lower())) & self.forms:
                    continue
                span = (found.start(), found.start() + len(word))
                if fragments and span[1] - fragments[-1][0][0] <= FRAGMENT_CHARS - 2 * SURROUND:
                    fragments[-1].append(span)
                elif len(fragments) < FRAGMENTS:
                    fragments.append([span])
                else:
                    break
        if not fragments:
            return html.escape(text[:PLAIN_CHARS])
        snippet_text, shown = "", 0
        for marks in fragments:
            start, end = _bounds(text, marks)
            # a passage that would overlap the one before continues it rather than repeating its end
            joined = bool(snippet_text) and start <= shown
            part = _marked(text, marks, max(start, shown), end)
            snippet_text += (" " if joined else " … " if snippet_text else "") + part
            shown = end
        return snippet_text


def _bounds(text: str, marks: list[tuple[int, int]]) -> tuple[int, int]:
    """Where the passage around `marks` starts and ends, cut at spaces."""
    start = max(0, marks[0][0] - SURROUND)
    end = min(len(text), marks[-1][1] + SURROUND)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    space = text.find(" ", end)
    return start, len(text) if space < 0 else space


def _marked(text: str, marks: list[tuple[int, int]], start: int, end: int) -> str:
    """`text[start:end]`, escaped, with each mark wrapped in <mark>."""
    out, cursor = [], start
    for begin, finish in marks:
        out.append(html.escape(text[cursor:begin]))
        out.append(f"<mark>{html.escape(text[begin:finish])}</mark>")
        cursor = finish
    out.append(html.escape(text[cursor:end]))
    return "".join(out).strip()
