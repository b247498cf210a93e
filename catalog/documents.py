"""Reading a document of any supported format, told apart by its content."""

from __future__ import annotations

from pathlib import Path

from catalog.entry import DocumentError
from catalog.pwc_format import looks_like_export, parse_export
from catalog.text_format import ParsedDocument, parse_text


def parse_document(path: str | Path) -> ParsedDocument:
    """Read a document of either format, telling them apart by content."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DocumentError(str(path), 0, "no such file") from None
    except IsADirectoryError:
        raise DocumentError(str(path), 0, "is a directory, not a document") from None
    except UnicodeDecodeError as error:
        raise DocumentError(path.name, 0, f"not UTF-8 text ({error.reason})") from None
    if looks_like_export(text):
        return parse_export(text, file=path.name)
    return parse_text(text, file=path.name)
