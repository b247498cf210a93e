"""`IndexedText`: Whoosh's TEXT field, indexed through its analyzer's one-pass `words`.

Whoosh indexes a TEXT value by running the analyzer's chain of generators
over it, once for the postings and once more, unstemmed, for the spelling
words. With a `WordAnalyzer` this field asks for the same terms and positions
in one pass each; what it returns is exactly what TEXT returns (the tests
compare them), so an index written either way reads the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.fields import TEXT
from whoosh.formats import Positions

from catalog.search._analysis import WordAnalyzer


class IndexedText(TEXT):
    def __getstate__(self) -> dict[str, Any]:
        # the index pickles its schema: not the words of the last value indexed
        return {k: v for k, v in self.__dict__.items() if k != "_spelled"}

    def _fast(self, value: Any, kwargs: dict[str, Any]) -> bool:
        return (
            not kwargs
            and isinstance(value, str)
            and isinstance(self.analyzer, WordAnalyzer)
            and type(self.format) is Positions
        )

    def index(self, value: Any, **kwargs: Any) -> Any:
        """(term bytes, frequency, weight, encoded positions) per distinct term of `value`."""
        if not self._fast(value, kwargs):
            return super().index(value, **kwargs)
        # Whoosh asks for the spelling words of the same value next: they come out of this pass too
        spelled: set[str] | None = set() if self.separate_spelling() else None
        positions: dict[str, list[int]] = {}
        for word, position in self.analyzer.words(value, unstemmed=spelled):
            held = positions.get(word)
            if held is None:
                positions[word] = [position]
            else:
                held.append(position)
        if spelled is not None:
            self._spelled = (value, spelled)
        boost = self.format.field_boost
        encode = self.format.encode
        return [
            (word.encode("utf-8"), len(held), len(held) * boost, encode(held))
            for word, held in positions.items()
        ]

    def spellable_words(self, value: Any) -> Iterator[str]:
        if not self._fast(value, {}):
            return super().spellable_words(value)
        last = self.__dict__.pop("_spelled", None)
        if last is not None and last[0] is value:
            return iter(sorted(last[1]))
        return iter(sorted({word for word, _ in self.analyzer.words(value, morph=False)}))
