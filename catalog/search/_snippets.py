"""Snippets: the passages of a description that hold the query's words, escaped, with the words marked.

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
        """Up to `FRAGMENTS` passages of `text` (a `plain` description) around wanted words, joined by " … "."""
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
        return " … ".join(_marked(text, marks) for marks in fragments)


def _marked(text: str, marks: list[tuple[int, int]]) -> str:
    """The passage around `marks`, cut at spaces, escaped, with each mark wrapped in <mark>."""
    start = max(0, marks[0][0] - SURROUND)
    end = min(len(text), marks[-1][1] + SURROUND)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    space = text.find(" ", end)
    end = len(text) if space < 0 else space
    out, cursor = [], start
    for begin, finish in marks:
        out.append(html.escape(text[cursor:begin]))
        out.append(f"<mark>{html.escape(text[begin:finish])}</mark>")
        cursor = finish
    out.append(html.escape(text[cursor:end]))
    return "".join(out).strip()
