"""A new index generation written by several processes at once, one segment each.

Whoosh writes an index in pure Python, on one core: at 100,000 methods that
is minutes. `write` splits the documents into contiguous shares, in their
order. Each share but the first goes to a process of its own
(`python -m catalog.search._parallel_build`), which writes it as a segment
with a `BulkWriter` while this process writes the first share; then one
commit lists the segments in order. Every document keeps the number it would
have in a single segment, and the index holds the same terms, counts and
stored fields, so searches rank exactly as on an index written by one
process (`tests/catalog/test_parallel_build.py` compares them).

A worker reads its share from a pickle file in the new generation's folder
and writes its segment (Whoosh's own description of the files it wrote) back
beside it. It stops by itself when the process that started it dies, so a
killed ingest leaves no writer behind.
"""

from __future__ import annotations

import importlib
import math
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from catalog.search._bulk_writer import BulkWriter

Prepare = Callable[[dict[str, Any]], dict[str, Any]]

MIN_SHARE = 5_000
"""Documents a process must have to write before one more is started (starting one costs a few tenths
of a second; a segment fewer makes every later search a little cheaper)."""
MAX_PROCESSES = 4
"""Processes used when the setting leaves it to the machine: more segments than this cost searches more
than the build saves."""


class BuildError(RuntimeError):
    """A worker process failed; the message ends with what it printed."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def processes_for(documents: int, setting: int) -> int:
    """How many processes write `documents`: `setting` (0: one per core, at most `MAX_PROCESSES`), fewer
    when some would get under `MIN_SHARE` documents."""
    wanted = setting or min(cores(), MAX_PROCESSES)
    return max(1, min(wanted, documents // MIN_SHARE))


def _name(prepare: Prepare) -> str:
    name = f"{prepare.__module__}:{prepare.__qualname__}"
    if _load(name) is not prepare:
        raise ValueError(f"a worker process cannot import {name}: pass a module-level function")
    return name


def _load(name: str) -> Prepare:
    module, _, attribute = name.partition(":")
    found: Any = importlib.import_module(module)
    for part in attribute.split("."):
        found = getattr(found, part)
    return found


def write(ix: Any, documents: Iterable[dict[str, Any]], prepare: Prepare, processes: int) -> None:
    """Write `documents`, each through `prepare`, into the new, empty index `ix`, and commit."""
    shares = list(documents)
    count = processes_for(len(shares), processes)
    writer = BulkWriter(ix, limitmb=128)
    if count == 1:
        try:
            for document in shares:
                writer.add_document(**prepare(document))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return
    folder, name = Path(ix.storage.folder), _name(prepare)
    size = math.ceil(len(shares) / count)
    workers: list[_Worker] = []
    try:
        for number in range(1, count):
            share = shares[number * size : (number + 1) * size]
            workers.append(_Worker.start(folder, ix.indexname, number, share, name))
        del shares[size:]
        for document in shares:
            writer.add_document(**prepare(document))
        segments = [writer.segment(), *(worker.segment() for worker in workers)]
    except BaseException:
        writer.cancel()
        raise
    finally:
        for worker in workers:
            worker.stop()
    writer.commit_segments(segments)


class _Worker:
    def __init__(self, process: subprocess.Popen, share: Path, result: Path, log: Path) -> None:
        self.process, self.share, self.result, self.log = process, share, result, log

    @classmethod
    def start(
        cls, folder: Path, indexname: str, number: int, documents: list[dict[str, Any]], prepare: str
    ) -> _Worker:
        """A worker writing `documents` through the function named `prepare` (`module:name`)."""
        share, result, log = (folder / f".share-{number}.{ext}" for ext in ("pickle", "segment", "log"))
        with share.open("wb") as file:
            pickle.dump(documents, file, pickle.HIGHEST_PROTOCOL)
        root = str(Path(__file__).resolve().parents[2])
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        }
        arguments = [str(folder), indexname, str(share), str(result), prepare, str(os.getpid())]
        command = [sys.executable, "-m", __name__, *arguments]
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, env=environment
            )
        return cls(process, share, result, log)

    def segment(self) -> Any:
        """Wait for the worker; the segment it wrote, or `BuildError`."""
        code = self.process.wait()
        if code != 0 or not self.result.exists():
            said = self.log.read_text(errors="replace").strip().splitlines()[-5:]
            raise BuildError(f"an index worker process exited with {code}: {' / '.join(said) or 'no output'}")
        with self.result.open("rb") as file:
            return pickle.load(file)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for path in (self.share, self.result, self.log):
            path.unlink(missing_ok=True)


def _work(folder: str, indexname: str, share: str, result: str, prepare_name: str, parent: int) -> None:
    prepare = _load(prepare_name)
    with open(share, "rb") as file:
        documents = pickle.load(file)
    writer = BulkWriter(whoosh_index.open_dir(folder, indexname=indexname), limitmb=128, _lk=False)
    for document in documents:
        if os.getppid() != parent:  # a system call, a thousandth of what indexing the document costs
            writer.cancel()
            sys.exit("the process that started this index worker is gone")
        writer.add_document(**prepare(document))
    segment = writer.segment()
    writer.close()
    written = Path(f"{result}.part")
    with written.open("wb") as file:
        pickle.dump(segment, file, pickle.HIGHEST_PROTOCOL)
    os.replace(written, result)


if __name__ == "__main__":
    _work(*sys.argv[1:6], int(sys.argv[6]))
