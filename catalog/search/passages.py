"""Snippets any engine can show: passages of a readable text around the query's words, escaped, words marked.

The caller says which words to mark (`marked`), by whatever forms its engine
matched: Whoosh by its analyzer's stems (`_snippets.py`), PostgreSQL by the
words its English stems found (`_pg_query.py`). At most `FRAGMENTS` passages
of about `FRAGMENT_CHARS`, from the first `MAX_SCANNED` characters (the
definition comes first), a passage that would overlap the one before
continuing it; without a marked word, the text's start. The text is escaped
before any mark is added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

FRAGMENT_CHARS = 240
SURROUND = 60
FRAGMENTS = 2
PLAIN_CHARS = 200
MAX_SCANNED = 4000
WORD_RE = re.compile(r"(?<![\w-])\w[\w'.-]*")


def plain(description: str) -> str:
    """The scanned part of `description`, on one line."""
    return " ".join(description[:MAX_SCANNED].split())


def words(description: str) -> set[str]:
    """The lower-cased words a snippet of `description` may mark."""
    return {found.group(0).rstrip(".'-").lower() for found in WORD_RE.finditer(plain(description))}


def snippet(description: str, marked: Callable[[str], bool]) -> str:
    """Up to `FRAGMENTS` passages around the words `marked` accepts (lower-cased), joined by " … "."""
    text = plain(description)
    return passages(text, WORD_RE.finditer(text), marked)


def passages(text: str, candidates: Iterable[re.Match[str]], marked: Callable[[str], bool]) -> str:
    """The passages of `text` (already `plain`) around the `candidates` words that `marked` accepts."""
    fragments: list[list[tuple[int, int]]] = []
    for found in candidates:
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
    joined_text, shown = "", 0
    for marks in fragments:
        start, end = _bounds(text, marks)
        # a passage that would overlap the one before continues it rather than repeating its end
        joined = bool(joined_text) and start <= shown
        part = _marked(text, marks, max(start, shown), end)
        joined_text += (" " if joined else " … " if joined_text else "") + part
        shown = end
    return joined_text


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
