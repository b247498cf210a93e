"""Analyzers that keep the shape of method names.

Whoosh's default analyzer drops one-character tokens and splits on hyphens, so
"R-CNN", "GPT-3", "MoCo v2" and "V-trace" lose what makes them findable. The
name analyzer keeps each hyphenated compound whole and also emits its parts and
their concatenation ("r-cnn", "r", "cnn", "rcnn"), all at one position.
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

COMPOUND_TOKEN = r"\w+(?:[-'.]\w+)*"


class CompoundFilter(Filter):
    """Emit a hyphenated compound, then its parts, then the parts joined."""

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for token in tokens:
            text = token.text
            yield token
            if "-" in text or "." in text or "'" in text:
                parts = [p for p in text.replace(".", "-").replace("'", "-").split("-") if p]
                for part in [*parts, "".join(parts)]:
                    if part != text:
                        token.text = part
                        yield token


def name_analyzer():  # type: ignore[no-untyped-def]
    """Names: every part kept, stemmed so that plurals meet ("Networks" finds "Network")."""
    return RegexTokenizer(COMPOUND_TOKEN) | LowercaseFilter() | CompoundFilter() | StemFilter()


def text_analyzer():  # type: ignore[no-untyped-def]
    """Descriptions: like names, less stop words, stemmed."""
    return (
        RegexTokenizer(COMPOUND_TOKEN)
        | LowercaseFilter()
        | CompoundFilter()
        | StopFilter(minsize=1)
        | StemFilter()
    )


_NAME_ANALYZER = name_analyzer()


@lru_cache(maxsize=65536)
def tokens(word: str) -> tuple[str, ...]:
    """The index's forms of `word` ("Networks" -> "network"; "R-CNN" -> "r-cnn", "r", "cnn", "rcnn")."""
    return tuple(t.text for t in _NAME_ANALYZER(word))
