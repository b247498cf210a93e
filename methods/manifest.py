"""Writes `methods/manifest.json`: every registry entry's plain metadata, so start-up imports no entry module.

The file records a fingerprint of the files that declare entries (every module
of `methods.entries`, and `methods/spec.py`); a manifest whose fingerprint
differs from the files on disk is not used. Refresh it after adding or
changing an entry (`tests/methods/test_manifest.py` fails until then):

    python -m methods.manifest --write
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from methods.registry import MANIFEST, entry_modules, fingerprint, read_modules


def build() -> dict:
    """The manifest as the entry modules declare it now."""
    registry = read_modules(entry_modules())
    return {
        "fingerprint": fingerprint(),
        "entries": [asdict(info) for info in registry.infos()],
    }


def render(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {MANIFEST.name} (default: check it)")
    args = parser.parse_args(argv)
    text = render(build())
    if args.write:
        MANIFEST.write_text(text, encoding="utf-8")
        print(f"wrote {MANIFEST} ({text.count(chr(10) + '  {')} entries)")
        return 0
    fresh = MANIFEST.is_file() and MANIFEST.read_text(encoding="utf-8") == text
    print(f"{MANIFEST.name} is {'current' if fresh else 'out of date: run with --write'}")
    return 0 if fresh else 1


if __name__ == "__main__":
    raise SystemExit(main())
