"""The Papers with Code methods export: a JSON array of method records.

Each record has `url`, `name`, `full_name`, a markdown `description` (with
`$…$` math and links to other methods), `paper`, `introduced_year` (2000 means
unknown), `source_url`, `code_snippet_url`, `num_papers` and `collections`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from catalog.cleaning import has_stripped_math, is_placeholder
from catalog.entry import CollectionRef, DocumentError, ParsedEntry
from catalog.text_format import ParsedDocument

PLACEHOLDER_YEAR = 2000
_METHOD_URL_RE = re.compile(r"https?://(?:www\.)?paperswithcode\.com/method/([\w.-]+)")
_ARXIV_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/(?:[a-z-]+(?:\.[A-Z]{2})?/)?(\d{2})(\d{2})[.\d]")
_DEFAULT_AREA = "General"


def year_from(record: dict[str, Any]) -> int | None:
    """The introduction year: the export's unless it is the 2000 placeholder, else the arXiv id's."""
    year = record.get("introduced_year")
    if isinstance(year, int) and year != PLACEHOLDER_YEAR and 1900 < year < 2100:
        return year
    match = _ARXIV_RE.search(record.get("source_url") or "")
    if not match:
        return None
    yy, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return (1900 if yy >= 91 else 2000) + yy


def method_key(url: str) -> str:
    match = _METHOD_URL_RE.match(url or "")
    return match.group(1).lower() if match else ""


def _text(record: dict[str, Any], field: str, where: str) -> str:
    value = record.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where}: field {field!r} must be a string, got {type(value).__name__}")
    return value.replace("\r\n", "\n").strip()


def _entry(record: Any, file: str, index: int) -> ParsedEntry:
    where = f"record {index}"
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected an object, got {type(record).__name__}")
    name = _text(record, "name", where)
    if not name:
        raise ValueError(f"{where}: missing 'name'")
    description = _text(record, "description", where)
    paper = record.get("paper") if isinstance(record.get("paper"), dict) else {}
    entry = ParsedEntry(
        name=name,
        full_name=_text(record, "full_name", where) or name,
        file=file,
        line=index,
        line_end=index,
        key=method_key(_text(record, "url", where)) or name.lower(),
        description_format="markdown",
        paper_title=str(paper.get("title") or ""),
        paper_url=str(paper.get("url") or ""),
        year=year_from(record),
        source_url=_text(record, "source_url", where),
        code_url=_text(record, "code_snippet_url", where),
        num_papers=record["num_papers"] if isinstance(record.get("num_papers"), int) else None,
    )
    if description and not is_placeholder(description):
        entry.description = description
        if has_stripped_math(description):
            entry.add_flag("math_stripped")
    else:
        entry.add_flag("missing_description")
    for item in record.get("collections") or []:
        if isinstance(item, dict) and item.get("collection"):
            area = str(item.get("area") or _DEFAULT_AREA)
            entry.collections.append(CollectionRef(str(item["collection"]), area))
    entry.link_keys = list(dict.fromkeys(k.lower() for k in _METHOD_URL_RE.findall(description)))
    return entry


def looks_like_export(text: str) -> bool:
    return text.lstrip().startswith("[")


def parse_export(text: str, file: str = "<export>") -> ParsedDocument:
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(file, error.lineno, f"invalid JSON: {error.msg}") from None
    if not isinstance(records, list):
        raise DocumentError(file, 1, "expected a JSON array of method records")
    entries = []
    for index, record in enumerate(records, 1):
        try:
            entries.append(_entry(record, file, index))
        except ValueError as error:
            raise DocumentError(file, 0, str(error)) from None
    keys: dict[str, int] = {}
    for entry in entries:
        if entry.key in keys:
            raise DocumentError(file, 0, f"record {entry.line}: duplicate url of record {keys[entry.key]}")
        keys[entry.key] = entry.line
    return ParsedDocument(file=file, title="Papers with Code methods", entries=entries)
