"""The Papers with Code methods export: a JSON array of method records.

The array may also come wrapped in an object, as `{"methods": [...]}` or
`{"data": [...]}`. Each record has `url`, `name`, `full_name`, a markdown `description` (with
`$…$` math and links to other methods), `paper`, `introduced_year` (2000 means
unknown), `source_url`, `code_snippet_url`, `num_papers` and `collections`. A field of the wrong type is an error naming
its record, never silently dropped; a URL that is not http(s) is dropped with
a warning, so no `javascript:` link reaches a page.
"""

from __future__ import annotations

import json
import re
from typing import Any

from catalog.cleaning import has_stripped_math, is_placeholder, neutralize_links
from catalog.entry import CollectionRef, DocumentError, ParsedEntry
from catalog.text_format import ParsedDocument

PLACEHOLDER_YEAR = 2000
_METHOD_URL_RE = re.compile(r"https?://(?:www\.)?paperswithcode\.com/method/([\w.-]+)")
_ARXIV_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/(?:[a-z-]+(?:\.[A-Z]{2})?/)?(\d{2})(\d{2})[.\d]")
_DEFAULT_AREA = "General"
_WRAPPERS = ("methods", "data")
_WEB_URL_RE = re.compile(r"https?://[^\s\x00-\x1f]+", re.I)


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


_LONGEST = {"name": 300, "full_name": 500, "url": 500, "collection": 200, "area": 200}
"""Characters a field may have (the database's column sizes); other short fields may have 1,000."""


def _text(record: dict[str, Any], field: str, where: str) -> str:
    value = record.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where}: field {field!r} must be a string, got {type(value).__name__}")
    if "\x00" in value:
        raise ValueError(f"{where}: field {field!r} holds a NUL character")
    longest = _LONGEST.get(field, 1000)
    if field != "description" and len(value) > longest:
        raise ValueError(f"{where}: field {field!r} has {len(value):,} characters, more than {longest:,}")
    return value.replace("\r\n", "\n").strip()


def _integer(record: dict[str, Any], field: str, where: str) -> int | None:
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{where}: field {field!r} must be an integer, got {type(value).__name__}")
    return value


def _url(value: str, field: str, where: str, warnings: list[str]) -> str:
    """An http(s) URL as given; anything else (`javascript:`, `data:`, prose) is dropped with a warning."""
    if not value or _WEB_URL_RE.fullmatch(value):
        return value
    warnings.append(f"{where}: field {field!r} is not an http(s) URL, dropped: {value[:60]!r}")
    return ""


def _paper(record: dict[str, Any], where: str) -> dict[str, Any]:
    paper = record.get("paper")
    if paper is None:
        return {}
    if not isinstance(paper, dict):
        raise ValueError(f"{where}: field 'paper' must be an object or null, got {type(paper).__name__}")
    return paper


def _collections(record: dict[str, Any], where: str) -> list[CollectionRef]:
    items = record.get("collections")
    if items is None:
        return []
    if not isinstance(items, list):
        raise ValueError(
            f"{where}: field 'collections' must be a list of {{collection, area}} objects, "
            f"got {type(items).__name__}"
        )
    refs = []
    for number, item in enumerate(items, 1):
        at = f"{where}: collection {number}"
        if not isinstance(item, dict):
            raise ValueError(f"{at} must be a {{collection, area}} object, got {type(item).__name__}")
        name, area = _text(item, "collection", at), _text(item, "area", at)
        if not name:
            raise ValueError(f"{at} has no 'collection' name")
        refs.append(CollectionRef(name, area or _DEFAULT_AREA))
    return refs


def _entry(record: Any, file: str, index: int, warnings: list[str]) -> ParsedEntry:
    where = f"record {index}"
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected an object, got {type(record).__name__}")
    name = _text(record, "name", where)
    if not name:
        raise ValueError(f"{where}: missing 'name'")
    description = _text(record, "description", where)
    paper = _paper(record, where)
    _integer(record, "introduced_year", where)
    source_url = _text(record, "source_url", where)
    entry = ParsedEntry(
        name=name,
        full_name=_text(record, "full_name", where) or name,
        file=file,
        line=index,
        line_end=index,
        key=method_key(_text(record, "url", where)) or name.lower(),
        description_format="markdown",
        paper_title=_text(paper, "title", f"{where}: paper"),
        paper_url=_url(_text(paper, "url", f"{where}: paper"), "paper.url", where, warnings),
        year=year_from(record),
        source_url=_url(source_url, "source_url", where, warnings),
        code_url=_url(_text(record, "code_snippet_url", where), "code_snippet_url", where, warnings),
        num_papers=_integer(record, "num_papers", where),
        collections=_collections(record, where),
    )
    if description and not is_placeholder(description):
        entry.description = neutralize_links(description)
        if has_stripped_math(description):
            entry.add_flag("math_stripped")
    else:
        entry.add_flag("missing_description")
    entry.link_keys = list(dict.fromkeys(k.lower() for k in _METHOD_URL_RE.findall(description)))
    return entry


def too_many(count: int, limit: int) -> str:
    return (
        f"{count:,} method entries, more than the {limit:,} a document may hold "
        "(the CATALOG_MAX_DOCUMENT_ENTRIES setting)"
    )


def looks_like_export(text: str) -> bool:
    """JSON by content: the first character that is not white space opens an array or an object."""
    start = text.lstrip()[:1]
    return start in ("[", "{")


def _records(data: Any, file: str) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _WRAPPERS:
            if isinstance(data.get(key), list):
                return data[key]
        keys = ", ".join(repr(k) for k in list(data)[:5]) or "none"
        raise DocumentError(
            file,
            1,
            f"a JSON object must hold its method records under 'methods' or 'data' (its keys: {keys})",
        )
    raise DocumentError(file, 1, f"expected a JSON array of method records, got {type(data).__name__}")


def parse_export(text: str, file: str = "<export>", max_entries: int | None = None) -> ParsedDocument:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(file, error.lineno, f"invalid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise DocumentError(file, 0, "invalid JSON: nested too deeply to read") from None
    records = _records(data, file)
    if max_entries is not None and len(records) > max_entries:
        raise DocumentError(file, 0, too_many(len(records), max_entries))
    entries, warnings = [], []
    for index, record in enumerate(records, 1):
        try:
            entries.append(_entry(record, file, index, warnings))
        except ValueError as error:
            raise DocumentError(file, 0, str(error)) from None
    keys: dict[str, int] = {}
    for entry in entries:
        if entry.key in keys:
            raise DocumentError(file, 0, f"record {entry.line}: duplicate url of record {keys[entry.key]}")
        keys[entry.key] = entry.line
    return ParsedDocument(file=file, title="Papers with Code methods", entries=entries, warnings=warnings)
