"""Search latency and throughput over HTTP, against an in-process FTS5 floor measured in the same run.

    python bench/search_latency.py [--corpus seed|export|all] [--queries 400] [--json]

For each corpus (the seed alone; the seed plus the Papers with Code export when
it is present) it builds a catalog in a temporary folder, starts a real uvicorn
server (`method-catalog serve`, one process) on a free port and sends
`/api/v1/search` the same set of distinct queries, generated from the catalog
at run time in five kinds: names, lower-cased full names, 2-4-word phrases
from descriptions, misspelled names and single words. It prints p50/p90/p99
for one client, throughput at 1, 8 and 32 concurrent clients, `/api/v1/suggest`
for names typed one character at a time, and the same queries through a plain
SQLite FTS5 table in process (`tests/relevance/fts5_baseline.py`): the floor a
search can hardly beat, given as a ratio so runs on different machines compare.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from catalog.models import Method  # noqa: E402
from catalog.settings import SEED_DOCUMENT, Settings  # noqa: E402
from catalog.store import Catalog  # noqa: E402
from tests.conftest import EXPORT, make_catalog  # noqa: E402
from tests.relevance.fts5_baseline import Fts5Baseline  # noqa: E402

KINDS = ("name", "full-name", "phrase", "misspelled", "word")
CLIENTS = (1, 8, 32)
SEED = 20260301
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
_PLAIN_WORD_RE = re.compile(r"^[a-z][a-z-]*$")


def _misspell(word: str, rng: random.Random) -> str:
    """One edit a typist makes: a dropped, doubled or swapped letter."""
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        return word[:i] + word[i + 1 :]
    if edit == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def generate_queries(catalog: Catalog, count: int) -> list[tuple[str, str]]:
    """`count` distinct (kind, query) pairs, as even across the five kinds as the catalog allows."""
    with catalog.session() as session:
        rows = session.exec(select(Method.name, Method.full_name, Method.description)).all()
    rng = random.Random(SEED)
    pools: dict[str, list[str]] = {kind: [] for kind in KINDS}
    vocabulary: set[str] = set()
    for name, full_name, description in rows:
        pools["name"].append(name)
        if full_name and full_name != name:
            pools["full-name"].append(full_name.lower())
        pools["misspelled"].append(" ".join(_misspell(w, rng) if len(w) > 3 else w for w in name.split()))
        words = [w for w in _WORD_RE.findall(re.sub(r"\$[^$]*\$|\([^)]*\)|\[|\]", " ", description))]
        vocabulary.update(w.lower() for w in words if _PLAIN_WORD_RE.match(w.lower()))
        if len(words) >= 5:
            size = rng.randint(2, 4)
            start = rng.randrange(0, len(words) - size)
            pools["phrase"].append(" ".join(words[start : start + size]).lower())
    pools["word"] = sorted(vocabulary)
    for pool in pools.values():
        rng.shuffle(pool)
    chosen: list[tuple[str, str]] = []
    seen: set[str] = set()
    share = -(-count // len(KINDS))
    for kind in KINDS:
        taken = 0
        for text in pools[kind]:
            if taken == share:
                break
            if text.strip() and text.lower() not in seen:
                seen.add(text.lower())
                chosen.append((kind, text))
                taken += 1
    # a small catalog lacks names for its share: phrases and words fill the rest
    spare = [("phrase", t) for t in pools["phrase"]] + [("word", t) for t in pools["word"]]
    for kind, text in spare:
        if len(chosen) >= count:
            break
        if text.lower() not in seen:
            seen.add(text.lower())
            chosen.append((kind, text))
    rng.shuffle(chosen)
    return chosen[:count]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`method-catalog serve` in a subprocess, one uvicorn process, until `stop`."""

    def __init__(self, data_dir: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "CATALOG_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "catalog.cli", "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                self.get("/healthz")
                return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("the server exited before answering /healthz") from None
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the server did not answer /healthz within 120 s")

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def get(self, path: str, connection: http.client.HTTPConnection | None = None) -> bytes:
        own = connection is None
        connection = connection or self.connection()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path} answered {response.status}: {body[:200]!r}")
            return body
        finally:
            if own:
                connection.close()

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (Linux), load-independent unlike wall time."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _search_path(text: str) -> str:
    return "/api/v1/search?" + urllib.parse.urlencode({"q": text, "limit": 20})


def _percentiles(seconds: Sequence[float]) -> dict[str, float]:
    ordered = sorted(seconds)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] * 1000

    return {"p50": round(at(0.5), 3), "p90": round(at(0.9), 3), "p99": round(at(0.99), 3)}


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def sequential(server: Server, paths: Sequence[str]) -> list[float]:
    connection = server.connection()
    try:
        return [_timed(lambda p=p: server.get(p, connection)) for p in paths]
    finally:
        connection.close()


def throughput(server: Server, paths: Sequence[str], clients: int) -> float:
    """Requests per second with `clients` connections each sending its next query as soon as one returns."""
    pending = list(reversed(paths))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def client() -> None:
        connection = server.connection()
        try:
            while True:
                with lock:
                    if not pending:
                        return
                    path = pending.pop()
                server.get(path, connection)
        except BaseException as error:  # reported after the run, not lost in a thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} clients failed; first: {errors[0]!r}")
    return len(paths) / elapsed


