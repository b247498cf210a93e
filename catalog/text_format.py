"""The plain-text document format: a title line, then one method per entry.

An entry is either a name line followed by its description line, or a
description line alone that begins with (or introduces) the method's name.
Lines are told apart by what they say, never by where they stand:

- a name line is short, has no sentence punctuation at its end and no verb of
  definition ("is", "are", "we");
- a description pairs with the name line before it only when nothing says it
  belongs elsewhere: it names the heading, or defines an acronym of it ("The
  Lion optimizer …" under "Evolved Sign Momentum"), or defines nothing at all.
  A description that defines another method ("Retrace is …", "We propose OFA")
  is that method's entry, and the heading is left without a description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.cleaning import clean_description, has_stripped_math, is_placeholder
from catalog.entry import DocumentError, ParsedEntry
from catalog.names import (
    NameMatcher,
    Subject,
    is_acronym_of,
    mentions,
    name_key,
    same_method_name,
    subject_of,
)

_DEFINITION_WORDS_RE = re.compile(r"\b(?:is|are|was|were|we|our|this|these|it|they)\b", re.I)
_MAX_NAME_WORDS = 12
MAX_LINE_CHARS = 100_000
"""Longest line a text document may have: a description runs to a few thousand characters, and a
longer line is a file of another kind (minified data, a dump) rather than a method to read."""


@dataclass
class ParsedDocument:
    file: str
    title: str
    entries: list[ParsedEntry]
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""
    """Of the document's bytes, as read from its file."""


def looks_like_name(line: str) -> bool:
    """A heading, not a sentence: short, unpunctuated at its end, with no verb of definition."""
    text = line.strip()
    if not text or is_placeholder(text) or len(text) > 120 or len(text.split()) > _MAX_NAME_WORDS:
        return False
    if text[-1] in ".!?:;," or _DEFINITION_WORDS_RE.search(text):
        return False
    return not re.match(r"^(?:A|An|The)\s+[a-z]", text)


def _belongs(name: str, description: str, subject: Subject | None) -> bool:
    if mentions(description, name) or subject is None:
        return True
    return any(same_method_name(n, name) for n in (subject.name, *subject.aliases))


def _new_entry(file: str, line: int, name: str, description: str = "") -> ParsedEntry:
    entry = ParsedEntry(name=name, file=file, line=line, line_end=line, key=name_key(name))
    if description:
        _set_description(entry, description)
    else:
        entry.add_flag("missing_description")
    return entry


def _set_description(entry: ParsedEntry, raw: str) -> None:
    entry.description = clean_description(raw)
    entry.description_format = "markdown"
    if has_stripped_math(entry.description):
        entry.add_flag("math_stripped")


def _add_names(entry: ParsedEntry, subject: Subject | None) -> None:
    """Aliases from the defining sentence; the full name is the longest spelled-out form."""
    if subject is not None:
        for alias in (subject.name, *subject.aliases):
            if name_key(alias) != name_key(entry.name) and alias not in entry.aliases:
                entry.aliases.append(alias)
    if entry.name.startswith("-"):
        # "-step Returns": the formula symbol was cut from the name itself.
        entry.aliases.append(entry.name)
        entry.name = "N" + entry.name
        entry.key = name_key(entry.name)
        entry.add_flag("math_stripped")
    expansions = [a for a in entry.aliases if is_acronym_of(entry.name, a)]
    entry.full_name = max(expansions, key=len) if expansions else entry.name


def parse_text(text: str, file: str = "<text>") -> ParsedDocument:
    """Parse a plain-text document; raises `DocumentError` naming the line it cannot read."""
    if "\x00" in text:
        raise DocumentError(file, 0, "binary data, not a text document")
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line]
    for number, line in lines:
        if len(line) > MAX_LINE_CHARS:
            raise DocumentError(
                file,
                number,
                f"a line of {len(line):,} characters; a line may have at most {MAX_LINE_CHARS:,}",
            )
    if not lines:
        raise DocumentError(file, 0, "empty document")
    document = ParsedDocument(file=file, title=lines[0][1], entries=[])
    joined: dict[int, list[str]] = {}
    # paragraphs joined to an entry, concatenated once at the end rather than once per paragraph
    i = 1
    while i < len(lines):
        number, line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else None
        if looks_like_name(line):
            entry = _new_entry(file, number, line)
            if following and is_placeholder(following[1]):
                entry.line_end, i = following[0], i + 1
            elif following and not looks_like_name(following[1]):
                subject = subject_of(following[1])
                if _belongs(line, following[1], subject):
                    _set_description(entry, following[1])
                    entry.flags.remove("missing_description")
                    entry.line_end, i = following[0], i + 1
                    _add_names(entry, subject)
            if not entry.full_name:
                _add_names(entry, None)
            document.entries.append(entry)
        elif is_placeholder(line):
            document.warnings.append(f"{file}:{number}: placeholder description with no name line")
        else:
            subject = subject_of(line)
            if subject is not None:
                entry = _new_entry(file, number, subject.name, line)
                _add_names(entry, Subject(subject.name, subject.aliases))
                document.entries.append(entry)
            elif document.entries:
                previous = document.entries[-1]
                joined.setdefault(len(document.entries) - 1, [previous.description]).append(
                    clean_description(line)
                )
                previous.line_end = number
                document.warnings.append(f"{file}:{number}: unnamed paragraph joined to {previous.name!r}")
            else:
                raise DocumentError(file, number, "a description with no method name before it")
        i += 1
    for number, paragraphs in joined.items():
        document.entries[number].description = "\n\n".join(paragraphs).strip()
    _flag_mismatches(document.entries)
    _check_duplicates(document)
    return document


def _flag_mismatches(entries: list[ParsedEntry]) -> None:
    """Flag a description that never names its heading but names another entry of the document.

    Every name of the document goes into one matcher, so each description is
    read once, whatever the number of entries.
    """
    matcher = NameMatcher()
    for number, entry in enumerate(entries):
        for name in entry.names():
            matcher.add(name, (number, len(name) > 3))
    for number, entry in enumerate(entries):
        if not entry.description:
            continue
        found = matcher.find(entry.description)
        if any(owner == number for owner, _ in found):  # type: ignore[misc]
            continue
        if any(long for owner, long in found):  # type: ignore[misc]
            entry.add_flag("description_mismatch")


def _check_duplicates(document: ParsedDocument) -> None:
    seen: dict[str, ParsedEntry] = {}
    for entry in document.entries:
        if entry.key in seen:
            first = seen[entry.key]
            raise DocumentError(
                document.file, entry.line, f"{entry.name!r} is already defined on line {first.line}"
            )
        seen[entry.key] = entry
