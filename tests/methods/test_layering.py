"""Dependencies run one way, app -> catalog -> methods: `methods` imports neither `catalog` nor `app`.

Reference: the import statements of every file under methods/, read with `ast` (so an import inside a
function or behind a condition counts too), and the modules a fresh interpreter holds after loading
the registry.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("catalog", "app")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every absolute import in the file at `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_the_scan_sees_imports_anywhere_in_a_file(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from catalog.names import slugify\n    import app.main\n")
    assert imported_modules(probe) == [(2, "catalog.names"), (3, "app.main")], "nested imports were missed"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "methods").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_methods_imports_neither_catalog_nor_app(path):
    bad = [
        f"line {line}: {module}"
        for line, module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    ]
    assert not bad, f"{path.relative_to(ROOT)} imports from a layer above methods: {bad}"


def test_loading_the_registry_loads_no_catalog_module():
    script = (
        "import sys; from methods import registry; [e.slugs for e in registry]; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('catalog', 'app')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]", f"the registry pulled in {result.stdout.strip()}"