def suggest_paths(catalog: Catalog, words: int = 40) -> list[str]:
    with catalog.session() as session:
        names = sorted(session.exec(select(Method.name)).all())
    rng = random.Random(SEED)
    picked = rng.sample(names, min(words, len(names)))
    prefixes = [name[:end] for name in picked for end in range(1, min(len(name), 12) + 1)]
    return ["/api/v1/suggest?" + urllib.parse.urlencode({"q": p, "limit": 8}) for p in prefixes]


def measure(catalog: Catalog, count: int) -> dict[str, object]:
    queries = generate_queries(catalog, count)
    texts = [text for _, text in queries]
    fts5 = Fts5Baseline(catalog)
    fts5.search("network")
    floor = [_timed(lambda t=t: fts5.search(t, 20)) for t in texts]
    fts5.close()
    server = Server(catalog.settings.data_dir)
    try:
        # open the searcher and build what it keeps per index generation (spelling included) untimed
        server.get(_search_path("network"))
        server.get(_search_path("retrase"))
        paths = [_search_path(t) for t in texts]
        cpu_before = server.cpu_seconds()
        single = sequential(server, paths)
        cpu_per_query = (server.cpu_seconds() - cpu_before) / len(paths)
        by_kind = {
            kind: _percentiles([s for (k, _), s in zip(queries, single, strict=True) if k == kind])
            for kind in KINDS
            if any(k == kind for k, _ in queries)
        }
        rates = {clients: round(throughput(server, paths, clients), 1) for clients in CLIENTS}
        suggest = sequential(server, suggest_paths(catalog))
    finally:
        server.stop()
    http_p = _percentiles(single)
    floor_p = _percentiles(floor)
    return {
        "methods": catalog.count(),
        "queries": len(texts),
        "kinds": {kind: sum(k == kind for k, _ in queries) for kind in KINDS},
        "search_ms": http_p,
        "search_ms_by_kind": by_kind,
        "server_cpu_ms_per_search": round(cpu_per_query * 1000, 2),
        "throughput_qps": rates,
        "suggest_ms": _percentiles(suggest),
        "fts5_ms": floor_p,
        "ratio_to_fts5": {p: round(http_p[p] / max(floor_p[p], 1e-6), 1) for p in http_p},
        "slowest": [
            {"query": texts[i][:80], "ms": round(single[i] * 1000, 1)}
            for i in sorted(range(len(single)), key=lambda i: -single[i])[:5]
        ],
    }


def _print(corpus: str, report: dict[str, object]) -> None:
    s, f, r = report["search_ms"], report["fts5_ms"], report["ratio_to_fts5"]
    print(f"\n{corpus}: {report['methods']} methods, {report['queries']} distinct queries {report['kinds']}")
    print(
        f"  /api/v1/search, 1 client   p50 {s['p50']:8.2f} ms  p90 {s['p90']:8.2f} ms  p99 {s['p99']:8.2f} ms"
    )
    for kind, p in report["search_ms_by_kind"].items():
        print(
            f"    {kind:11}              p50 {p['p50']:8.2f} ms  p90 {p['p90']:8.2f} ms  p99 {p['p99']:8.2f} ms"
        )
    print(
        f"  server CPU per search      {report['server_cpu_ms_per_search']:8.2f} ms (mean; wall time aside)"
    )
    print(
        f"  FTS5 in process (floor)    p50 {f['p50']:8.3f} ms  p90 {f['p90']:8.3f} ms  p99 {f['p99']:8.3f} ms"
    )
    print(f"  ratio to the floor         p50 {r['p50']:7.1f}x   p90 {r['p90']:7.1f}x   p99 {r['p99']:7.1f}x")
    rates = report["throughput_qps"]
    print("  throughput  " + "  ".join(f"{c} clients {q:7.1f} q/s" for c, q in rates.items()))
    g = report["suggest_ms"]
    print(
        f"  /api/v1/suggest            p50 {g['p50']:8.2f} ms  p90 {g['p90']:8.2f} ms  p99 {g['p99']:8.2f} ms"
    )
    print("  slowest: " + "; ".join(f"{q['query']!r} {q['ms']} ms" for q in report["slowest"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("seed", "export", "all"), default="all")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--data-dir", type=Path, help="measure this already ingested catalog instead")
    args = parser.parse_args(argv)
    if args.data_dir:
        catalog = Catalog(Settings(CATALOG_DATA_DIR=args.data_dir))
        report = measure(catalog, args.queries)
        if args.json:
            print(json.dumps(report, indent=2))
        else:
            _print(str(args.data_dir), report)
        return 0
    wanted = ("seed", "export") if args.corpus == "all" else (args.corpus,)
    if "export" in wanted and not EXPORT.exists():
        print(f"note: the export is not at {EXPORT}: measuring the seed alone", file=sys.stderr)
        wanted = tuple(c for c in wanted if c != "export")
    if not wanted:
        return 1
    reports = {}
    with tempfile.TemporaryDirectory(prefix="search-latency-") as folder:
        for corpus in wanted:
            documents = (SEED_DOCUMENT,) if corpus == "seed" else (SEED_DOCUMENT, EXPORT)
            catalog = make_catalog(Path(folder) / corpus, *documents)
            reports[corpus] = measure(catalog, args.queries)
            catalog.engine.dispose()
            if not args.json:
                _print(corpus, reports[corpus])
    if args.json:
        print(json.dumps(reports, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
