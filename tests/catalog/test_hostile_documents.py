"""Hostile documents: each ends in a clean ingest or one clear error, and an error changes nothing."""

from __future__ import annotations

import codecs
import json
import os
import random
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from app.main import create_app
from catalog.documents import parse_document
from catalog.entry import DocumentError
from catalog.models import Alias, CrossLink, Document, Method, MethodCollection, Provenance
from catalog.settings import SEED_DOCUMENT, Settings
from catalog.store import Catalog
from tests.conftest import make_catalog

TABLES = (Method, Alias, Provenance, MethodCollection, CrossLink, Document)


def state(catalog: Catalog) -> tuple:
    """Row counts and every method's shown fields: equal before and after means unchanged."""
    with catalog.session() as session:
        counts = tuple(session.exec(select(func.count()).select_from(t)).one() for t in TABLES)
        methods = session.exec(select(Method.slug, Method.name, Method.description).order_by(Method.slug))
        return counts, tuple(methods.all())


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return make_catalog(tmp_path_factory.mktemp("hostile") / "data", SEED_DOCUMENT)


def record(i: int, **fields: object) -> dict:
    return {"url": f"https://paperswithcode.com/method/made-up-{i}", "name": f"Made Up Net {i}", **fields}


def export(records: list[dict]) -> str:
    return json.dumps(records)


NESTED = "[" * 100_000 + "]" * 100_000
REFUSED = [
    pytest.param(b"", "empty.txt: empty document", id="empty"),
    pytest.param(b"  \n\n\t\n", "empty.txt: empty document", id="blank"),
    pytest.param(b"Only a title\n", "empty.txt: no method entries found", id="title-only"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "empty.txt:3: binary data", id="binary"),
    pytest.param(b"Title\nGood Net is a net.\nBad \xff\xfe byte\n", "empty.txt:3: not UTF-8", id="bad-utf8"),
    pytest.param(b"Title\nNul Net is a\x00 net.\n", "empty.txt:2: binary data", id="nul"),
    pytest.param(b"[" + b"x" * 10 + b"\n", "empty.txt:1: invalid JSON", id="not-json"),
    pytest.param(export([record(1)])[:-20].encode(), "empty.txt:1: invalid JSON", id="truncated-json"),
    pytest.param(NESTED.encode(), "empty.txt: invalid JSON: nested too deeply", id="nested-100k"),
    pytest.param(b'{"results": []}', "empty.txt:1: a JSON object must hold", id="unknown-wrapper"),
    pytest.param(b'"methods"', "empty.txt: no method entries found", id="json-string-is-text"),
    pytest.param(b"[]", "empty.txt: no method entries found", id="empty-array"),
    pytest.param(b'{"methods": []}', "empty.txt: no method entries found", id="empty-wrapped"),
    pytest.param(
        export([record(1, collections=5)]).encode(),
        "record 1: field 'collections' must be a list",
        id="coll-int",
    ),
    pytest.param(
        export([record(1, collections="Attention")]).encode(),
        "record 1: field 'collections' must be a list",
        id="coll-str",
    ),
    pytest.param(
        export([record(1), record(2, collections={"collection": "X"})]).encode(),
        "record 2: field 'collections' must be a list",
        id="coll-object",
    ),
    pytest.param(
        export([record(1, collections=[{"collection": 7}])]).encode(),
        "record 1: collection 1: field 'collection' must be a string",
        id="coll-item",
    ),
    pytest.param(
        export([record(1, source_url=5)]).encode(),
        "record 1: field 'source_url' must be a string",
        id="url-int",
    ),
    pytest.param(
        export([record(1, num_papers="many")]).encode(),
        "record 1: field 'num_papers' must be an integer",
        id="n",
    ),
    pytest.param(
        export([record(1, paper=[1])]).encode(), "record 1: field 'paper' must be an object", id="paper"
    ),
    pytest.param(
        export([record(1, name="\u0000x")]).encode(), "record 1: field 'name' holds a NUL", id="json-nul"
    ),
    pytest.param(
        export([record(1, name="N" * 301)]).encode(),
        "record 1: field 'name' has 301 characters",
        id="long-name",
    ),
    pytest.param(
        b"Title\n" + b"w" * (5 * 2**20) + b"\n", "empty.txt:2: a line of 5,242,880 characters", id="5mb-line"
    ),
    pytest.param(b"x" * (5 * 2**20), "empty.txt:1: a line of 5,242,880 characters", id="5mb-title"),
    pytest.param(
        b"Title\nTwin Net is a net.\nTwin Net is another.\n",
        "empty.txt:3: 'Twin Net' is already defined",
        id="dup",
    ),
    pytest.param(
        export([record(1), record(1)]).encode(), "record 2: duplicate url of record 1", id="dup-json"
    ),
]


