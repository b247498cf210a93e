"""A description's readable text, and the search snippets built from it, never show Markdown or TeX source."""

from __future__ import annotations

import re

import pytest

from app.render import render_description
from catalog.readable import first_sentences, readable_text

SOURCE = ("**", "](", "http", "\\begin", "$$")
ADAM = (
    "**Adam** is an adaptive learning rate optimization algorithm, combining the benefits of "
    "[RMSProp](https://paperswithcode.com/method/rmsprop) and SGD (see https://example.org/adam).\n\n"
    "The weight updates are performed as:\n\n"
    "$$ w_{t} = w_{t-1} - \\eta\\frac{\\hat{m}\\_{t}}{\\sqrt{\\hat{v}\\_{t}} + \\epsilon} $$\n\n"
    "\\begin{align} a &= b \\\\ c &= d \\end{align}\n\n"
    "$ \\eta $ is the step size and $\\hat{m}\\_{t}$ the first moment."
)
COMMON_QUERIES = [
    "adam",
    "attention",
    "dropout",
    "batch normalization",
    "resnet",
    "transformer",
    "gan",
    "lstm",
    "convolution",
    "softmax",
    "optimizer",
    "vision transformer",
    "contrastive learning",
    "knowledge distillation",
    "diffusion",
]


def test_markdown_links_urls_and_display_math_are_gone():
    text = readable_text(ADAM)
    for source in SOURCE:
        assert source not in text, f"{source!r} left in the readable text: {text}"
    assert text.startswith("Adam is an adaptive"), f"emphasis becomes plain words: {text[:40]}"
    assert "benefits of RMSProp and SGD" in text, f"a link becomes its words: {text}"
    assert "\\eta is the step size" in text, f"inline math stays as readable TeX: {text}"
    assert "\\hat{m}_{t} the first moment" in text, f"Markdown's \\_ is a TeX subscript: {text}"


def test_malformed_emphasis_and_long_formulas_leave_nothing_behind():
    text = readable_text("**FastMoE ** is a system, $" + "x + " * 30 + "y$ and done.")
    assert "**" not in text and "x + x" not in text, f"leftover markup or a long formula: {text}"
    assert text.startswith("FastMoE is a system"), text


def test_first_sentences_cut_at_a_word():
    line = first_sentences("word " * 100, limit=50)
    assert len(line) <= 51 and line.endswith("word…"), f"cut mid-word or too long: {line!r}"
    assert first_sentences("") == "", "an empty description has no line"


def test_escaped_underscores_inside_math_reach_katex_unescaped():
    html = render_description("$$ \\hat{m}\\_{t} = \\frac{m_{t}}{1-\\beta^{t}\\_{1}} $$ and $v\\_t$")
    formulas = re.findall(r'<span class="math math-\w+">(.*?)</span>', html)
    assert formulas == ["\\hat{m}_{t} = \\frac{m_{t}}{1-\\beta^{t}_{1}}", "v_t"], (
        f"Markdown's escaped underscore reached KaTeX: {formulas}"
    )
    assert "snake\\_case" in render_description("`snake\\_case`"), "outside math the text is left alone"


@pytest.mark.parametrize("query", COMMON_QUERIES)
def test_snippets_over_the_full_catalog_show_no_source(full_catalog, query):
    result = full_catalog.index.search(query, limit=20)
    assert len(result.hits) == 20, f"{query!r}: expected a full page of hits, got {len(result.hits)}"
    for hit in result.hits:
        shown = re.sub(r"</?mark>", "", hit["snippet"])
        leaked = [source for source in SOURCE if source in shown]
        assert not leaked, f"{query!r} -> {hit['slug']}: snippet shows {leaked}: {shown[:200]}"
        assert len(shown) <= 600, f"{query!r} -> {hit['slug']}: a snippet of {len(shown)} characters"
