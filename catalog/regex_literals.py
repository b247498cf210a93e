"""Words a regular expression cannot match without: a cheap test that rules most patterns out.

`required_literals(r"policy gradient|actor-critic")` is `{"policy gradient",
"actor-critic"}`: every match contains one of them. A text, lower-cased, that
holds none of them cannot match, and a substring test (C speed) says so far
faster than running the pattern, which Python's engine does position by
position, slowest under IGNORECASE. Classifying a method against the taxonomy's
rules (`catalog/taxonomy.py`) costs a fraction as much this way; which rules
match does not change, because the test only skips patterns that cannot match.

Sound for ASCII texts only: under IGNORECASE a few non-ASCII letters match
ASCII ones ("ſ" matches "s", the Kelvin sign "K" matches "k"), so callers test
`text.isascii()` first and run every pattern on other texts.
"""

from __future__ import annotations

import re

# the parser `re` itself uses: the only way to read a pattern's structure without reimplementing it
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

Literals = frozenset[str]


def _best(candidates: list[Literals]) -> Literals | None:
    """The most selective set: the longest shortest member, then the fewest members."""
    if not candidates:
        return None
    return max(candidates, key=lambda found: (min(map(len, found)), -len(found)))


def _required(items: Any) -> Literals | None:
    """A set of lower-case strings one of which every match of this parsed sequence contains."""
    candidates: list[Literals] = []
    run: list[str] = []
    for op, argument in items:
        if op is sre.LITERAL and argument < 128:
            run.append(chr(argument).lower())
            continue
        if run:
            candidates.append(frozenset(["".join(run)]))
            run = []
        found: Literals | None = None
        if op is sre.SUBPATTERN:
            found = _required(argument[-1])
        elif op is sre.ATOMIC_GROUP:
            found = _required(argument)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and argument[0] >= 1:
            found = _required(argument[2])
        elif op is sre.BRANCH:
            branches = [_required(branch) for branch in argument[1]]
            if all(branch is not None for branch in branches):
                found = frozenset().union(*branches)  # type: ignore[arg-type]
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset(["".join(run)]))
    return _best(candidates)


def required_literals(pattern: str, flags: int = 0) -> Literals | None:
    """Lower-case strings one of which every match of `pattern` contains; None when no such set is known.

    Only the characters a match consumes count (lookarounds and `\\b` are
    skipped), and a run of literal characters only while it is unbroken, so
    the set is never wrong, only sometimes missing.
    """
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    found = _required(list(parsed))
    return found if found and all(found) else None


def may_match(literals: Literals | None, lowered_ascii_text: str) -> bool:
    """False only when the text (lower-cased, ASCII) cannot match the pattern `literals` came from."""
    return literals is None or any(literal in lowered_ascii_text for literal in literals)
