"""As-you-type completion against full search, timed in the same run.

    python bench/suggest_latency.py

Builds the seed catalog (plus the Papers with Code export when it is present)
in a temporary folder and prints the median time of `/api/v1/suggest`'s work
(`SearchBackend.suggest`) for prefixes typed one character at a time, as a ratio
of a full one-word search on the same catalog. Completion must stay a small
fraction of a search: it runs on every keystroke.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.settings import SEED_DOCUMENT  # noqa: E402
from tests.conftest import EXPORT, make_catalog  # noqa: E402

WORDS = ("ghost module", "attention", "r-cnn", "lion", "spatial reduction", "batch norm")
ROUNDS = 20


def median_seconds(action, rounds: int = ROUNDS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    documents = [SEED_DOCUMENT, *([EXPORT] if EXPORT.exists() else [])]
    catalog = make_catalog(Path(tempfile.mkdtemp()) / "data", *documents)
    catalog.index.suggest("n")
    catalog.index.search("network")
    baseline = median_seconds(lambda: catalog.index.search("network", limit=10))
    print(f"catalog: {catalog.count()} methods; baseline search 'network': {baseline * 1e3:.2f} ms")
    print(f"{'prefix':<20} {'suggest / search':>17}")
    ratios = []
    for word in WORDS:
        for end in range(1, len(word) + 1):
            prefix = word[:end]
            seconds = median_seconds(lambda p=prefix: catalog.index.suggest(p, 8))
            ratios.append(seconds / baseline)
            if end in (2, len(word)):
                print(f"{prefix!r:<20} {seconds / baseline:>16.4f}x")
    print(f"median over {len(ratios)} keystrokes: {statistics.median(ratios):.4f}x a full search")


if __name__ == "__main__":
    main()
