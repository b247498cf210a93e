"""`method-catalog`: ingest, parse, search, serve, migrate, demo."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from catalog.entry import DocumentError
from catalog.ingest_phases import announced
from catalog.settings import SEED_DOCUMENT, SettingsError, get_settings


class CommandError(Exception):
    """A failure reported as one line, without a traceback."""


PROGRESS_STEP = 5
"""Percent between progress lines when stderr is not a terminal (a log, a pipe, CI)."""


class _Progress:
    """A bar redrawn in place on a terminal; elsewhere a line every `PROGRESS_STEP` percent. Each phase
    after the entries are stored (resolving, linking, building the index, ...) gets a line as it starts,
    with the seconds since the ingest started."""

    def __init__(self) -> None:
        self._printed: dict[str, int] = {}
        self._started = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self._started

    def phase(self, name: str) -> None:
        if name == "parsing":
            return  # nothing is printed before the documents parsed: a bad document is one error line
        sys.stderr.write(f"{name} ({self.elapsed:.1f} s)\n")
        sys.stderr.flush()

    def __call__(self, name: str, done: int, total: int) -> None:
        if total < 200:
            return
        if sys.stderr.isatty():
            width = 30
            filled = width * done // total
            sys.stderr.write(f"\r{name}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")
        else:
            percent = 100 * done // total
            if percent - self._printed.get(name, -PROGRESS_STEP) < PROGRESS_STEP and done != total:
                return
            self._printed[name] = percent
            sys.stderr.write(f"{name}: {percent}% ({done:,}/{total:,} entries stored)\n")
        sys.stderr.flush()


def cmd_migrate(args: argparse.Namespace) -> None:
    from catalog.db import migrate

    migrate(get_settings())
    print("database is at the newest schema")


def cmd_ingest(args: argparse.Namespace) -> None:
    from catalog.store import Catalog

    catalog = Catalog(get_settings())
    catalog.migrate()
    progress = _Progress()
    with announced(progress.phase):
        reports = catalog.ingest(args.paths or [SEED_DOCUMENT], progress=progress, replace=args.replace)
    for report in reports:
        print(report.summary())
    print(f"catalog holds {catalog.count()} methods; {catalog.last_index_sync}; {progress.elapsed:.1f} s")


def cmd_parse(args: argparse.Namespace) -> None:
    from catalog.documents import parse_document

    document = parse_document(args.path)
    if args.format == "json":
        json.dump([e.public() for e in document.entries], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for entry in document.entries:
            flags = f"  [{', '.join(entry.flags)}]" if entry.flags else ""
            aliases = f" ({', '.join(entry.aliases)})" if entry.aliases else ""
            print(f"{entry.file}:{entry.line}  {entry.name}{aliases}{flags}")
    for warning in document.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def cmd_search(args: argparse.Namespace) -> None:
    from catalog.store import Catalog

    catalog = Catalog(get_settings())
    catalog.ensure_index()
    result = catalog.index.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps({"query": result.query, "count": result.count, "data": result.hits}, indent=2))
        return
    print(f"{result.count} methods match {args.query!r}")
    for hit in result.hits:
        print(f"{hit['score']:>9.2f}  {hit['slug']:<45} {hit['name']}")


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name:
            raise CommandError(f"{option} {value!r}: expected NAME=VALUE")
        pairs[name] = rest
    return pairs


def _scalar(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def cmd_demo(args: argparse.Namespace) -> None:
    from methods import registry
    from methods.demo import InputError, format_report, run_demo

    try:
        entry = registry.get(args.slug)
    except ValueError as error:
        raise CommandError(str(error)) from None
    inputs = {}
    for name, shape in _pairs(args.input, "--input").items():
        try:
            inputs[name] = [int(d) for d in shape.replace("x", ",").split(",") if d.strip()]
        except ValueError:
            raise CommandError(f"--input {name}={shape!r}: a shape is integers separated by commas") from None
    params = {name: _scalar(value) for name, value in _pairs(args.param, "--param").items()}
    request = {"inputs": inputs or None, "params": params or None, "device": args.device}
    try:
        result = run_demo(entry, request)
    except InputError as error:
        raise CommandError(f"{error.field}: {error.message}") from None
    print(json.dumps(result, indent=2) if args.json else format_report(result))


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from app.logging_setup import log_config
    from catalog.db import migrate

    settings = get_settings()
    migrate(settings)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        http="app.http_protocol:ErrorShapeProtocol",
        # on SIGTERM: stop accepting, let requests in flight finish, then the lifespan stops the demo workers
        timeout_graceful_shutdown=settings.shutdown_timeout_s,
        # a worker importing the app on a busy 2-core host can take longer than uvicorn's 5 s default
        timeout_worker_healthcheck=60,
        log_config=log_config(settings.log_format),
        access_log=False,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="method-catalog", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("migrate", help="create or upgrade the database schema")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("ingest", help="store documents (text or Papers with Code JSON) in the catalog")
    p.add_argument("paths", nargs="*", help="documents to ingest; default: the bundled seed document")
    p.add_argument(
        "--replace",
        action="store_true",
        help="allow a document to remove most of the methods it stored before (it was truly cut down)",
    )
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("parse", help="print a document's parsed entries without touching the database")
    p.add_argument("path")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_parse)
    p = sub.add_parser("search", help="search the catalog")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("demo", help="run a method's implementation and print its shape trace")
    p.add_argument("slug", help="a registry id, catalog slug or alias")
    p.add_argument("--input", action="append", default=[], metavar="NAME=SHAPE", help="e.g. x=2,64,32,32")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="e.g. reduction=8")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--json", action="store_true", help="print the JSON report")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("serve", help="serve the web catalog and API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except DocumentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (CommandError, SettingsError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"error: database: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
