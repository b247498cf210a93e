"""Snippets any engine can show: passages of a description around the query's words, escaped, words marked.

The Whoosh backend's snippet rules (`_snippets.py`), without its analyzer: the
caller says which words to mark (`marked`), by whatever forms its engine
matched. At most `FRAGMENTS` passages of about `FRAGMENT_CHARS`, from the
first `MAX_SCANNED` characters (the definition comes first); without a marked
word, the description's start. The text is escaped before any mark is added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

FRAGMENT_CHARS = 240
SURROUND = 60
FRAGMENTS = 2
PLAIN_CHARS = 200
MAX_SCANNED = 4000
_WORD_RE = re.compile(r"(?<![\w-])\w[\w'.-]*")


def plain(description: str) -> str:
    """The scanned part of `description`, on one line."""
    return " ".join(description[:MAX_SCANNED].split())


def words(description: str) -> set[str]:
    """The lower-cased words a snippet of `description` may mark."""
    return {found.group(0).rstrip(".'-").lower() for found in _WORD_RE.finditer(plain(description))}


def snippet(description: str, marked: Callable[[str], bool]) -> str:
    """Up to `FRAGMENTS` passages around the words `marked` accepts (lower-cased), joined by " … "."""
    text = plain(description)
    fragments: list[list[tuple[int, int]]] = []
    for found in _WORD_RE.finditer(text):
        word = found.group(0).rstrip(".'-")
        if not marked(word.lower()):
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
