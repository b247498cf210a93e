"""A method's paper as a citation: its arXiv id and link, and a BibTeX entry to copy.

The arXiv id comes from the method's source URL or the paper's URL
(`https://arxiv.org/abs/1412.6980v9` -> `1412.6980`). The entry is `@article`
when a venue is known, else `@misc`; every field's value is escaped, so a
title holding `%`, `&`, `_` or braces cannot break the file it is pasted into.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ARXIV_URL_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_SPECIAL_RE = re.compile("|".join(map(re.escape, _SPECIAL)))
_URL_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}


def arxiv_id(*urls: str | None) -> str | None:
    """The first arXiv id among `urls`, without its version."""
    for url in urls:
        match = _ARXIV_URL_RE.search(url or "")
        if match:
            return match.group(1)
    return None


def arxiv_url(identifier: str) -> str:
    return f"https://arxiv.org/abs/{identifier}"


def escape(text: str) -> str:
    """`text` as a BibTeX field value: special characters escaped, white space on one line."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], " ".join(text.split()))


def _url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(c, c) for c in url.strip())


def _key(slug: str, year: int | None) -> str:
    return re.sub(r"[^a-z0-9]", "", slug.lower())[:40] + (str(year) if year else "")


def bibtex(
    slug: str,
    title: str,
    year: int | None = None,
    url: str | None = None,
    eprint: str | None = None,
    authors: Sequence[str] = (),
    venue: str | None = None,
) -> str:
    """A BibTeX entry for the paper that introduced the method at `slug`."""
    fields: list[tuple[str, str]] = []
    if authors:
        fields.append(("author", " and ".join(escape(a) for a in authors)))
    fields.append(("title", "{" + escape(title) + "}"))
    if venue:
        fields.append(("journal", escape(venue)))
    if year:
        fields.append(("year", str(year)))
    if eprint:
        fields += [("eprint", escape(eprint)), ("archivePrefix", "arXiv")]
    if url:
        fields.append(("url", _url(url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{'article' if venue else 'misc'}{{{_key(slug, year)},\n{body}\n}}\n"
