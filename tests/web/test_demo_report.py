"""The demo report's words and structure, from results written out by hand."""

from __future__ import annotations

from app.demo_report import diagram, latency, trace_tree


def row(path: str, depth: int, parent_row: int | None, flops: int | None = 0) -> dict:
    return {
        "path": path,
        "type": "M",
        "depth": depth,
        "parent_row": parent_row,
        "flops": flops,
        "inputs": [[2, 3]],
        "outputs": [[2, 3]],
        "params": 1,
        "params_total": 1,
    }


def test_latency_is_the_median_with_its_spread_and_runs():
    result = {"latency_ms": 0.75, "latency_p10_ms": 0.7, "latency_p90_ms": 0.9, "latency_runs": 25}
    assert latency(result) == "0.75 ms (p10–p90 0.7–0.9, 25 runs)", latency(result)
    assert latency({"latency_ms": 1234.4}) == "1,234 ms", latency({"latency_ms": 1234.4})
    assert latency({}) == "not measured", latency({})


def test_rows_nest_under_their_parent_rows_and_open_to_depth_two():
    rows = [row("(root)", 0, None), row("a", 1, 0), row("a.b", 2, 1), row("a.b.c", 3, 2)]
    rows += [row("a.b.c.d", 4, 3), row("e", 1, 0)]
    (root,) = trace_tree(rows)
    a = root["children"][0]
    b = a["children"][0]
    c = b["children"][0]
    assert [n["path"] for n in root["children"]] == ["a", "e"], root["children"]
    assert c["path"] == "a.b.c" and c["children"][0]["path"] == "a.b.c.d", "each row under its parent"
    assert root["open"] and a["open"] and b["open"], "branches at depths 0 to 2 are open"
    assert not c["open"], "a branch at depth 3 is closed: depth 4 waits for a click"
    assert not root["children"][1]["open"], "a leaf has nothing to open"
    assert b["name"] == "b", "a row is named by the last part of its path"


def test_a_row_without_counted_flops_says_why():
    (root,) = trace_tree([row("(root)", 0, None, flops=None)])
    assert root["flops"] == "not counted" and "without a FLOP formula" in root["flops_title"], root


def test_the_diagram_puts_every_input_into_the_method_and_claims_no_chain():
    result = {
        "inputs": [{"name": n, "shape": [8, 4]} for n in ("q", "r", "s")],
        "outputs": [{"name": "output", "shape": [8]}],
        "trace": [row("(root)", 0, None), row("a", 1, 0), row("b", 1, 0)],
    }
    drawn = diagram(result)
    assert [i["name"] for i in drawn["inputs"]] == ["q", "r", "s"], drawn
    assert drawn["method"] == "M" and drawn["detail"] == "2 submodule calls", drawn
    names = {box["name"] for box in drawn["inputs"] + drawn["outputs"]} | {drawn["method"]}
    assert names == {"q", "r", "s", "M", "output"}, f"submodules are in the tree, not the diagram: {names}"
