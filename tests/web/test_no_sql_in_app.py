"""The web layer reads through `catalog/` functions: no module under `app/` builds SQL."""

import ast

import pytest

from catalog.settings import PROJECT_ROOT

QUERY_CONSTRUCTS = {"select", "func", "col", "text", "and_", "or_", "insert", "update", "delete", "join"}
SQL_MODULES = ("sqlmodel", "sqlalchemy")
APP_MODULES = sorted((PROJECT_ROOT / "app").rglob("*.py"))


def _sql_uses(tree: ast.Module) -> list[str]:
    found = []
    sql_aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in SQL_MODULES:
            found += [f"from {node.module} import {a.name}" for a in node.names if a.name in QUERY_CONSTRUCTS]
        elif isinstance(node, ast.Import):
            sql_aliases |= {a.asname or a.name for a in node.names if a.name.split(".")[0] in SQL_MODULES}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in QUERY_CONSTRUCTS:
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in sql_aliases:
                found.append(f"{base.id}….{node.attr}")
    return found


def test_the_scan_sees_sql_when_there_is_some():
    tree = ast.parse("from sqlmodel import Session, select\nimport sqlalchemy as sa\nsa.func.count()\n")
    assert _sql_uses(tree) == ["from sqlmodel import select", "sa….func"], "the scan misses SQL it should see"


@pytest.mark.parametrize("path", APP_MODULES, ids=lambda p: p.name)
def test_app_module_builds_no_sql(path):
    uses = _sql_uses(ast.parse(path.read_text(encoding="utf-8")))
    assert not uses, f"{path.relative_to(PROJECT_ROOT)} builds SQL ({uses}): read through catalog/ instead"
