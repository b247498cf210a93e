"""What a document says about one method, before it meets the catalog."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FLAGS = ("missing_description", "description_mismatch", "math_stripped")
"""Quality flags, in the order they are reported."""

FLAG_HELP = {
    "missing_description": "no description yet",
    "description_mismatch": "this description appears to belong to another method",
    "math_stripped": "formulas were stripped from this description; sentences have holes",
}


@dataclass(frozen=True)
class CollectionRef:
    name: str
    area: str = ""


@dataclass
class ParsedEntry:
    """One method as read from one document, with where it was read."""

    name: str
    description: str = ""
    full_name: str = ""
    aliases: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    file: str = ""
    line: int = 0
    line_end: int = 0
    key: str = ""
    description_format: str = "text"
    collections: list[CollectionRef] = field(default_factory=list)
    paper_title: str = ""
    paper_url: str = ""
    year: int | None = None
    source_url: str = ""
    code_url: str = ""
    num_papers: int | None = None
    link_keys: list[str] = field(default_factory=list)
    """Keys (document-specific method identifiers) this description links to."""

    def names(self) -> list[str]:
        """Name, full name and aliases, in that order, without repeats."""
        return list(dict.fromkeys(n for n in (self.name, self.full_name, *self.aliases) if n))

    def add_flag(self, flag: str) -> None:
        if flag not in self.flags:
            self.flags.append(flag)
            self.flags.sort(key=FLAGS.index)

    def public(self) -> dict[str, Any]:
        """The JSON form `method-catalog parse` prints."""
        data = asdict(self)
        data["collections"] = [asdict(c) for c in self.collections]
        data["source"] = {"file": self.file, "line": self.line, "line_end": self.line_end}
        for key in ("file", "line", "line_end", "link_keys"):
            data.pop(key)
        return data


class DocumentError(ValueError):
    """A document that cannot be read; the message names the file and line."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file = file
        self.line = line


SQL_CHUNK = 500
"""Values per SQL `IN` list or bulk statement: far below SQLite's and PostgreSQL's parameter limits."""


def chunks(items: list, size: int = SQL_CHUNK) -> list[list]:
    """`items` in consecutive slices of at most `size`, so no statement outgrows a database's limits."""
    return [items[i : i + size] for i in range(0, len(items), size)]
