"""Snippets: the passages of a description that hold the query's words, escaped, with the words marked.

Run only for the hits of the page returned. Words are matched by their
analyzed forms (stems, compound parts), the same forms the index matched, so
"networks" marks "Network"; the text is escaped before any mark is added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

from catalog.search._state import tokens

FRAGMENT_CHARS = 240
SURROUND = 60
FRAGMENTS = 2
PLAIN_CHARS = 200
_TOKEN_RE = re.compile(r"\w+(?:[-'.]\w+)*")


def _plain(text: str) -> str:
    return " ".join(text.split())


def snippet(description: str, wanted: Collection[str]) -> str:
    """Up to `FRAGMENTS` passages around the words whose forms are in `wanted`, joined by " … "."""
    text = _plain(description)
    spans = [
        m.span() for m in _TOKEN_RE.finditer(text) if wanted and set(tokens(m.group(0).lower())) & wanted
    ]
    if not spans:
        return html.escape(text[:PLAIN_CHARS])
    fragments: list[list[tuple[int, int]]] = []
    for span in spans:
        if fragments and span[1] - fragments[-1][0][0] <= FRAGMENT_CHARS - 2 * SURROUND:
            fragments[-1].append(span)
        elif len(fragments) < FRAGMENTS:
            fragments.append([span])
    parts = []
    for marks in fragments:
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
        parts.append("".join(out).strip())
    return " … ".join(parts)
