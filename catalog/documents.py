"""Reading a document of any supported format, told apart by its content.

Whatever arrives is either read whole or refused with one `DocumentError`
naming the file (and the line where there is one): a file over the size limit,
binary data, text that is not UTF-8 (or UTF-16/32 with a byte-order mark), or a
document in which nothing parses as a method.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from catalog.entry import DocumentError
from catalog.pwc_format import looks_like_export, parse_export, too_many
from catalog.text_format import ParsedDocument, parse_text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte-order marks and their codecs; UTF-32's come first, as UTF-16's are their prefixes."""


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, file: str) -> str:
    """The document's text: UTF-8, or whatever its byte-order mark declares; binary data is refused."""
    encoding = next((codec for bom, codec in _BOMS if data.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\x00" in data:
        offset = data.index(b"\x00")
        raise DocumentError(file, _line_of(data, offset), "binary data (a NUL byte), not a text document")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start) if encoding == "utf-8" else 0
        byte = data[error.start : error.start + 1].hex()
        name = "UTF-8" if encoding == "utf-8" else encoding.upper()
        raise DocumentError(file, line, f"not {name} text (byte 0x{byte}: {error.reason})") from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DocumentError(file, line, "binary data (a NUL character), not a text document")
    return text


def read_document(path: str | Path, limit_mb: float) -> tuple[str, str]:
    """The text of the document at `path` and the SHA-256 of its bytes; refuses files over `limit_mb`."""
    path = Path(path)
    try:
        if path.is_dir():
            raise DocumentError(str(path), 0, "is a directory, not a document")
        size = path.stat().st_size
        limit = int(limit_mb * 2**20)
        if size > limit:
            raise DocumentError(
                path.name,
                0,
                f"{size / 2**20:.1f} MB is over the {limit_mb:g} MB a document may have "
                "(the CATALOG_MAX_DOCUMENT_MB setting)",
            )
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise DocumentError(str(path), 0, "no such file") from None
    if len(data) > limit:
        raise DocumentError(path.name, 0, f"grew past the {limit_mb:g} MB a document may have while read")
    text = decode(data, path.name)
    if not text.strip():
        raise DocumentError(path.name, 0, "empty document")
    return text, hashlib.sha256(data).hexdigest()


def parse_document(
    path: str | Path, limit_mb: float | None = None, max_entries: int | None = None
) -> ParsedDocument:
    """Read a document of either format, telling them apart by content.

    The limits default to the CATALOG_MAX_DOCUMENT_MB and
    CATALOG_MAX_DOCUMENT_ENTRIES settings. A document in which no method
    parses is an error, never an empty document: ingesting one would remove
    every method it gave the catalog before.
    """
    if limit_mb is None or max_entries is None:
        from catalog.settings import get_settings

        settings = get_settings()
        limit_mb = settings.max_document_mb if limit_mb is None else limit_mb
        max_entries = settings.max_document_entries if max_entries is None else max_entries
    path = Path(path)
    text, digest = read_document(path, limit_mb)
    if looks_like_export(text):
        document = parse_export(text, file=path.name, max_entries=max_entries)
    else:
        document = parse_text(text, file=path.name)
        if len(document.entries) > max_entries:
            raise DocumentError(path.name, 0, too_many(len(document.entries), max_entries))
    if not document.entries:
        raise DocumentError(path.name, 0, "no method entries found (a title line alone, or only notes)")
    document.sha256 = digest
    return document
