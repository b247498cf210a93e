"""The PostgreSQL search backend at scale: ingest, search latency and memory for 10k, 50k and 100k methods.

    python bench/postgres_scale.py [--sizes 10000,50000,100000] [--queries 300] [--server URL]

Each size is a synthetic Papers with Code export (`bench/synthetic.py`, seed 0)
ingested into a fresh PostgreSQL database of its own (dropped afterwards)
with `CATALOG_SEARCH_BACKEND=postgres`. It prints the whole ingest (parse,
store, and the search tables written after the commit) in seconds and
methods per second, a rebuild of the search tables alone, search p50/p99 over
distinct queries of five kinds (names, full names, description phrases,
misspelled names, single words; `bench/search_latency.py`'s generator) with
p50 per kind, completion p50, the resident memory of the searching process
(a process of its own that only searches, as a server replica does; it holds
no index, which lives in the database) and the size of the search tables.
Latency is also given as a ratio to a primary-key lookup on the same
database in the same run, so machines compare. `--database URL` measures
search alone on a catalog database ingested before (by an earlier run with
another tool, say), leaving it as it is.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from bench.search_latency import generate_queries
from bench.synthetic import SyntheticCatalog
from catalog.settings import Settings
from catalog.store import Catalog

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _timed(call, *args) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call(*args)
    return time.perf_counter() - started


def ingest(size: int, folder: Path, url: str) -> tuple[Catalog, dict[str, float]]:
    """A fresh catalog of `size` synthetic methods on `url`: (catalog, ingest and rebuild seconds)."""
    path = SyntheticCatalog(size, 0).write_export(folder / f"synthetic-{size}.json")
    catalog = Catalog(_settings(folder / f"data-{size}", url))
    catalog.migrate()
    seconds = _timed(catalog.ingest, [path])
    assert catalog.index.count() == catalog.count() == size, f"{catalog.index.count()} indexed of {size}"
    return catalog, {"ingest": seconds, "rate": size / seconds, "rebuild": _timed(catalog.rebuild_index)}


def _settings(folder: Path, url: str) -> Settings:
    return Settings(
        CATALOG_DATA_DIR=folder,
        DATABASE_URL=url,
        CATALOG_SEARCH_BACKEND="postgres",
        CATALOG_MAX_DOCUMENT_MB=1024,
        CATALOG_MAX_DOCUMENT_ENTRIES=10**6,
    )


def search_figures(catalog: Catalog, queries: int) -> dict[str, float]:
    """Search and completion latency over distinct queries, memory, and the size of the search tables."""
    index = catalog.index
    index.search("network model", limit=20)
    # measured before the queries are generated: that reads every description into this process
    rss = _rss_mib()
    chosen = generate_queries(catalog, queries)
    for _, query in chosen[:20]:
        index.search(query, limit=20)
    by_kind: dict[str, list[float]] = defaultdict(list)
    floor: list[float] = []
    with catalog.session() as session:
        slugs = [row[0] for row in session.execute(text("select slug from search_document limit 200"))]
    lookup = text("select name from search_document where slug = :slug")
    for i, (kind, query) in enumerate(chosen):
        by_kind[kind].append(_timed(index.search, query, 20))
        with catalog.engine.connect() as connection:
            started = time.perf_counter()
            connection.execute(lookup, {"slug": slugs[i % len(slugs)]}).all()
            floor.append(time.perf_counter() - started)
    completions = [
        _timed(index.suggest, query[:length], 8)
        for _, query in chosen[:100]
        for length in (2, 4, 6)
        if len(query) >= length
    ]
    with catalog.engine.connect() as connection:
        megabytes = connection.execute(
            text(
                "select sum(pg_total_relation_size(c.oid)) / 1048576.0 from pg_class c "
                "where c.relkind = 'r' and c.relname like 'search%'"
            )
        ).scalar_one()
    everything = [t for times in by_kind.values() for t in times]
    return {
        "count": float(index.count()),
        "p50": _percentile(everything, 0.5) * 1000,
        "p99": _percentile(everything, 0.99) * 1000,
        "floor": statistics.median(floor) * 1000,
        **{f"p50 {kind}": statistics.median(times) * 1000 for kind, times in by_kind.items()},
        "suggest": statistics.median(completions) * 1000,
        "rss": rss,
        "tables": float(megabytes),
    }


def measure(size: int, queries: int, folder: Path, server: str) -> dict[str, float]:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"catalog_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    try:
        url = server.rsplit("/", 1)[0] + "/" + name
        catalog, ingested = ingest(size, folder, url)
        catalog.close()
        # searched from a process of its own, so that its memory is a server's, not the ingest's
        searched = subprocess.run(
            [sys.executable, __file__, "--database", url, "--queries", str(queries), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = {**ingested, **json.loads(searched.stdout)}
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()
    return figures


def _report(figures: dict[str, float]) -> str:
    kinds = ", ".join(f"{k[4:]} {v:.1f}" for k, v in figures.items() if k.startswith("p50 "))
    ingested = (
        f"ingest {figures['ingest']:.1f} s ({figures['rate']:.0f} methods/s), "
        f"search tables rebuilt in {figures['rebuild']:.1f} s; "
        if "ingest" in figures
        else ""
    )
    return (
        f"{figures['count']:>7.0f} methods: {ingested}search p50 {figures['p50']:.1f} ms "
        f"({figures['p50'] / figures['floor']:.0f}x a key lookup of {figures['floor']:.2f} ms), "
        f"p99 {figures['p99']:.1f} ms; p50 by kind: {kinds} ms; suggest p50 {figures['suggest']:.1f} ms; "
        f"RSS {figures['rss']:.0f} MiB; search tables {figures['tables']:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--server", default=SERVER, help="an existing database on the server to connect through"
    )
    parser.add_argument(
        "--database", help="measure search only, on this catalog database (already ingested, left as it is)"
    )
    parser.add_argument("--json", action="store_true", help="with --database: print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.database:
            catalog = Catalog(_settings(Path(folder), args.database))
            figures = search_figures(catalog, args.queries)
            catalog.close()
            print(json.dumps(figures) if args.json else _report(figures), flush=True)
            return
        for size in (int(s) for s in args.sizes.split(",")):
            print(_report(measure(size, args.queries, Path(folder), args.server)), flush=True)


if __name__ == "__main__":
    main()
