"""Scoring the catalog's search against a set of judged queries.

`queries.jsonl` holds one judged query a line: the text a researcher types, the
slugs acceptable as the first result (best first), the kind of need it stands
for, and the corpus that can answer it (`seed`: the 45 bundled methods alone;
`export`: the seed plus the Papers with Code export). A query scores by the
rank of the first acceptable slug among the top `LIMIT` hits: MRR@10, top-1
and top-3 rates. Shared by `tests/relevance/test_relevance.py` (floors) and
`bench/relevance.py` (the report).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import select

from catalog.models import Method
from catalog.store import Catalog

QUERIES = Path(__file__).resolve().parent / "queries.jsonl"
LIMIT = 10
TYPES = (
    "exact-name",
    "acronym",
    "alias",
    "shorthand",
    "misspelling",
    "prefix",
    "title",
    "arxiv",
    "paraphrase",
    "concept",
    "task",
)
"""`paraphrase`: what a method does in words that are not its name; `task`: the problem a researcher
has ("off-policy correction for actor-critic"); `shorthand`: a concatenation or short form
("batchnorm", "mocov2"); `title` and `arxiv`: the method's paper by its title or arXiv id."""
CORPORA = ("seed", "export")
_KEYS = {"query", "expected", "type", "corpus"}


@dataclass(frozen=True)
class Query:
    text: str
    expected: tuple[str, ...]
    """Slugs acceptable as the first result, best first."""
    type: str
    corpus: str
    line: int


@dataclass(frozen=True)
class Outcome:
    query: Query
    got: tuple[str, ...]
    """The slugs of the top `LIMIT` hits."""

    @property
    def rank(self) -> int | None:
        """1-based rank of the first acceptable slug, None when none is in the top `LIMIT`."""
        return next((i for i, slug in enumerate(self.got, 1) if slug in self.query.expected), None)


@dataclass(frozen=True)
class Score:
    count: int
    mrr: float
    top1: float
    top3: float
    top5: float = 0.0
    top10: float = 0.0

    @classmethod
    def of(cls, outcomes: Sequence[Outcome]) -> Score:
        if not outcomes:
            return cls(0, 0.0, 0.0, 0.0)
        ranks = [o.rank for o in outcomes]
        n = len(ranks)
        return cls(
            count=n,
            mrr=sum(1 / r for r in ranks if r) / n,
            top1=sum(r == 1 for r in ranks) / n,
            top3=sum(r is not None and r <= 3 for r in ranks) / n,
            top5=sum(r is not None and r <= 5 for r in ranks) / n,
            top10=sum(r is not None for r in ranks) / n,
        )


@dataclass
class Metrics:
    outcomes: list[Outcome]
    overall: Score = field(init=False)
    by_type: dict[str, Score] = field(init=False)
    by_corpus: dict[str, Score] = field(init=False)

    def __post_init__(self) -> None:
        self.overall = Score.of(self.outcomes)
        self.by_type = _split(self.outcomes, TYPES, lambda o: o.query.type)
        self.by_corpus = _split(self.outcomes, CORPORA, lambda o: o.query.corpus)

    @property
    def mrr(self) -> float:
        return self.overall.mrr

    @property
    def top1(self) -> float:
        return self.overall.top1

    @property
    def top3(self) -> float:
        return self.overall.top3

    @property
    def top5(self) -> float:
        return self.overall.top5

    @property
    def failures(self) -> list[Outcome]:
        """Queries whose first result is not acceptable, in file order."""
        return sorted((o for o in self.outcomes if o.rank != 1), key=lambda o: o.query.line)


def _split(
    outcomes: Sequence[Outcome], keys: Iterable[str], key_of: Callable[[Outcome], str]
) -> dict[str, Score]:
    return {key: Score.of(group) for key in keys if (group := [o for o in outcomes if key_of(o) == key])}