@pytest.mark.parametrize("content, message", REFUSED)
def test_hostile_document_is_refused_with_one_clear_error(catalog, tmp_path, content, message):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    before = state(catalog)
    with pytest.raises(DocumentError) as caught:
        catalog.ingest([path])
    assert message in str(caught.value), f"error {caught.value!s:.300}, expected {message!r}"
    assert len(str(caught.value).splitlines()) == 1, f"the error is more than one line: {caught.value!s:.300}"
    assert state(catalog) == before, f"the refused document changed the catalog: {caught.value!s:.200}"


def ingested(catalog: Catalog, path: Path) -> list[Method]:
    report = catalog.ingest([path])[0]
    assert report.parsed, f"{path.name}: nothing parsed"
    with catalog.session() as session:
        document = session.exec(select(Document).where(Document.name == path.name)).one()
        ids = select(Provenance.method_id).where(Provenance.document_id == document.id)
        return list(session.exec(select(Method).where(Method.id.in_(ids)).order_by(Method.id)))  # type: ignore[union-attr]


def test_utf16_with_a_byte_order_mark_is_decoded(catalog, tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Title\nWide Char Net is a net.\n".encode("utf-16-le"))
    assert [m.name for m in ingested(catalog, path)] == ["Wide Char Net"], "UTF-16 text was not read"


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["plain", "utf8-bom"])
@pytest.mark.parametrize("wrapper", [None, "methods", "data"])
def test_json_is_told_by_content_bom_and_wrapper_included(tmp_path, bom, wrapper):
    records = [record(i, description=f"Made Up Net {i} is a net.") for i in range(3)]
    path = tmp_path / "export.txt"
    path.write_bytes(bom + json.dumps(records if wrapper is None else {wrapper: records}, indent=1).encode())
    document = parse_document(path)
    assert [e.key for e in document.entries] == [f"made-up-{i}" for i in range(3)], "records not read as JSON"


def test_crlf_names_only_rtl_and_emoji_are_read_as_written(catalog, tmp_path):
    path = tmp_path / "mixed.txt"
    text = "Title\r\nLone Heading Net\r\nOther Heading Block\r\nשכבת קשב is a layer 🚀 for text.\r\nEmoji 🚀 Net\r\n"
    path.write_bytes(text.encode("utf-8"))
    methods = ingested(catalog, path)
    names = [m.name for m in methods]
    assert names == ["Lone Heading Net", "Other Heading Block", "שכבת קשב", "Emoji 🚀 Net"], f"names: {names}"
    assert all("\r" not in m.name + m.description for m in methods), "a carriage return was kept"
    assert methods[0].flags == "missing_description", f"a heading alone is flagged: {methods[0].flags!r}"
    assert all(m.slug for m in methods), "every method has a slug, right-to-left ones too"


