"""A description's readable text: what a reader sees of its Markdown, for snippets and listing lines.

Markdown is reduced to its words (`**Adam**` -> "Adam", a link to its text),
bare URLs are dropped, inline formulas stay as short TeX without their
delimiters (`$\\hat{m}_t$` -> "\\hat{m}_t") and display formulas (`$$…$$`,
`\\[…\\]`, `\\begin{align}…`) are dropped: a snippet line has no room for them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

from catalog.cleaning import MATH_BLOCK_RE

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
_PLACEHOLDER_RE = re.compile(r"MATHBLOCK(\d+)X")
_URL_RE = re.compile(r"(?:https?|ftp):?//\S*|www\.\S+\.\S+", re.I)
_LEFTOVER_RE = re.compile(r"\*\*|__|\]\(")
"""Markup CommonMark leaves as text when it is malformed (`**FastMoE **`, a link cut in two)."""
_BREAKS = {"softbreak", "hardbreak", "paragraph_close", "heading_close", "td_close", "th_close"}
_MAX_INLINE_MATH = 60
"""An inline formula longer than this reads as noise in a line of text, and is dropped."""


def unescape_math(tex: str) -> str:
    """A formula as TeX reads it: `\\_` is Markdown's escape of `_`, which TeX would print as `\\_`."""
    return tex.replace("\\_", "_").replace("\\*", "*")


def _inline_math(tex: str) -> str:
    """An inline formula's readable TeX, or "" for a display formula or a long one."""
    if tex.startswith(("$$", "\\[", "\\begin")):
        return ""
    body = tex[1:-1] if tex.startswith("$") else tex[2:-2]
    body = " ".join(unescape_math(body).split())
    return body if len(body) <= _MAX_INLINE_MATH and "\\begin" not in body else ""


def _words(tokens: list) -> list[str]:  # type: ignore[type-arg]
    out: list[str] = []
    for token in tokens:
        if token.children:
            out.extend(_words(token.children))
        elif token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in _BREAKS:
            out.append(" ")
    return out


@lru_cache(maxsize=4096)
def readable_text(description: str) -> str:
    """The description's text on one line, as a reader sees it, without Markdown, URLs or display math."""
    if not description:
        return ""
    formulas: list[str] = []

    def lift(match: re.Match[str]) -> str:
        formulas.append(_inline_math(match.group(0)))
        return f"MATHBLOCK{len(formulas) - 1}X"

    text = "".join(_words(_MARKDOWN.parse(MATH_BLOCK_RE.sub(lift, description))))
    text = _URL_RE.sub("", _LEFTOVER_RE.sub("", text))
    text = _PLACEHOLDER_RE.sub(lambda m: formulas[int(m.group(1))], text)
    text = re.sub(r"\s+([.,;:)])", r"\1", " ".join(text.split()))
    return text.replace("( ", "(")


def first_sentences(description: str, limit: int = 180) -> str:
    """The start of the readable text, cut at a word before `limit` characters."""
    text = readable_text(description)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(",;:") + "…"
