"""The `method-catalog` command line, run as a user runs it."""

import json
import os
import subprocess
import sys

import pytest

from catalog.settings import SEED_DOCUMENT


def run(*args, data_dir, check=True):
    env = {**os.environ, "CATALOG_DATA_DIR": str(data_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "catalog.cli", *args], capture_output=True, text=True, env=env
    )
    if check:
        assert result.returncode == 0, f"{args}: exit {result.returncode}: {result.stderr[-800:]}"
    return result


def test_parse_prints_json_without_touching_the_database(tmp_path):
    result = run("parse", str(SEED_DOCUMENT), "--format", "json", data_dir=tmp_path / "data")
    entries = json.loads(result.stdout)
    assert len(entries) == 45, f"{len(entries)} entries"
    lion = next(e for e in entries if e["name"] == "Evolved Sign Momentum")
    assert {"name", "full_name", "aliases", "description", "flags", "source"} <= set(lion)
    assert lion["aliases"] == ["Lion"] and lion["source"] == {
        "file": "methods-seed.txt",
        "line": 23,
        "line_end": 24,
    }
    assert not (tmp_path / "data").exists(), "parse created the data folder"


def test_ingest_reports_and_search_finds(tmp_path):
    result = run("ingest", data_dir=tmp_path)
    assert "45 entries parsed; 45 new" in result.stdout and "3 missing_description" in result.stdout, (
        result.stdout
    )
    phases = [line.rsplit(" (", 1)[0] for line in result.stderr.splitlines() if line.endswith(" s)")]
    expected = ["resolving", "linking", "building the index", "committing", "swapping"]
    assert phases == expected, f"phases announced: {result.stderr}"
    found = run("search", "selective kernel", "--json", data_dir=tmp_path)
    assert json.loads(found.stdout)["data"][0]["slug"] == "selective-kernel-convolution"


@pytest.mark.parametrize(
    "content, message",
    [
        ("Title\nit has no name at all, this one.\n", "bad.txt:2: a description with no method name"),
        ('[{"name": 1}]', "bad.txt: record 1: field 'name' must be a string"),
        ("[1, 2", "bad.txt:1: invalid JSON"),
    ],
)
def test_ingest_errors_are_one_line_with_file_and_line(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_text(content, encoding="utf-8")
    result = run("ingest", str(bad), data_dir=tmp_path / "data", check=False)
    assert result.returncode == 1, f"exit {result.returncode}"
    assert message in result.stderr, f"stderr: {result.stderr}"
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_missing_file_is_a_clear_error(tmp_path):
    result = run("ingest", str(tmp_path / "nope.txt"), data_dir=tmp_path / "data", check=False)
    assert result.returncode == 1 and "nope.txt: no such file" in result.stderr, result.stderr


def test_empty_parse_and_shrunk_document_are_refused_and_replace_allows(tmp_path):
    data = tmp_path / "data"
    doc = tmp_path / "doc.txt"
    doc.write_text("Doc\n" + "".join(f"Made Up Block {i} is a block.\n" for i in range(24)), encoding="utf-8")
    run("ingest", str(doc), data_dir=data)
    for content, message in [
        ("Doc\n", "doc.txt: no method entries found"),
        ('{"methods": 5}', "doc.txt:1: a JSON object must hold"),
        ("Doc\nMade Up Block 0 is a block.\n", "doc.txt: would remove 23 of the 24 entries"),
    ]:
        doc.write_text(content, encoding="utf-8")
        result = run("ingest", str(doc), data_dir=data, check=False)
        assert result.returncode == 1 and message in result.stderr, f"{content!r}: {result.stderr}"
        assert len(result.stderr.strip().splitlines()) == 1, f"more than one line: {result.stderr}"
    found = run("search", "made up block 7", "--json", data_dir=data)
    assert json.loads(found.stdout)["data"][0]["slug"] == "made-up-block-7", "a refusal removed methods"
    result = run("ingest", str(doc), "--replace", data_dir=data)
    assert "23 removed" in result.stdout, result.stdout


@pytest.mark.parametrize(
    "content, message",
    [
        (b"Title\nGood Net is a net.\nBad \xff byte\n", "bad.txt:3: not UTF-8"),
        (b"Title\x00\n", "bad.txt:1: binary data"),
        (b"[" * 100_000, "bad.txt: invalid JSON: nested too deeply"),
        (b'[{"name": "X", "collections": "Attention"}]', "bad.txt: record 1: field 'collections'"),
    ],
)
def test_hostile_documents_fail_in_one_line(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run("ingest", str(bad), data_dir=tmp_path / "data", check=False)
    assert result.returncode == 1 and message in result.stderr, f"exit {result.returncode}: {result.stderr}"
    assert len(result.stderr.strip().splitlines()) == 1, f"more than one line: {result.stderr[-500:]}"


def write_export(path, count):
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for i in range(count):
            record = {
                "url": f"https://x.org/method/m-{i}",
                "name": f"M{i} Net",
                "collections": [{"collection": "Made Up Nets", "area": "General"}],
            }
            out.write(("," if i else "") + json.dumps(record))
        out.write("]")
    return path


@pytest.mark.slow
def test_export_of_200k_entries_is_refused_by_the_documented_limit(tmp_path):
    big = write_export(tmp_path / "big.json", 200_000)
    result = run("ingest", str(big), data_dir=tmp_path / "data", check=False)
    message = "big.json: 200,000 method entries, more than the 100,000 a document may hold"
    assert result.returncode == 1 and message in result.stderr, result.stderr[-800:]


@pytest.mark.slow
def test_ingest_prints_progress_lines_off_a_terminal(tmp_path):
    result = run("ingest", str(write_export(tmp_path / "some.json", 400)), data_dir=tmp_path / "data")
    lines = [line for line in result.stderr.splitlines() if line.startswith("some.json: ")]
    assert len(lines) == 21 and lines[-1] == "some.json: 100% (400/400 entries stored)", result.stderr[-800:]
    assert "400 entries parsed; 400 new" in result.stdout, result.stdout
