"""How much of the catalog is runnable: counts overall and among the most-used methods, by source.

    python bench/coverage.py [--json]

A catalog method is runnable when a registry entry's first name is its exact name. The
most-used methods are those of the seed and the Papers with Code export ranked by the export's
`num_papers` (the export is read from `../shared/data/`; without it only the seed is counted).
Sources: "adapted" entries wrap a PyTorch object (`adapts`), "hand-written" ones live in
`methods/impl/`. Nothing here asserts; the floors live in `tests/methods/test_coverage.py`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from methods import registry  # noqa: E402
from methods.not_applicable import NOT_APPLICABLE  # noqa: E402
from tests.conftest import EXPORT  # noqa: E402
from tests.methods.test_coverage import catalog_methods, runnable_methods, top_methods  # noqa: E402

TOPS = (200, 500)


def coverage() -> dict:
    """Runnable counts overall, among the top methods, by source, and the not-applicable list."""
    export = EXPORT if EXPORT.exists() else None
    names = catalog_methods(export)
    runnable = runnable_methods() & names
    primary = {e.method: e for e in registry if not e.alternative}
    adapted = sorted(m for m in runnable if primary[m].adapter)
    report = {
        "catalog_methods": len(names),
        "entries": len(registry),
        "runnable": len(runnable),
        "adapted_from_pytorch": len(adapted),
        "hand_written": len(runnable) - len(adapted),
        "top": {},
        "not_applicable": dict(sorted(NOT_APPLICABLE.items())),
    }
    if export:
        for n in TOPS:
            top = top_methods(n, export)
            missing = [m for m in top if m not in runnable and m not in NOT_APPLICABLE]
            report["top"][str(n)] = {
                "runnable": sum(m in runnable for m in top),
                "not_applicable": sum(m in NOT_APPLICABLE for m in top),
                "neither": len(missing),
                "first_missing": missing[:10],
            }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    report = coverage()
    if parser.parse_args().json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    print(
        f"method names in the seed and the export: {report['catalog_methods']:,}; registry entries: {report['entries']}"
    )
    print(
        f"runnable: {report['runnable']} ({report['adapted_from_pytorch']} adapted from PyTorch, "
        f"{report['hand_written']} hand-written)"
    )
    if not report["top"]:
        print("the export is absent: most-used counts skipped")
    for n, row in report["top"].items():
        print(
            f"top {n} by papers: {row['runnable']} runnable, {row['not_applicable']} not applicable, "
            f"{row['neither']} neither"
            + (f" (first: {', '.join(row['first_missing'])})" if row["neither"] else "")
        )
    print("not applicable:")
    for name, reason in report["not_applicable"].items():
        print(f"  {name}: {reason}")


if __name__ == "__main__":
    main()