def load_queries(path: Path = QUERIES) -> list[Query]:
    """Every query of `path`; a malformed line raises ValueError naming the file and line."""
    queries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: not JSON ({error})") from None
        if not isinstance(record, dict) or set(record) != _KEYS:
            raise ValueError(f"{where}: expected exactly the keys {sorted(_KEYS)}")
        expected = record["expected"]
        if (
            not isinstance(expected, list)
            or not expected
            or not all(isinstance(s, str) and s for s in expected)
        ):
            raise ValueError(f"{where}: 'expected' must be a non-empty list of slugs")
        if record["type"] not in TYPES:
            raise ValueError(f"{where}: type {record['type']!r} is not one of {TYPES}")
        if record["corpus"] not in CORPORA:
            raise ValueError(f"{where}: corpus {record['corpus']!r} is not one of {CORPORA}")
        if not isinstance(record["query"], str) or not record["query"].strip():
            raise ValueError(f"{where}: 'query' must be a non-empty string")
        queries.append(Query(record["query"], tuple(expected), record["type"], record["corpus"], number))
    return queries


def unknown_slugs(catalog: Catalog, queries: Iterable[Query]) -> list[str]:
    """`"query -> slug"` for each expected slug the catalog does not hold (a typo in the judgements)."""
    with catalog.session() as session:
        slugs = set(session.exec(select(Method.slug)).all())
    return [f"{q.text!r} -> {slug}" for q in queries for slug in q.expected if slug not in slugs]


Engine = Callable[[str], Sequence[str]]
"""A search under test: query text -> the slugs of its top `LIMIT` hits."""


def catalog_engine(catalog: Catalog) -> Engine:
    return lambda text: [hit["slug"] for hit in catalog.index.search(text, limit=LIMIT).hits]


def evaluate(catalog: Catalog, queries: Iterable[Query], engine: Engine | None = None) -> Metrics:
    """Run every query with limit=`LIMIT` through `engine` (the catalog's search by default) and score it."""
    run = engine or catalog_engine(catalog)
    return Metrics([Outcome(q, tuple(run(q.text))[:LIMIT]) for q in queries])


def format_table(metrics: Metrics) -> str:
    rows = [("all", metrics.overall)]
    if len(metrics.by_corpus) > 1:
        rows += [(f"corpus {k}", s) for k, s in metrics.by_corpus.items()]
    rows += [(f"type {k}", s) for k, s in metrics.by_type.items()]
    lines = [f"{'':22} {'n':>4} {'MRR@10':>7} {'top-1':>6} {'top-3':>6} {'top-5':>6} {'top-10':>6}"]
    lines += [
        f"{name:22} {s.count:4d} {s.mrr:7.3f} {s.top1:6.3f} {s.top3:6.3f} {s.top5:6.3f} {s.top10:6.3f}"
        for name, s in rows
    ]
    return "\n".join(lines)


def format_comparison(ours: Metrics, baseline: Metrics, baseline_name: str = "FTS5") -> str:
    """MRR@10 and top-1/top-5 of the catalog's search and a baseline, side by side, by row."""
    rows = [("all", ours.overall, baseline.overall)]
    rows += [(f"corpus {k}", s, baseline.by_corpus[k]) for k, s in ours.by_corpus.items()]
    rows += [(f"type {k}", s, baseline.by_type[k]) for k, s in ours.by_type.items()]
    head = f"{'':22} {'n':>4} {'MRR@10':>7} {baseline_name:>7} {'top-1':>6} {baseline_name:>6}"
    head += f" {'top-5':>6} {baseline_name:>6} {'top-10':>6} {baseline_name:>6}"
    lines = [head]
    for name, s, b in rows:
        lines.append(
            f"{name:22} {s.count:4d} {s.mrr:7.3f} {b.mrr:7.3f} {s.top1:6.3f} {b.top1:6.3f}"
            f" {s.top5:6.3f} {b.top5:6.3f} {s.top10:6.3f} {b.top10:6.3f}"
        )
    return "\n".join(lines)


def format_failures(outcomes: Iterable[Outcome]) -> str:
    """One line per query: where it is, what was expected, the rank reached and the top 3 got."""
    lines = []
    for o in outcomes:
        rank = f"rank {o.rank}" if o.rank else f"not in top {LIMIT}"
        lines.append(
            f"  [{o.query.corpus}/{o.query.type}] {o.query.text!r}: expected {', '.join(o.query.expected)}"
            f" ({rank}); got {', '.join(o.got[:3]) or 'nothing'}"
        )
    return "\n".join(lines)
