"""The catalog under load: a real `method-catalog serve --workers 2` driven by Locust.

    python bench/load.py                    # 60 s at 1, 8 and 64 clients, then 8 clients with a demo storm
    python bench/load.py --data var         # reuse a catalog folder instead of building seed + export
    python bench/load.py --seconds 10 --levels 1,8,32

Builds the seed plus the Papers with Code export (when present) in a temporary
folder, starts the server on it, warms it up at the highest level with demos
stormed, then runs each level reads-only: search, completion, method pages
and JSON in a browsing mix, every client sending its next request as soon as
the last one answered. A last run repeats `--storm-level` readers while
`--storm-clients` clients post shape demos of small implementations back to
back. Prints one row per run (p50/p99 and throughput from Locust, RSS of the
server's processes from /proc), the memory growth across the levels, and
search latency under the storm as a ratio of the same readers' idle value.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.settings import SEED_DOCUMENT  # noqa: E402
from tests.conftest import EXPORT, make_catalog  # noqa: E402
from tests.load.harness import MIB, measure, table  # noqa: E402
from tests.load.server import serve  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each level")
    parser.add_argument("--levels", default="1,8,64", help="concurrent readers, comma-separated")
    parser.add_argument("--storm-clients", type=int, default=8, help="clients posting demos during the storm")
    parser.add_argument("--storm-level", type=int, default=8, help="readers during the storm")
    parser.add_argument("--warmup", type=float, default=15.0, help="seconds of warm-up before measuring")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, help="an ingested catalog folder (CATALOG_DATA_DIR) to serve")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    if args.storm_level not in levels:
        parser.error("--storm-level must be one of --levels: the storm is compared with its idle run")

    if args.data:
        data = args.data.resolve()
    else:
        documents = [SEED_DOCUMENT, *([EXPORT] if EXPORT.exists() else [])]
        data = make_catalog(Path(tempfile.mkdtemp()) / "data", *documents).settings.data_dir
    with serve(data, workers=args.workers) as server:
        methods = server.get_json("/healthz")["methods"]
        print(
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; load average "
            f"{os.getloadavg()[0]:.1f} at start; {methods} methods; serve --workers {args.workers}; "
            f"{args.seconds:g} s per run"
        )
        report = measure(server, levels, args.seconds, args.storm_clients, args.storm_level, args.warmup)
        print(table(report))
        print(
            f"server RSS (supervisor + {report.before.server_processes - 1} workers): "
            f"{report.before.server / MIB:.0f} MiB after warm-up, {report.after.server / MIB:.0f} MiB after "
            f"every level ({report.growth() / MIB:+.1f} MiB); demo workers: {report.after.demo_processes} "
            f"processes, {report.after.demos / MIB:.0f} MiB; same worker processes throughout: "
            f"{report.before.server_pids == report.after.server_pids}"
        )
        ratio = report.storm_search_ratio()
        ratio99 = report.storm_search_ratio("p99_ms")
        if ratio is not None and ratio99 is not None:
            print(
                f"search under the demo storm / idle, {args.storm_level} readers: p50 {ratio:.2f}x, "
                f"p99 {ratio99:.2f}x (bound: 2x)"
            )
        print(
            f"errors: {sum(run['failures'] for run in report.runs)}; load average at the end "
            f"{os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
