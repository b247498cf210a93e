"""Names a method is searched by beyond the ones its documents state, derived at indexing time.

- Acronyms a description defines for its own method, mid-sentence
  ("Spatial-channel Token Distillation (STD)", "the SK convolution", "the
  **Vision Transformer**, or **ViT**") or as the
  heading it opens with ("# DART-Math"). A parenthesised acronym counts only
  when the words just before it spell it out (its letters in order, the first
  starting a word) and hold the first and two thirds of the significant words
  of one of the method's names, so "knowledge distillation (KD)" inside another method's
  description does not make that method "KD".
- Short forms: a name's initials before its head noun ("Squeeze-and-Excitation
  Block" -> "SE Block", "Selective Kernel Convolution" -> "SK Convolution").
- Joined forms, every name with spaces and hyphens removed ("Batch
  Normalization" -> "batchnormalization"), searched by prefix so that
  "batchnorm", "mocov2" and "fasterrcnn" find their methods.
- The arXiv id of the method's paper, from its source URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from catalog.names import STOPWORDS, fold, is_acronym_of, name_key, words

HEAD_NOUNS = frozenset(
    "block module convolution network layer attention unit loss normalization pooling "
    "connection embedding encoder decoder optimizer regularization".split()
)
_ACRONYM = r"[A-Za-z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
_DEFINED_RE = re.compile(rf"\(\s*({_ACRONYM})\s*\)")
_THE_RE = re.compile(rf"\bthe\s+({_ACRONYM})\s+([a-z]+)")
_OR_RE = re.compile(rf"\*\*([^*]{{2,80}})\*\*,?\s+or\s+\*\*({_ACRONYM})\*\*")
_HEADING_RE = re.compile(rf"^\W*({_ACRONYM})\W*$")
_ARXIV_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", re.I)
MAX_WINDOW = 8
"""Words before a parenthesised acronym that may spell it out."""


def _covers_a_name(long_form: str, names: Iterable[str]) -> bool:
    mine = set(words(long_form))
    for name in names:
        significant = [w for w in words(name) if w not in STOPWORDS]
        covered = sum(w in mine for w in significant)
        if significant and significant[0] in mine and 3 * covered >= 2 * len(significant):
            return True
    return False


def spells_out(short: str, long_form: str) -> bool:
    """The letters of `short`, in order, within `long_form`, the first one starting its first word."""
    letters = [c for c in fold(short) if c.isalnum()]
    text = fold(long_form)
    if not letters or not text.startswith(letters[0]):
        return False
    position = 0
    for letter in letters:
        position = text.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def _abbreviates(short: str, names: Iterable[str]) -> bool:
    return any(is_acronym_of(short, name) for name in names)


def defined_acronyms(names: list[str], description: str) -> list[str]:
    """Acronyms `description` defines for the method called `names`, in order of appearance."""
    found: list[str] = []
    known = {name_key(n) for n in names}

    def keep(short: str) -> None:
        if name_key(short) not in known and short not in found:
            found.append(short)

    first_line = description.strip().splitlines()[0] if description.strip() else ""
    heading = _HEADING_RE.match(first_line.lstrip("#").strip())
    if heading and first_line.lstrip().startswith("#"):
        keep(heading.group(1))
    for match in _DEFINED_RE.finditer(description):
        short = match.group(1)
        before = re.findall(r"[\w-]+", description[max(0, match.start() - 120) : match.start()])[-MAX_WINDOW:]
        for size in range(1, len(before) + 1):
            long_form = " ".join(before[-size:])
            if spells_out(short, long_form):
                if _covers_a_name(long_form, names):
                    keep(short)
                break
    for match in _OR_RE.finditer(description):
        long_form, short = match.group(1), match.group(2)
        if spells_out(short, long_form) and _covers_a_name(long_form, names):
            keep(short)
    for match in _THE_RE.finditer(description):
        short, head = match.group(1), match.group(2)
        if head in HEAD_NOUNS and _abbreviates(short, names):
            keep(f"{short} {head}")
    return found


def short_form(name: str) -> str | None:
    """Initials of the words before a head noun, then the head noun: "SE Block"; None when not such a name."""
    parts = [p for p in re.split(r"[\s\-/]+", name) if p]
    if len(parts) < 3 or fold(parts[-1]) not in HEAD_NOUNS:
        return None
    letters = [p[0].upper() for p in parts[:-1] if fold(p) not in STOPWORDS and p[:1].isalpha()]
    if len(letters) < 2:
        return None
    return "".join(letters) + " " + parts[-1]


def two_word_initials(name: str) -> str | None:
    """`"Layer Normalization"` -> `"ln"`: how two-word names are abbreviated ("LN", "BN", "GN")."""
    significant = [w for w in re.split(r"[\s\-/]+", fold(name)) if w and w not in STOPWORDS]
    if len(significant) != 2 or not all(w[0].isalpha() for w in significant):
        return None
    return significant[0][0] + significant[1][0]


def joined(name: str) -> str:
    """`"Faster R-CNN"` -> `"fasterrcnn"`: what people type when they skip spaces and hyphens."""
    return "".join(words(name))


def arxiv_id(url: str) -> str | None:
    """`"http://arxiv.org/abs/1711.05101v3"` -> `"1711.05101"`."""
    match = _ARXIV_RE.search(url or "")
    return match.group(1) if match else None
