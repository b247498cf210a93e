"""How a replica follows an ingest: its update in place against a rebuild, and how soon an ingest shows.

    python bench/follow_latency.py [--size 20000] [--interval 1.0] [--rounds 5]

A writer ingests a synthetic catalog (`bench/synthetic.py`) into a SQLite
file; a replica with its own data folder builds its index from it (the
baseline). The writer then ingests a few methods (the replica updates in
place) and more than `SMALL_UPDATE` (the replica rebuilds aside), and finally,
with the replica's follower polling every `--interval` seconds, single
methods, timing each from the end of the ingest until the replica's searches
read the new version (warmed aside), and the first search a request makes `--settle` seconds
later, against the same search when the index was caught up without the
follower (which then warms nothing). Last, a client searches every 10 ms
(distinct queries, some misspelled) while the replica catches up with single
ingests: once with the index swapped in as it was written and opened by the
first search that needs it (the baseline), once with the follower's index
warmed aside before it serves (`SearchBackend.follow`).
Figures are ratios of this machine's own run, not targets.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import SyntheticCatalog
from catalog.follow import CatalogFollower
from catalog.settings import Settings
from catalog.store import SMALL_UPDATE, Catalog


def widgets(folder: Path, name: str, start: int, count: int) -> Path:
    path = folder / f"{name}-{start}.txt"
    lines = [f"Bench Widget {i} is a layer that folds feature maps number {i}." for i in range(start, count)]
    path.write_text(f"{name}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


QUERIES = ("convolutonal network", "attention", "residual blok", "transformr", "graph node", "embeding")
"""What the client searches (with a number each time, so that no two searches are the same)."""


def timed(action) -> float:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def searched_meanwhile(
    replica: Catalog, ingest_one: Callable[[int], str], numbers: range, settle: float
) -> tuple[list[float], list[float]]:
    """Seconds each search of a client took before the ingests, and from each ingest until `settle`
    seconds after the replica's searches read it."""
    log: list[tuple[float, float]] = []
    stop = threading.Event()

    def client() -> None:
        count = 0
        while not stop.is_set():
            query = f"{QUERIES[count % len(QUERIES)]} {count}"
            began = time.perf_counter()
            replica.index.search(query)
            log.append((began, time.perf_counter() - began))
            count += 1
            stop.wait(0.01)

    thread = threading.Thread(target=client)
    thread.start()
    time.sleep(settle)
    windows = []
    for number in numbers:
        ingest_one(number)
        began = time.perf_counter()
        while replica.index.serving_version() != replica.catalog_version():
            time.sleep(0.01)
        time.sleep(settle)
        windows.append((began, time.perf_counter()))
    stop.set()
    thread.join()
    steady = [took for began, took in log if began < windows[0][0]]
    during = [took for began, took in log if any(start <= began <= end for start, end in windows)]
    return steady, during


def poll(follower: CatalogFollower, interval: float, stop: threading.Event) -> None:
    """A follower's polls without `follower.start()`: the index it catches up is not warmed aside."""
    while not stop.wait(interval):
        follower.check()


