"""An `IndexDocument` as the PostgreSQL backend stores it: one document row, its keys, its completions.

The derived names are the Whoosh backend's (`_document.py`), computed from the
same fields with the same `name_variants` helpers: acronyms a description
defines, short forms ("SE Block"), two-word initials ("ln"), joined forms
("batchnormalization"), the paper title's key and the arXiv id. Names are
also searched with each hyphenated word joined ("R-CNN" -> "rcnn"), which
PostgreSQL's parser does not emit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.names import name_key
from catalog.readable import readable_text
from catalog.search.backend import IndexDocument
from catalog.search.name_variants import arxiv_id, defined_acronyms, joined, short_form, two_word_initials

DOCUMENT_COLUMNS = (
    "slug",
    "name",
    "full_name",
    "aliases",
    "derived",
    "name_terms",
    "other_terms",
    "paper_title",
    "description",
    "collection",
    "area",
    "collection_names",
    "kind",
    "has_implementation",
    "implementation_status",
    "params",
    "popularity",
    "year",
)
_COMPOUND_RE = re.compile(r"\w+(?:[-'.]\w+)+")
_SPLIT_RE = re.compile(r"[\s\-/]+")


@dataclass
class Rows:
    """What one or more documents add to each table."""

    documents: list[tuple] = field(default_factory=list)
    keys: set[tuple[str, str, str]] = field(default_factory=set)
    completions: list[tuple[str, int, str, str, str]] = field(default_factory=list)

    @property
    def slugs(self) -> list[str]:
        return [row[0] for row in self.documents]


def _clean(text: str) -> str:
    """PostgreSQL text holds no NUL."""
    return text.replace("\x00", "")


def with_joined_compounds(text: str) -> str:
    """`"Faster R-CNN"` -> `"Faster R-CNN rcnn"`."""
    joins = ["".join(re.split(r"[-'.]", m.group(0))) for m in _COMPOUND_RE.finditer(text)]
    return " ".join([text, *joins]) if joins else text


def _split(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def add(rows: Rows, document: IndexDocument) -> None:
    slug = _clean(document["slug"])
    name = _clean(document.get("name", ""))
    full_name = _clean(document.get("full_name", "") or "")
    aliases = _clean(document.get("aliases", "") or "")
    raw = _clean(document.get("description", "") or "")
    # searched and shown as a reader sees it: no Markdown, URLs or display formulas (`catalog/readable.py`)
    description = readable_text(raw)
    paper_title = _clean(document.get("paper_title", "") or "")
    labels = [line for line in _clean(document.get("labels", "")).splitlines() if line.strip()]
    names = labels or [n for n in (name, full_name) if n]
    derived = defined_acronyms(names, raw)
    derived += [form for n in names if (form := short_form(n)) and form not in derived]
    params = document.get("params")
    rows.documents.append(
        (
            slug,
            name,
            full_name,
            aliases,
            " ; ".join(derived),
            with_joined_compounds(name),
            with_joined_compounds(" ; ".join([full_name, aliases, *derived])),
            paper_title,
            description,
            _split(document.get("collection", "")),
            _split(document.get("area", "")),
            _clean(document.get("collection_names", "")),
            _clean(document.get("kind", "") or ""),
            document.get("has_implementation", "false"),
            _clean(document.get("implementation_status", "") or ""),
            int(params) if params is not None else None,
            int(document.get("popularity") or 0),
            int(year) if (year := document.get("year")) else None,
        )
    )
    keys = rows.keys
    for key in _split(document.get("exact", "")):
        keys.add(("exact", key.lower(), slug))
    if paper_key := name_key(paper_title):
        keys.add(("paper", paper_key, slug))
    if found := arxiv_id(document.get("source_url", "") or ""):
        keys.add(("arxiv", found, slug))
    for key in {name_key(d) for d in derived} - {""}:
        keys.add(("derived", key, slug))
    shorts = {i for n in names if (i := two_word_initials(n))}
    for key in {*_split(document.get("initials", "")), *shorts}:
        keys.add(("initials", key.lower(), slug))
    for key in {j for n in names if len(j := joined(n)) > 2}:
        keys.add(("joined", key, slug))
    for label in labels:
        # "-step Returns" is kept as an alias for search, but nobody types a leading dash
        if not label[:1].isalnum():
            continue
        words = _SPLIT_RE.split(label.lower())
        for position in range(len(words)):
            if key := " ".join(words[position:]):
                rows.completions.append((key, position, label, slug, name))


def completion_key(prefix: str) -> str:
    """A typed prefix in the form completion keys are stored in."""
    return " ".join(_SPLIT_RE.split(prefix.lower().strip()))
