"""The one-pass analysis indexes exactly what Whoosh's chain of filters indexes."""

import json
import pickle

import pytest
from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import TEXT

from catalog.search._analysis import WordAnalyzer, name_analyzer, text_analyzer
from catalog.search._fields import IndexedText
from catalog.settings import SEED_DOCUMENT

TRICKY = [
    "",
    "--",
    "Faster R-CNN's x.y-z a-a",
    "The-of and-the of of of x",
    "don't stop-the it's",
    "ÉCOLE Straße İstanbul ǅemal",
    "a'b.c-d GPT-3.5 v2.0.1 1e-4",
    "Networks networks NETWORKS network's",
    "tab\tnew\nline  spaces",
    "x" * 300,
]


def _texts(extra: list[str]) -> list[str]:
    return TRICKY + SEED_DOCUMENT.read_text().splitlines() + extra


def _chain(analyzer: WordAnalyzer) -> CompositeAnalyzer:
    """The same filters as a plain Whoosh chain."""
    return CompositeAnalyzer(*analyzer.items)


def _assert_same(texts: list[str]) -> None:
    for make in (name_analyzer, text_analyzer):
        fast = IndexedText(analyzer=make(), spelling=True)
        plain = TEXT(analyzer=_chain(make()), spelling=True)
        for text in texts:
            assert sorted(fast.index(text)) == sorted(plain.index(text)), f"{make.__name__}: {text[:80]!r}"
            assert list(fast.spellable_words(text)) == list(plain.spellable_words(text)), (
                f"{make.__name__} spelling words: {text[:80]!r}"
            )
            tokens = [(t.text, t.pos) for t in _chain(make())(text, positions=True, mode="index")]
            assert make().words(text) == tokens, f"{make.__name__} words: {text[:80]!r}"


def test_one_pass_indexes_what_the_chain_indexes_on_the_seed_and_tricky_text():
    from bench.synthetic import SyntheticCatalog

    synthetic = [r["description"] for r in SyntheticCatalog(300, seed=3).records()]
    _assert_same(_texts(synthetic))


def test_one_pass_indexes_what_the_chain_indexes_on_the_export(export_path):
    records = json.loads(export_path.read_text())
    records = records["methods"] if isinstance(records, dict) else records
    texts = [r[k] for r in records for k in ("name", "full_name", "description") if r.get(k)]
    assert len(texts) > 4000, f"only {len(texts)} texts read from the export"
    _assert_same(texts)


def test_the_spelling_words_of_another_value_are_not_reused():
    field = IndexedText(analyzer=text_analyzer(), spelling=True)
    field.index("convolutions everywhere")
    assert list(field.spellable_words("attention heads")) == ["attention", "heads"], "stale spelling words"


def test_a_pickled_schema_field_keeps_working_and_carries_no_last_value():
    field = IndexedText(analyzer=text_analyzer(), spelling=True)
    field.index("a very long description " * 100)
    copy = pickle.loads(pickle.dumps(field))
    assert "_spelled" not in copy.__dict__, "the last value indexed was pickled with the schema"
    assert copy.analyzer.words("Residual networks") == [("residu", 0), ("network", 1)], "unpickled words"


def test_a_chain_the_one_pass_cannot_run_is_refused():
    with pytest.raises(TypeError, match="one pass"):
        WordAnalyzer(RegexTokenizer(), LowercaseFilter(), StemFilter())
