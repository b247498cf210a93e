"""Relevance and latency of the catalog's search over the judged queries of `tests/relevance/`.

    python bench/relevance.py [--corpus seed|export|all] [--json]

Builds the catalogs in a temporary folder (the seed alone; the seed plus the
Papers with Code export when the export is present, else its queries are
skipped with a note), runs every query with limit=10 and prints MRR@10 and the
top-1/3/5/10 rates (overall, by type, by corpus) side by side with a plain SQLite
FTS5 BM25 table over name, full name and description built in the same run
(`tests/relevance/fts5_baseline.py`), then the failed queries. Latency
is reported as ratios against a plain one-word search timed in the same run on
the same catalog, so numbers from different machines compare; nothing here
asserts, the floors live in `tests/relevance/test_relevance.py`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.settings import SEED_DOCUMENT  # noqa: E402
from catalog.store import Catalog  # noqa: E402
from tests.conftest import EXPORT, make_catalog  # noqa: E402
from tests.relevance.evaluate import (  # noqa: E402
    LIMIT,
    TYPES,
    Metrics,
    Outcome,
    Query,
    Score,
    evaluate,
    format_comparison,
    format_failures,
    format_table,
    load_queries,
    unknown_slugs,
)
from tests.relevance.fts5_baseline import Fts5Baseline  # noqa: E402

BASELINE_QUERY = "network"
"""A common word, one term, no typo: the cheapest realistic search."""
ROUNDS = 5
"""Each query is timed once a round; the baseline `BASELINE_PER_ROUND` times, so drift in load hits both."""
BASELINE_PER_ROUND = 5


def _seconds(catalog: Catalog, text: str) -> float:
    start = time.perf_counter()
    catalog.index.search(text, limit=LIMIT)
    return time.perf_counter() - start


def latency_ratios(catalog: Catalog, queries: list[Query]) -> tuple[float, dict[Query, float]]:
    """The baseline's median seconds, and each query's median time divided by it."""
    _seconds(catalog, BASELINE_QUERY)  # opens the searcher outside the timings
    baseline: list[float] = []
    times: dict[Query, list[float]] = {q: [] for q in queries}
    for _ in range(ROUNDS):
        baseline += [_seconds(catalog, BASELINE_QUERY) for _ in range(BASELINE_PER_ROUND)]
        for q in queries:
            times[q].append(_seconds(catalog, q.text))
    median = statistics.median(baseline)
    return median, {q: statistics.median(ts) / median for q, ts in times.items()}


def _score_json(score: Score) -> dict[str, float]:
    return {
        "n": score.count,
        "mrr": round(score.mrr, 4),
        "top1": round(score.top1, 4),
        "top3": round(score.top3, 4),
        "top5": round(score.top5, 4),
        "top10": round(score.top10, 4),
    }


def _failure_json(outcome: Outcome) -> dict[str, object]:
    q = outcome.query
    return {
        "query": q.text,
        "type": q.type,
        "corpus": q.corpus,
        "expected": list(q.expected),
        "rank": outcome.rank,
        "got": list(outcome.got[:3]),
    }


def _latency_summary(ratios: dict[Query, float], baselines: dict[str, float]) -> dict[str, object]:
    by_type = {t: [r for q, r in ratios.items() if q.type == t] for t in TYPES}
    by_corpus = {c: [r for q, r in ratios.items() if q.corpus == c] for c in baselines}
    slowest = sorted(ratios.items(), key=lambda item: -item[1])[:5]
    return {
        "baseline_query": BASELINE_QUERY,
        "baseline_ms": {corpus: round(s * 1000, 3) for corpus, s in baselines.items()},
        "median_ratio": round(statistics.median(ratios.values()), 2),
        "by_corpus": {c: round(statistics.median(rs), 2) for c, rs in by_corpus.items() if rs},
        "by_type": {t: round(statistics.median(rs), 2) for t, rs in by_type.items() if rs},
        "slowest": [{"query": q.text, "corpus": q.corpus, "ratio": round(r, 2)} for q, r in slowest],
    }


def _print_report(metrics: Metrics, baseline: Metrics, latency: dict[str, object], notes: list[str]) -> None:
    for note in notes:
        print(f"note: {note}")
    print(f"\nrelevance ({len(metrics.outcomes)} queries, limit={LIMIT})")
    print(format_table(metrics))
    print("\nagainst plain SQLite FTS5 (BM25 over name, full name, description), same queries")
    print(format_comparison(metrics, baseline))
    failures = metrics.failures
    print(f"\nfailures: {len(failures)} queries whose first result is not an expected one")
    print(format_failures(failures) or "  none")
    baselines = ", ".join(f"{c} {ms} ms" for c, ms in latency["baseline_ms"].items())
    print(f"\nlatency: median per query as a multiple of a search for {BASELINE_QUERY!r} ({baselines})")
    print(f"  all queries      {latency['median_ratio']:6.2f}x")
    for corpus, ratio in latency["by_corpus"].items():
        print(f"  corpus {corpus:9} {ratio:6.2f}x")
    for kind, ratio in latency["by_type"].items():
        print(f"  type {kind:11} {ratio:6.2f}x")
    print("  slowest: " + "; ".join(f"{s['query']!r} {s['ratio']}x" for s in latency["slowest"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("seed", "export", "all"), default="all")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    args = parser.parse_args(argv)

    queries = load_queries()
    wanted = ("seed", "export") if args.corpus == "all" else (args.corpus,)
    notes = []
    if "export" in wanted and not EXPORT.exists():
        skipped = sum(q.corpus == "export" for q in queries)
        notes.append(f"the export is not at {EXPORT}: skipped its {skipped} queries")
        wanted = tuple(c for c in wanted if c != "export")
    if not wanted:
        print("nothing to run: " + "; ".join(notes), file=sys.stderr)
        return 1

    outcomes: list[Outcome] = []
    baseline_outcomes: list[Outcome] = []
    ratios: dict[Query, float] = {}
    baselines: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="relevance-") as folder:
        for corpus in wanted:
            documents = (SEED_DOCUMENT,) if corpus == "seed" else (SEED_DOCUMENT, EXPORT)
            start = time.perf_counter()
            catalog = make_catalog(Path(folder) / corpus, *documents)
            print(f"built the {corpus} catalog in {time.perf_counter() - start:.1f} s", file=sys.stderr)
            subset = [q for q in queries if q.corpus == corpus]
            unknown = unknown_slugs(catalog, subset)
            if unknown:
                notes.append(f"expected slugs missing from the {corpus} catalog: {'; '.join(unknown)}")
            outcomes += evaluate(catalog, subset).outcomes
            fts5 = Fts5Baseline(catalog)
            baseline_outcomes += evaluate(catalog, subset, engine=fts5.search).outcomes
            fts5.close()
            baselines[corpus], corpus_ratios = latency_ratios(catalog, subset)
            ratios.update(corpus_ratios)
            catalog.index.close()
            catalog.engine.dispose()

    metrics = Metrics(outcomes)
    baseline = Metrics(baseline_outcomes)
    latency = _latency_summary(ratios, baselines)
    if args.json:
        report = {
            "corpora": list(wanted),
            "notes": notes,
            "overall": _score_json(metrics.overall),
            "by_corpus": {k: _score_json(s) for k, s in metrics.by_corpus.items()},
            "by_type": {k: _score_json(s) for k, s in metrics.by_type.items()},
            "fts5": {
                "overall": _score_json(baseline.overall),
                "by_corpus": {k: _score_json(s) for k, s in baseline.by_corpus.items()},
                "by_type": {k: _score_json(s) for k, s in baseline.by_type.items()},
            },
            "failures": [_failure_json(o) for o in metrics.failures],
            "latency": latency,
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print_report(metrics, baseline, latency, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
