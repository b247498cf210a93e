"""An `IndexDocument` as Whoosh stores it: the catalog's fields plus the names derived from them.

The paper title is searchable on its own field, the arXiv id of the source URL
as an exact keyword, and `name_variants` adds the acronyms a description
defines for its method, short forms ("SE Block"), the initials of two-word
names ("ln") and joined forms ("batchnormalization", matched by prefix).
The description's readable text is stored for snippets, which never show
Markdown, URLs or display formulas.
"""

from __future__ import annotations

from typing import Any

from catalog.names import name_key
from catalog.readable import readable_text
from catalog.search.backend import IndexDocument
from catalog.search.name_variants import arxiv_id, defined_acronyms, joined, short_form, two_word_initials

_NOT_INDEXED = ("paper_title", "source_url")


def whoosh_document(document: IndexDocument) -> dict[str, Any]:
    names = [line for line in document.get("labels", "").splitlines() if line.strip()] or [
        n for n in (document.get("name", ""), document.get("full_name", "")) if n
    ]
    derived = defined_acronyms(names, document.get("description", ""))
    derived += [form for n in names if (form := short_form(n)) and form not in derived]
    fields = {key: value for key, value in document.items() if key not in _NOT_INDEXED}
    fields["text"] = readable_text(document.get("description", ""))
    fields["paper"] = document.get("paper_title", "")
    fields["paper_key"] = name_key(document.get("paper_title", ""))
    fields["arxiv"] = arxiv_id(document.get("source_url", "")) or ""
    fields["derived"] = " ; ".join(derived)
    fields["derived_exact"] = ",".join(sorted({name_key(d) for d in derived if name_key(d)}))
    shorts = {i for n in names if (i := two_word_initials(n))}
    fields["initials"] = ",".join(sorted({*filter(None, document.get("initials", "").split(",")), *shorts}))
    fields["joined"] = ",".join(sorted({j for n in names if len(j := joined(n)) > 2}))
    return fields
