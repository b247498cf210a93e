"""Snippets: passages of a description's readable text holding the query's words, marked and escaped.

The readable text (`catalog/readable.py`, stored in the index) has no
Markdown, URLs or display formulas, so a snippet never shows source.

Run only for the hits of the page returned. Words are matched by their
analyzed forms (stems, compound parts), the same forms the index matched, so
"networks" marks "Network"; only words that start with a wanted form are
analyzed. The text is escaped before any mark is added.
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
MAX_SCANNED = 4000
"""Characters of a description searched for passages; the definition comes first."""


def _plain(text: str) -> str:
    return " ".join(text.split())


def _candidates(wanted: Collection[str]) -> re.Pattern[str] | None:
    """Words that may have one of the `wanted` forms: those starting with one (a stem starts its word)."""
    stems = sorted(set(wanted), key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, stems)) + r")[\w'.-]*", re.I)


def snippet(description: str, wanted: Collection[str]) -> str:
    """Up to `FRAGMENTS` passages around the words whose forms are in `wanted`, joined by " … "."""
    text = _plain(description[:MAX_SCANNED])
    pattern = _candidates(wanted)
    fragments: list[list[tuple[int, int]]] = []
    if pattern is not None:
        forms = set(wanted)
        for found in pattern.finditer(text):
            word = found.group(0).rstrip(".'-")
            if not set(tokens(word.lower())) & forms:
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
    snippet_text = ""
    shown = 0
    for marks in fragments:
        start = max(0, marks[0][0] - SURROUND)
        end = min(len(text), marks[-1][1] + SURROUND)
        start = text.rfind(" ", 0, start) + 1 if start else 0
        space = text.find(" ", end)
        end = len(text) if space < 0 else space
        # a passage that would overlap the one before continues it rather than repeating its end
        joined = bool(snippet_text) and start <= shown
        start = max(start, shown)
        out, cursor = [], start
        for begin, finish in marks:
            out.append(html.escape(text[cursor:begin]))
            out.append(f"<mark>{html.escape(text[begin:finish])}</mark>")
            cursor = finish
        out.append(html.escape(text[cursor:end]))
        part = "".join(out).strip()
        snippet_text += (" " if joined else " … " if snippet_text else "") + part
        shown = end
    return snippet_text
