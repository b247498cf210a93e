"""Analyzers that keep the shape of method names.

Whoosh's default analyzer drops one-character tokens and splits on hyphens, so
"R-CNN", "GPT-3", "MoCo v2" and "V-trace" lose what makes them findable. The
name analyzer keeps each hyphenated compound whole and also emits its parts and
their concatenation ("r-cnn", "r", "cnn", "rcnn"), all at one position.

Both are Whoosh analyzer chains, and both can also say in one pass what the
chain yields when a document is indexed (`WordAnalyzer.words`): the same
terms at the same positions, without a generator per filter per token, which
cost as much as writing the postings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    CompositeAnalyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)

COMPOUND_TOKEN = r"\w+(?:[-'.]\w+)*"


def compound_forms(text: str) -> list[str]:
    """A lower-cased word as the index holds it: itself, then its parts and the parts joined, if compound."""
    if "-" not in text and "." not in text and "'" not in text:
        return [text]
    parts = [p for p in text.replace(".", "-").replace("'", "-").split("-") if p]
    return [text, *(part for part in [*parts, "".join(parts)] if part != text)]


class CompoundFilter(Filter):
    """Emit a hyphenated compound, then its parts, then the parts joined."""

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for token in tokens:
            for form in compound_forms(token.text):
                token.text = form
                yield token


class WordAnalyzer(CompositeAnalyzer):
    """`RegexTokenizer | LowercaseFilter | CompoundFilter | [StopFilter] | StemFilter`, searchable as usual,
    with `words`: what indexing the text yields, computed in one pass."""

    def __init__(self, *composables: Any) -> None:
        super().__init__(*composables)
        kinds = [type(item) for item in self.items]
        if kinds not in (
            [RegexTokenizer, LowercaseFilter, CompoundFilter, StemFilter],
            [RegexTokenizer, LowercaseFilter, CompoundFilter, StopFilter, StemFilter],
        ):
            raise TypeError(f"WordAnalyzer cannot run this chain in one pass: {self!r}")

    def __getstate__(self) -> dict[str, Any]:
        # the index pickles its schema: the one-pass helpers are rebuilt from the chain when needed
        return {k: v for k, v in self.__dict__.items() if k != "_pass"}

    def _one_pass(self) -> tuple[Callable[[str], Iterator[Any]], frozenset[str] | None, Callable[[str], str]]:
        found = self.__dict__.get("_pass")
        if found is None:
            stop = next((item for item in self.items if isinstance(item, StopFilter)), None)
            if stop is not None and (stop.min > 1 or stop.max is not None or not stop.renumber):
                raise TypeError(f"WordAnalyzer cannot run this stop filter in one pass: {stop!r}")
            stem: StemFilter = self.items[-1]
            stemmed = stem._stem
            if stem.ignore:
                ignored = stem.ignore

                def stemmed(word: str, plain: Callable[[str], str] = stem._stem) -> str:
                    return word if word in ignored else plain(word)

            found = self.__dict__["_pass"] = (
                self.items[0].expression.finditer,
                stop.stops if stop is not None else None,
                stemmed,
            )
        return found

    def words(
        self, value: str, morph: bool = True, unstemmed: set[str] | None = None
    ) -> list[tuple[str, int]]:
        """(term, position) for each token the chain yields when indexing `value` (`positions=True`);
        `morph=False`: unstemmed, as for spelling (`no_morph=True`). `unstemmed`, when given, also
        receives every term before stemming."""
        finditer, stops, stem = self._one_pass()
        found: list[tuple[str, int]] = []
        append = found.append
        kept = None  # a stop filter renumbers: after the first word it keeps, positions count kept words
        for position, match in enumerate(finditer(value)):
            for form in compound_forms(match.group().lower()):
                if stops is not None:
                    if form in stops:
                        continue
                    kept = position if kept is None else kept + 1
                    at = kept
                else:
                    at = position
                if unstemmed is not None:
                    unstemmed.add(form)
                append((stem(form) if morph else form, at))
        return found


def name_analyzer() -> WordAnalyzer:
    """Names: every part kept, stemmed so that plurals meet ("Networks" finds "Network")."""
    return WordAnalyzer(RegexTokenizer(COMPOUND_TOKEN), LowercaseFilter(), CompoundFilter(), StemFilter())


def text_analyzer() -> WordAnalyzer:
    """Descriptions: like names, less stop words, stemmed."""
    return WordAnalyzer(
        RegexTokenizer(COMPOUND_TOKEN),
        LowercaseFilter(),
        CompoundFilter(),
        StopFilter(minsize=1),
        StemFilter(),
    )


_NAME_ANALYZER = name_analyzer()


@lru_cache(maxsize=65536)
def tokens(word: str) -> tuple[str, ...]:
    """The index's forms of `word` ("Networks" -> "network"; "R-CNN" -> "r-cnn", "r", "cnn", "rcnn")."""
    return tuple(t.text for t in _NAME_ANALYZER(word))
