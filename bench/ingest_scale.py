"""Ingest at scale: seconds, methods per second and peak memory for synthetic catalogs of 10k, 50k and 100k methods.

    python bench/ingest_scale.py [--sizes 10000,50000,100000] [--seed 0]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--profile]

Each size is written as a Papers with Code export (`bench/synthetic.py`) and
ingested with `Catalog.ingest`, the path of `method-catalog ingest`, into an
empty catalog, in a process of its own, so that its peak resident memory is
that ingest's alone. The catalog is SQLite in a temporary folder, or a fresh
database on the PostgreSQL server of `--database-url` (dropped afterwards),
with the search backend `CATALOG_SEARCH_BACKEND` names (Whoosh by default).
A second ingest of the same document (nothing changes) is timed too, then
300 distinct queries (`bench/search_latency.py`'s generator) search the new
index in the same process: p50/p99 in milliseconds, the first search, which
opens the index's per-generation tables, timed apart.

Printed per size: seconds to parse, store (resolve, link, match
implementations), build the index and commit; methods per second over the
whole ingest; CPU seconds (this process and the processes that write index
segments beside it, `CATALOG_INDEX_PROCESSES`); peak RSS of this process
after the ingest, and after the searches that follow (which read the whole
index into memory: stored fields, common postings, spelling); and
two ratios measured in the same run, so that they
compare across machines and loads: `vs first`, methods/s at this size over
methods/s at the first size (1.0 is linear growth), and `store/parse`, the
store's seconds per method over the parser's (the parser is pure CPU and grows
linearly, a baseline for this run's machine).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import SyntheticCatalog
from catalog.settings import Settings
from catalog.store import Catalog


def _database(url: str) -> tuple[str, str | None]:
    """A fresh database on the server of `url` (its URL, its name), or the SQLite default when `url` is empty."""
    if not url:
        return "", None
    from sqlalchemy import create_engine, text

    name = f"ingest_scale_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    admin.dispose()
    return url.rsplit("/", 1)[0] + "/" + name, name


def _drop(url: str, name: str | None) -> None:
    if name is None:
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


def _cpu() -> float:
    """CPU seconds of this process and of the index worker processes it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(size: int, path: Path, folder: Path, database_url: str, profile: bool) -> dict:
    """Ingest `path` twice into an empty catalog, in this process; the figures as a dict."""
    url, name = _database(database_url)
    try:
        settings = Settings(
            CATALOG_DATA_DIR=folder,
            DATABASE_URL=url,
            CATALOG_MAX_DOCUMENT_MB=1024,
            CATALOG_MAX_DOCUMENT_ENTRIES=max(size, 1),
        )
        catalog = Catalog(settings)
        catalog.migrate()
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        started, cpu = time.perf_counter(), _cpu()
        report = catalog.ingest([path])[0]
        total, cpu = time.perf_counter() - started, _cpu() - cpu
        if profiler:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
        first = dict(catalog.last_ingest_seconds)
        ingested_rss = _peak_mb()
        assert report.created == size, report.summary()
        started = time.perf_counter()
        again = catalog.ingest([path])[0]
        repeated = time.perf_counter() - started
        assert again.unchanged == size, again.summary()
        assert catalog.count() == size == catalog.index_count(), f"{catalog.count()} stored of {size}"
        searched = _search_latency(catalog)
        catalog.close()
    finally:
        _drop(database_url, name)
    return {
        **first,
        "total": total,
        "cpu": cpu,
        "again": repeated,
        "rss_mb": ingested_rss,
        "search_rss_mb": _peak_mb(),
        **searched,
    }


def _search_latency(catalog: Catalog, count: int = 300) -> dict[str, float]:
    """p50/p99 ms of `count` distinct queries through the catalog's search backend, in this process.

    The first search opens the index (its per-generation tables); it is timed
    apart ("open"), as a server pays it once per index generation. The queries
    then run twice: right after the opening ("cold": each word's postings read
    on its first use, the spelling dictionary still being built aside, as a
    server's first searches after an ingest), then again ("warm": as it serves
    from then on).
    """
    from bench.search_latency import generate_queries

    queries = [query for _, query in generate_queries(catalog, count + 1)]
    started = time.perf_counter()
    catalog.index.search(queries[0])
    opened = time.perf_counter() - started
    figures: dict[str, float] = {"open_s": opened}
    for run in ("search", "warm"):
        took = []
        for query in queries[1:]:
            started = time.perf_counter()
            catalog.index.search(query)
            took.append((time.perf_counter() - started) * 1000)
        took.sort()
        figures[f"{run}_p50"] = took[len(took) // 2]
        figures[f"{run}_p99"] = took[min(len(took) - 1, int(0.99 * len(took)))]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server; empty: SQLite")
    parser.add_argument("--profile", action="store_true", help="print the 30 costliest functions per size")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # size,export,folder: measure in this process
    args = parser.parse_args()
    if args.one:
        size, path, folder = args.one.split(",", 2)
        figures = measure_one(int(size), Path(path), Path(folder), args.database_url, args.profile)
        print(json.dumps(figures))
        return
    store = "PostgreSQL" if args.database_url else "SQLite"
    backend = os.environ.get("CATALOG_SEARCH_BACKEND", "whoosh")
    print(f"store {store}, search backend {backend}, load average {os.getloadavg()[0]:.1f}")
    print(
        f"{'methods':>8} {'MB':>5} {'parse s':>8} {'store s':>8} {'index s':>8} {'commit s':>8} "
        f"{'total s':>8} {'cpu s':>7} {'methods/s':>9} {'vs first':>8} {'store/parse':>11} "
        f"{'RSS MB':>7} {'again s':>7} {'open s':>6} {'search p50/p99 ms':>17} {'warm p50/p99 ms':>15} "
        f"{'RSS after search':>16}"
    )
    baseline = None
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = SyntheticCatalog(size, args.seed).write_export(Path(folder) / f"synthetic-{size}.json")
            command = [sys.executable, __file__, "--one", f"{size},{path},{folder}/data-{size}"]
            command += ["--database-url", args.database_url] + (["--profile"] if args.profile else [])
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"{size}: the ingest failed:\n{done.stderr[-2000:]}")
            if args.profile:
                print(done.stderr)
            t = json.loads(done.stdout.strip().splitlines()[-1])
            rate = size / t["total"]
            baseline = baseline or rate
            print(
                f"{size:>8} {path.stat().st_size / 2**20:>5.0f} {t['parse']:>8.1f} {t['store']:>8.1f} "
                f"{t['index']:>8.1f} {t['commit']:>8.1f} {t['total']:>8.1f} {t['cpu']:>7.1f} {rate:>9.0f} "
                f"{rate / baseline:>8.2f} {t['store'] / t['parse']:>11.1f} {t['rss_mb']:>7.0f} {t['again']:>7.1f} {t['open_s']:>6.1f} "
                f"{t['search_p50']:>8.1f} / {t['search_p99']:<6.1f} {t['warm_p50']:>6.1f} / {t['warm_p99']:<6.1f} "
                f"{t['search_rss_mb']:>16.0f}",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()
