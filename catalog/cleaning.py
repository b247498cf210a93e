"""Description cleaning and the `math_stripped` detector.

Real descriptions arrive as flattened READMEs (emoji, badge bars, markdown
tables squashed onto one line, stray HTML) and with formulas cut out. Cleaning
keeps the prose and every LaTeX block intact; detection reports the holes the
formulas left instead of hiding them.
"""

from __future__ import annotations

import re

PLACEHOLDER = "please enter a description about the method here"
DELETED_NAME = "(deleted method)"
"""The name the Papers with Code export gives a method it deleted: stored, but listed and searched nowhere."""

MATH_BLOCK_RE = re.compile(
    r"\\begin\{(?P<env>[a-zA-Z]+\*?)\}.*?\\end\{(?P=env)\}"
    r"|\$\$.+?\$\$|\$[^$\n]+?\$|\\\(.+?\\\)|\\\[.+?\\\]",
    re.DOTALL,
)
_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u26ff\u2b00-\u2bff\ufe0f\u200d]")
# "Paper@arXiv | Datasets&Models@HF | Code@GitHub ... | BibTeX": a README's badge bar.
_BADGE_BAR_RE = re.compile(r"(?:[^\s|@]+@[^\s|]+\s*\|?\s*){2,}(?:BibTeX\b\s*)?")
_HTML_FRAGMENT_RE = re.compile(r"</?(?:sup|sub|b|i|em|strong|br|p|div|span|center|img)(?![a-z])/?>?")
_BIBTEX_RE = re.compile(r"\b(?:latex|bibtex)\s+(@\w+\{.*\})\s*$", re.S)
_INLINE_TABLE_RE = re.compile(r"(?:\|[^|\n]*){3,}\|")
_TABLE_RULE_CELL_RE = re.compile(r"^\s*:?-{3,}:?\s*$")
# A link target with a scheme other than http(s), in markdown or LaTeX: "](javascript:", "\href{data:".
_UNSAFE_LINK_RE = re.compile(
    r"(\]\(|\\href\s*\{|\\url\s*\{)[\s\x00-\x1f]*(?!https?:)[a-z](?:[a-z0-9+.\-]|[\s\x00-\x1f])*:", re.I
)

# Holes left where formulas were removed: " . and", "map , BAM", "-step", "size ×height", "()".
_HOLE_RES = (
    re.compile(r"\w\s+[.,;:](?=\s|$)"),
    re.compile(r"(?:^|\s)-(?=[a-z])"),
    re.compile(r"\s−\s(?=\w)"),
    re.compile(r"(?:^|\s)[×·]\w"),
    re.compile(r"\(\s*\)"),
    re.compile(r":\s+Where\b"),
    re.compile(r"\bor\s+See\b"),
    re.compile(r"\b[Ww]here\s+(?:indicates|denotes|,|and\s+(?:denote|represent|are)\b)"),
    re.compile(r",\s+where\s+is\b|\band\s+and\b"),
)


def is_placeholder(text: str) -> bool:
    return text.strip().lower().rstrip(".") == PLACEHOLDER


def _protect_math(text: str) -> tuple[str, list[str]]:
    blocks: list[str] = []

    def keep(match: re.Match[str]) -> str:
        blocks.append(match.group(0))
        return f"\x00{len(blocks) - 1}\x00"

    return MATH_BLOCK_RE.sub(keep, text), blocks


def _restore_math(text: str, blocks: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: blocks[int(m.group(1))], text)


def _rebuild_table(match: re.Match[str]) -> str:
    """Turn a markdown table flattened onto one line back into rows."""
    cells = [c.strip() for c in match.group(0).strip().strip("|").split("|")]
    rows: list[list[str]] = [[]]
    for cell in cells:
        if cell == "" and rows[-1]:
            rows.append([])
        elif cell != "":
            rows[-1].append(cell)
    rows = [r for r in rows if r]
    width = len(rows[0])
    if len(rows) < 2 or any(len(r) != width for r in rows):
        return match.group(0)
    body = [r for r in rows[1:] if not all(_TABLE_RULE_CELL_RE.match(c) for c in r)]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n\n" + "\n".join(lines) + "\n\n"


def neutralize_links(text: str) -> str:
    """Link targets of any scheme but http(s) become in-page anchors: text to read, never code to run."""
    if ":" not in text or ("](" not in text and "\\href" not in text and "\\url" not in text):
        return text
    return _UNSAFE_LINK_RE.sub(lambda m: m.group(1) + "#", text)


def clean_description(text: str) -> str:
    """Readable prose from a flattened document line, LaTeX blocks untouched.

    Each rule runs only where the text holds the character it needs, which
    keeps cleaning cheap on the plain prose most descriptions are.
    """
    blocks: list[str] = []
    if "$" in text or "\\" in text:
        text, blocks = _protect_math(text)
    if not text.isascii():
        text = _EMOJI_RE.sub("", text)
    if "@" in text:
        text = _BADGE_BAR_RE.sub(" ", text)
    if "<" in text:
        text = _HTML_FRAGMENT_RE.sub("", text)
    if "\\" in text:
        text = re.sub(r"\\(?=[~\d])", "", text)  # "\585k": an escaped "~" whose tilde was lost
    if "@" in text:
        text = _BIBTEX_RE.sub(lambda m: f"\n\n```bibtex\n{m.group(1).strip()}\n```", text)
    if text.count("|") >= 4:
        text = _INLINE_TABLE_RE.sub(_rebuild_table, text)
    paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n{2,}", text)]
    lines = "\n\n".join(p for p in paragraphs if p)
    return neutralize_links(_restore_math(lines, blocks).strip() if blocks else lines.strip())


def has_stripped_math(text: str) -> bool:
    """True when a description shows holes where formulas were cut out."""
    prose = MATH_BLOCK_RE.sub("MATH", text) if "$" in text or "\\" in text else text
    if "```" in prose:
        prose = re.sub(r"```.*?```", " ", prose, flags=re.S)
    return any(pattern.search(prose) for pattern in _HOLE_RES)
