"""Ingest at scale: seconds and methods per second for synthetic catalogs of 10k, 50k and 100k methods.

    python bench/ingest_scale.py [--sizes 10000,50000,100000] [--seed 0] [--profile]

Each size is written as a Papers with Code export (`bench/synthetic.py`) and
ingested into a fresh SQLite catalog; parse, store and the search index build
are timed apart, then a second ingest of the same document (nothing changed)
is timed too. Figures are ratios of this machine's own run, not targets.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import SyntheticCatalog
from catalog.db import session_scope
from catalog.documents import parse_document
from catalog.ingest import ingest_document
from catalog.settings import Settings
from catalog.store import Catalog


def measure(size: int, seed: int, folder: Path) -> dict[str, float]:
    path = SyntheticCatalog(size, seed).write_export(folder / f"synthetic-{size}.json")
    catalog = Catalog(Settings(CATALOG_DATA_DIR=folder / f"data-{size}", CATALOG_MAX_DOCUMENT_MB=1024))
    catalog.migrate()
    started = time.perf_counter()
    document = parse_document(path, limit_mb=1024, max_entries=10**6)
    parsed = time.perf_counter()
    with session_scope(catalog.engine) as session:
        ingest_document(session, document, document.sha256)
    stored = time.perf_counter()
    catalog.rebuild_index()
    indexed = time.perf_counter()
    again = parse_document(path, limit_mb=1024, max_entries=10**6)
    with session_scope(catalog.engine) as session:
        report = ingest_document(session, again, again.sha256)
    repeated = time.perf_counter()
    assert report.unchanged == size, report.summary()
    assert catalog.count() == size, f"{catalog.count()} methods stored of {size}"
    catalog.close()
    return {
        "parse": parsed - started,
        "store": stored - parsed,
        "index": indexed - stored,
        "again": repeated - indexed,
        "mb": path.stat().st_size / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest functions per size")
    args = parser.parse_args()
    print(
        f"{'methods':>8} {'MB':>6} {'parse s':>8} {'store s':>8} {'methods/s':>10} {'index s':>8} {'again s':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            t = measure(size, args.seed, Path(folder))
            if profiler:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
            rate = size / (t["parse"] + t["store"])
            print(
                f"{size:>8} {t['mb']:>6.1f} {t['parse']:>8.1f} {t['store']:>8.1f} {rate:>10.0f} "
                f"{t['index']:>8.1f} {t['again']:>8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