def test_scripts_are_stored_as_text_and_unsafe_urls_dropped(catalog, tmp_path):
    path = tmp_path / "xss.json"
    records = [
        record(
            1,
            name="<script>alert(1)</script>Net",
            description=(
                'XSS Net <img src=x onerror="alert(2)"> is a net; see [this](javascript:alert(3)) '
                "and $\\href{javascript:alert(4)}{that}$."
            ),
            source_url="javascript:alert(5)",
            code_snippet_url="data:text/html,<script>alert(6)</script>",
            paper={"title": "<b>Bold</b>", "url": "https://example.org/paper"},
        )
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    (method,) = ingested(catalog, path)
    assert method.name == "<script>alert(1)</script>Net", f"the name is kept as text: {method.name!r}"
    assert (method.source_url, method.code_url) == ("", ""), "non-http(s) URLs are dropped"
    assert "javascript:" not in method.description, f"a javascript: link survived: {method.description}"
    with TestClient(create_app(catalog.settings)) as client:
        page = client.get(f"/methods/{method.slug}").text
        detail = client.get(f"/api/v1/methods/{method.slug}").json()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page, "the name is escaped in HTML"
    assert 'onerror="alert' not in page and "javascript:" not in page, "no handler or script URL reaches HTML"
    assert detail["name"] == method.name, "the API returns the name as text"


def test_data_loss_guard_refuses_most_removals_unless_replace(tmp_path):
    catalog = make_catalog(tmp_path / "data")
    path = tmp_path / "export.json"
    path.write_text(export([record(i) for i in range(30)]), encoding="utf-8")
    catalog.ingest([path])
    before = state(catalog)
    path.write_text(export([record(i) for i in range(5)]), encoding="utf-8")
    with pytest.raises(DocumentError, match=r"export\.json: would remove 25 of the 30 entries"):
        catalog.ingest([path])
    assert state(catalog) == before, "a refused shrink changed the catalog"
    path.write_bytes(codecs.BOM_UTF8 + json.dumps({"methods": [record(i) for i in range(30)]}).encode())
    assert catalog.ingest([path])[0].unchanged == 30, (
        "the same records, wrapped and with a BOM, change nothing"
    )
    path.write_text(export([record(i) for i in range(20)]), encoding="utf-8")
    assert catalog.ingest([path])[0].removed == 10, "a third may go without replace"
    path.write_text(export([record(i) for i in range(5)]), encoding="utf-8")
    report = catalog.ingest([path], replace=True)[0]
    assert (report.removed, catalog.count()) == (15, 5), f"replace allows it: {report.summary()}"


@pytest.mark.slow
def test_fifty_megabyte_files_are_refused_quickly(tmp_path):
    big = tmp_path / "big.txt"
    rng = random.Random(0)
    big.write_bytes(b"Title\n" + rng.randbytes(50 * 2**20))
    catalog = Catalog(Settings(CATALOG_DATA_DIR=tmp_path / "data", CATALOG_MAX_DOCUMENT_MB=32))
    with pytest.raises(DocumentError, match=r"big\.txt: 50\.0 MB is over the 32 MB"):
        catalog.ingest([big])
    with pytest.raises(DocumentError, match=r"big\.txt:\d+: (not UTF-8|binary data)"):
        parse_document(big, limit_mb=64)
    assert os.path.getsize(big) > 50 * 2**20, "the file is as big as intended"


@pytest.mark.postgres
def test_on_postgres_refusals_name_the_file_and_record_and_change_nothing(tmp_path):
    from tests.postgres_databases import database

    with database() as url:
        catalog = Catalog(Settings(CATALOG_DATA_DIR=tmp_path, DATABASE_URL=url))
        catalog.migrate()
        good = tmp_path / "pg.json"
        good.write_text(export([record(i, description=f"Made Up Net {i} is a net.") for i in range(3)]))
        catalog.ingest([good])
        before = state(catalog)
        for bad, message in [
            (record(2, name="\u0000"), "pg.json: record 2: field 'name' holds a NUL"),
            (
                record(2, source_url="https://x.org/" + "p" * 1000),
                "pg.json: record 2: field 'source_url' has",
            ),
            (record(2, collections=[{"collection": "C" * 201}]), "pg.json: record 2: collection 1: field"),
        ]:
            good.write_text(export([record(1), bad]), encoding="utf-8")
            with pytest.raises(DocumentError, match=message):
                catalog.ingest([good])
            assert state(catalog) == before, f"a refused document changed the PostgreSQL catalog: {message}"
        catalog.engine.dispose()
