"""Importing the Papers with Code export and merging it with the seed (skips without ../shared)."""

import codecs
import json

import pytest
from sqlmodel import select

from catalog.documents import parse_document
from catalog.entry import DocumentError
from catalog.models import Alias, Collection, CrossLink, Method, Provenance
from catalog.pwc_format import year_from


def method(catalog, slug):
    with catalog.session() as session:
        return session.exec(select(Method).where(Method.slug == slug)).one()


def sources(catalog, slug):
    with catalog.session() as session:
        m = session.exec(select(Method).where(Method.slug == slug)).one()
        return sorted(
            json.loads(p.record)["file"]
            for p in session.exec(select(Provenance).where(Provenance.method_id == m.id))
        )


def test_export_parses_every_record(export_path):
    document = parse_document(export_path)
    assert len(document.entries) == 2275, f"parsed {len(document.entries)} records"
    bam = next(e for e in document.entries if e.key == "bam")
    assert (bam.name, bam.full_name) == ("BAM", "Bottleneck Attention Module")
    assert bam.collections[0].name == "Attention Mechanisms" and bam.collections[0].area == "General"


@pytest.mark.parametrize(
    "record, year",
    [
        ({"introduced_year": 2000, "source_url": "http://arxiv.org/abs/1807.06514v2"}, 2018),
        ({"introduced_year": 2000, "source_url": "https://arxiv.org/pdf/2202.03052.pdf"}, 2022),
        ({"introduced_year": 2000, "source_url": "https://example.org/paper"}, None),
        ({"introduced_year": 2000, "source_url": None}, None),
        ({"introduced_year": 2017, "source_url": "http://arxiv.org/abs/1807.06514"}, 2017),
    ],
)
def test_year_placeholder_is_replaced_by_the_arxiv_year(record, year):
    assert year_from(record) == year, f"{record} -> {year_from(record)}"


def test_export_and_seed_merge_into_one_catalog(full_catalog):
    assert full_catalog.count() == 2275 + 1, "every export record plus the seed's Umbrella RL"
    assert sources(full_catalog, "bottleneck-attention-module") == [
        "methods-seed.txt",
        "pwc-methods-2025-03.json",
    ]
    assert sources(full_catalog, "n-step-returns") == ["methods-seed.txt", "pwc-methods-2025-03.json"]
    assert sources(full_catalog, "evolved-sign-momentum") == ["methods-seed.txt", "pwc-methods-2025-03.json"]
    assert sources(full_catalog, "umbrella-reinforcement-learning") == ["methods-seed.txt"]


def test_two_methods_named_capsule_network_stay_apart(full_catalog):
    with full_catalog.session() as session:
        rows = session.exec(select(Method).join(Alias).where(Alias.key == "capsulenetwork")).all()
    assert len(rows) == 2, f"expected two Capsule Networks, got {[m.slug for m in rows]}"
    seed_one = method(full_catalog, "capsule-network")
    assert "hierarchical relationships" in seed_one.description, (
        "the seed's CapsNet merged with the export's CapsNet"
    )
    assert sources(full_catalog, "capsule-network") == ["methods-seed.txt", "pwc-methods-2025-03.json"]


def test_merged_method_prefers_the_description_with_its_formulas(full_catalog):
    bam = method(full_catalog, "bottleneck-attention-module")
    assert "math_stripped" not in bam.flags, "the export's intact description should win"
    assert bam.year == 2018, f"year from the arXiv id, got {bam.year}"


def test_markdown_links_become_cross_links(full_catalog):
    with full_catalog.session() as session:
        total = len(session.exec(select(CrossLink)).all())
        cascade = session.exec(select(Method).where(Method.slug == "cascade-r-cnn")).one()
        targets = session.exec(
            select(Method.slug)
            .join(CrossLink, CrossLink.target_id == Method.id)
            .where(CrossLink.source_id == cascade.id)
        ).all()
    assert total > 1000, f"only {total} cross-links from 1,922 method links"
    assert "r-cnn" in targets, f"Cascade R-CNN should link to R-CNN, links to {targets}"


def test_collections_and_areas_are_kept(full_catalog):
    with full_catalog.session() as session:
        count = len(session.exec(select(Collection)).all())
    assert count == 362, f"expected the export's 362 collections, got {count}"


@pytest.mark.parametrize("shape", ["object", "bom"])
def test_export_wrapped_in_an_object_or_with_a_bom_parses_every_record(export_path, tmp_path, shape):
    data = export_path.read_bytes()
    path = tmp_path / export_path.name
    path.write_bytes(b'{"methods": ' + data + b"}" if shape == "object" else codecs.BOM_UTF8 + data)
    document = parse_document(path)
    assert len(document.entries) == 2275, f"{shape}: parsed {len(document.entries)} records"


def test_a_cut_down_export_under_the_same_name_removes_nothing(full_catalog, export_path, tmp_path):
    before = full_catalog.count()
    cut = tmp_path / export_path.name
    cut.write_text(json.dumps(json.loads(export_path.read_text(encoding="utf-8"))[:45]), encoding="utf-8")
    with pytest.raises(DocumentError, match=r"would remove 2,230 of the 2,275 entries"):
        full_catalog.ingest([cut])
    assert full_catalog.count() == before, "a refused ingest removed methods"
