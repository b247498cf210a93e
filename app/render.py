"""Descriptions to safe HTML: markdown without raw HTML, math kept whole for KaTeX.

Raw HTML in a description is escaped, never passed through, so a description
holding `<script>` or `onerror=` shows as text. Formulas (`$…$`, `$$…$$`,
`\\begin{align}…\\end{align}`) are lifted out before markdown can mangle their
underscores and asterisks, and put back escaped inside `math` elements.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from catalog.cleaning import MATH_BLOCK_RE
from catalog.readable import unescape_math

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_PLACEHOLDER_RE = re.compile(r"MATHBLOCK(\d+)X")
_METHOD_LINK_RE = re.compile(r'href="https?://(?:www\.)?paperswithcode\.com/method/([\w.-]+)"')


def is_http_url(url: object) -> bool:
    """Whether `url` may be a link's target: http(s) only, so `javascript:` and `data:` show as text."""
    if not isinstance(url, str):
        return False
    scheme, _, rest = url.strip().partition("://")
    return scheme.lower() in ("http", "https") and bool(rest) and not any(c.isspace() for c in url.strip())


def _math_html(tex: str) -> str:
    display = tex.startswith(("$$", "\\[", "\\begin"))
    body = tex
    if tex.startswith("$$"):
        body = tex[2:-2]
    elif tex.startswith("$"):
        body = tex[1:-1]
    elif tex.startswith(("\\(", "\\[")):
        body = tex[2:-2]
    # Markdown escapes `_` as `\_` (`\hat{m}\_{t}`); inside a formula KaTeX would print the backslash
    body = unescape_math(body)
    kind = "display" if display else "inline"
    return f'<span class="math math-{kind}">{html.escape(body.strip())}</span>'


def render_description(text: str, links: dict[str, str] | None = None) -> str:
    """Safe HTML for a description; `links` maps a source's method keys to catalog slugs."""
    if not text:
        return ""
    blocks: list[str] = []

    def lift(match: re.Match[str]) -> str:
        blocks.append(match.group(0))
        return f"MATHBLOCK{len(blocks) - 1}X"

    rendered = _MARKDOWN.render(MATH_BLOCK_RE.sub(lift, text))
    rendered = _PLACEHOLDER_RE.sub(lambda m: _math_html(blocks[int(m.group(1))]), rendered)

    def relink(match: re.Match[str]) -> str:
        slug = (links or {}).get(match.group(1).lower())
        return f'href="/methods/{slug}"' if slug else match.group(0) + ' rel="nofollow noopener"'

    rendered = _METHOD_LINK_RE.sub(relink, rendered)
    return re.sub(r'<a href="(https?://[^"]*)">', r'<a href="\1" rel="nofollow noopener">', rendered)