def spread(seconds: list[float]) -> str:
    cut = statistics.quantiles(seconds, n=100)
    return f"p50 {cut[49] * 1000:.1f} / p99 {cut[98] * 1000:.1f} / max {max(seconds) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds between catching up and a search")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        database = f"sqlite:///{folder / 'catalog.db'}"
        export = SyntheticCatalog(args.size).write_export(folder / "synthetic.json")
        writer = Catalog(Settings(CATALOG_DATA_DIR=folder / "writer", DATABASE_URL=database))
        writer.migrate()
        writer.ingest([export])
        replica = Catalog(Settings(CATALOG_DATA_DIR=folder / "replica", DATABASE_URL=database))
        build = timed(replica.ensure_index)

        writer.ingest([widgets(folder, "Few", 0, 3)])
        done: list[str | None] = []
        update = timed(lambda: done.append(replica.sync_index()))
        assert done[-1] and "in place" in done[-1], done
        writer.ingest([widgets(folder, "Many", 0, SMALL_UPDATE + 50)])
        aside = timed(lambda: done.append(replica.sync_index()))
        assert done[-1] and "rebuilt" in done[-1], done

        def ingest_one(number: int) -> str:
            writer.ingest([widgets(folder, "One", number, number + 1)])
            return f"bench widget {number}"

        unwarmed = []  # the baseline: the index caught up, and the first request opens it
        for round_ in range(args.rounds):
            query = ingest_one(1000 + round_)
            replica.sync_index()
            time.sleep(args.settle)
            unwarmed.append(timed(lambda query=query: replica.index.search(query)))

        # the baseline: polls that catch the index up, and the first search that needs it opens it
        polling = CatalogFollower(replica, args.interval, max_lag_s=60)
        stop_polling = threading.Event()
        poller = threading.Thread(target=poll, args=(polling, args.interval, stop_polling))
        poller.start()
        cold_steady, cold_during = searched_meanwhile(
            replica, ingest_one, range(3000, 3000 + args.rounds), args.settle
        )
        stop_polling.set()
        poller.join()

        follower = CatalogFollower(replica, args.interval, max_lag_s=60)
        follower.start()
        lags, warmed = [], []
        for round_ in range(args.rounds):
            query = ingest_one(2000 + round_)
            began = time.perf_counter()
            while replica.index.serving_version() != replica.catalog_version():
                time.sleep(0.01)
            lags.append(time.perf_counter() - began)
            time.sleep(args.settle)
            warmed.append(timed(lambda query=query: replica.index.search(query)))
            hits = {h["slug"] for h in replica.index.search(query).hits}
            assert query.replace(" ", "-") in hits, f"{query} is not searchable on the replica"
        warm_steady, warm_during = searched_meanwhile(
            replica, ingest_one, range(4000, 4000 + args.rounds), args.settle
        )
        follower.stop()
        idle_poll = statistics.median(timed(follower.check) for _ in range(200))
        search = statistics.median(timed(lambda: replica.index.search("bench widget 3")) for _ in range(50))
        writer.close()
        replica.close()

    print(f"catalog: {args.size + 3 + SMALL_UPDATE + 50 + 2 * args.rounds:,} methods (synthetic, SQLite)")
    print(f"replica's first build (baseline):   {build:7.2f} s")
    print(f"catch up 3 methods, in place:       {update:7.2f} s  ({update / build:.3f}x the build)")
    print(
        f"catch up {SMALL_UPDATE + 50} methods, rebuilt aside: {aside:7.2f} s  ({aside / build:.3f}x the build)"
    )
    print(
        f"ingest to the replica's searches reading it (warmed): median {statistics.median(lags):.2f} s, "
        f"max {max(lags):.2f} s over {len(lags)} ingests ({args.interval} s poll interval)"
    )
    cold, warm = statistics.median(unwarmed), statistics.median(warmed)
    print(
        f"first search {args.settle} s after the index changed: {cold * 1000:.1f} ms unwarmed (baseline), "
        f"{warm * 1000:.1f} ms after the follower warmed it ({warm / cold:.2f}x)"
    )
    print(f"searches every 10 ms while the replica catches up with {args.rounds} single ingests:")
    print(
        f"  swapped in, opened by a search (baseline): {spread(cold_during)}  (before them: {spread(cold_steady)})"
    )
    print(
        f"  warmed aside, then swapped in:             {spread(warm_during)}  (before them: {spread(warm_steady)})"
    )
    print(f"  longest search: {max(warm_during) / max(cold_during):.3f}x the baseline's")
    print(f"one poll with nothing to do: {idle_poll * 1000:.2f} ms ({idle_poll / search:.2f}x one search)")


if __name__ == "__main__":
    main()
