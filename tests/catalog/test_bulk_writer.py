"""The bulk writer writes the index Whoosh's own writer writes, spilling its pool or not.

One difference is by design: a spelling field (`spell_*`) holds one posting per word weighing as many
documents as hold it, where Whoosh writes one weight-1 posting per document; a word's summed weight is
the same either way, and it is all a search reads of those fields.
"""

import pytest
from whoosh import index as whoosh_index

from catalog.indexing import index_documents
from catalog.search._bulk_writer import BulkWriter
from catalog.search._document import whoosh_document
from catalog.search._schema import build_schema


def _contents(folder, indexname: str = "t") -> dict:
    """Every term's postings and statistics, every document's field lengths and stored fields."""
    reader = whoosh_index.open_dir(folder, indexname=indexname).reader()
    try:
        terms = {}
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            if fieldname.startswith("spell_"):
                terms[fieldname, text] = info.weight()
                continue
            matcher = reader.postings(fieldname, text)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            stats = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
            )
            terms[fieldname, text] = (stats, postings)
        docs = range(reader.doc_count_all())
        fields = sorted(reader.indexed_field_names())
        return {
            "terms": terms,
            "lengths": {f: [reader.doc_field_length(d, f) for d in docs] for f in fields},
            "totals": {f: reader.field_length(f) for f in fields},
            "stored": [reader.stored_fields(d) for d in docs],
        }
    finally:
        reader.close()


def _build(folder, documents: list[dict], writer) -> dict:
    folder.mkdir()
    ix = whoosh_index.create_in(folder, build_schema(), indexname="t")
    w = writer(ix)
    for document in documents:
        w.add_document(**document)
    w.commit()
    return _contents(folder)


@pytest.mark.parametrize("limitmb", [0.005, 128], ids=["spilling every few documents", "in memory"])
def test_bulk_writer_writes_what_whooshs_writer_writes(seed_catalog, tmp_path, limitmb):
    with seed_catalog.session() as session:
        documents = [whoosh_document(d) for d in index_documents(session)] * 3
    expected = _build(tmp_path / "whoosh", documents, lambda ix: ix.writer())
    built = _build(tmp_path / "bulk", documents, lambda ix: BulkWriter(ix, limitmb=limitmb))
    assert len(built["stored"]) == 135, f"{len(built['stored'])} documents indexed of 135"
    assert built["terms"].keys() == expected["terms"].keys(), "the two indexes hold different terms"
    for term, held in expected["terms"].items():
        assert built["terms"][term] == held, f"{term}: postings or statistics differ"
    for key in ("lengths", "totals", "stored"):
        assert built[key] == expected[key], f"the two indexes differ in {key}"
