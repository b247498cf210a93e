"""BibTeX entries for a method's paper: the right type and fields, every special character escaped."""

from __future__ import annotations

from catalog.citation import arxiv_id, bibtex, escape


def test_arxiv_id_from_abs_and_pdf_urls_without_version():
    assert arxiv_id("", "https://arxiv.org/abs/1412.6980v9") == "1412.6980", "abs URL with a version"
    assert arxiv_id("http://arxiv.org/pdf/2202.03052.pdf") == "2202.03052", "pdf URL"
    assert arxiv_id("https://paperswithcode.com/paper/adam", None) is None, "no arXiv id in the URLs"


def test_misc_entry_with_title_year_eprint_and_url():
    entry = bibtex(
        "adam",
        "Adam: A Method for Stochastic Optimization",
        year=2014,
        url="https://arxiv.org/abs/1412.6980",
        eprint="1412.6980",
    )
    assert entry.startswith("@misc{adam2014,\n"), f"no venue -> @misc keyed by slug and year: {entry}"
    assert "  title = {{Adam: A Method for Stochastic Optimization}}" in entry, entry
    assert "  eprint = {1412.6980}" in entry and "  archivePrefix = {arXiv}" in entry, entry
    assert "  year = {2014}" in entry and "  url = {https://arxiv.org/abs/1412.6980}" in entry, entry
    assert "author" not in entry, f"no document gives authors, so none are made up: {entry}"
    assert entry.count("{") == entry.count("}"), f"unbalanced braces: {entry}"


def test_article_entry_when_a_venue_is_known_with_authors():
    entry = bibtex("bn", "Batch Norm", year=2015, venue="ICML", authors=["Sergey Ioffe", "Christian Szegedy"])
    assert entry.startswith("@article{bn2015,"), f"a venue makes it an @article: {entry}"
    assert "  author = {Sergey Ioffe and Christian Szegedy}" in entry, entry
    assert "  journal = {ICML}" in entry, entry


def test_special_characters_are_escaped():
    assert escape("50% of {x} & y_1 #2 $3 ^ ~ \\") == (
        "50\\% of \\{x\\} \\& y\\_1 \\#2 \\$3 \\^{} \\~{} \\textbackslash{}"
    ), "every BibTeX special character is escaped"
    entry = bibtex("x", "A } title {with} braces", url="https://example.org/a b{c}")
    assert entry.count("{") - entry.count("\\{") == entry.count("}") - entry.count("\\}"), (
        f"the entry's own braces stay balanced: {entry}"
    )
    assert "url = {https://example.org/a%20b%7Bc%7D}" in entry, f"the URL cannot break the entry: {entry}"
