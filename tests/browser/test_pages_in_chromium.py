"""The catalog's pages in Chromium at 1366x900 and 375x812, over the seed plus the Papers with Code export:
they fit the screen, snippets read as text, facets are bounded, sorting works, citations copy, and the
pages stay readable (focus ring, dark mode, KaTeX, /docs) in both themes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import Page

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}
SIZES = {"1366": WIDE, "375": PHONE}
PAGES = {
    "home": "/",
    "search": "/search?q=adam",
    "method": "/methods/adam",
    "collection": "/collections/convolutional-neural-networks",
    "area": "/areas/computer-vision",
}
SOURCE = ("**", "](", "http", "\\begin", "$$")
CONTRAST = """([a, b]) => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/[\\d.]+/g).slice(0, 3).map(Number).map((c) => {
      c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}"""


@pytest.fixture(params=list(SIZES))
def size(request) -> str:
    return request.param


@pytest.fixture
def full(browser, full_server, size) -> Iterator[Page]:
    context = browser.new_context(viewport=SIZES[size])
    context.set_default_timeout(15_000)
    yield Page(context.new_page(), full_server)
    context.close()


def _no_sideways_scroll(page, path: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{path} scrolls sideways at {viewport}px ({width}px wide)"


def _axe(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")}`)"""
    )


@pytest.mark.parametrize("name", PAGES)
def test_pages_fit_the_screen(full, size, name):
    page = full.open(PAGES[name])
    page.wait_for_load_state("networkidle")
    _no_sideways_scroll(page, PAGES[name])
    assert full.errors == [], f"{PAGES[name]}: {full.errors}"
    full.screenshot(f"{name}-{size}")


def test_snippets_read_as_text(full, size):
    page = full.open("/search?q=adam")
    snippets = page.locator("ol.results .snippet").all_inner_texts()
    assert len(snippets) == 20, f"a full page of snippets, got {len(snippets)}"
    for text in snippets:
        leaked = [source for source in SOURCE if source in text]
        assert not leaked, f"a snippet shows {leaked}: {text[:200]}"
    assert page.locator("ol.results .snippet mark").count() >= 20, "the matches are highlighted"
    _no_sideways_scroll(page, "/search?q=adam")


def test_few_tabs_from_the_search_box_to_the_first_result(full, size):
    page = full.open("/search?q=adam")
    page.locator("#top-q").focus()
    presses = 0
    while presses < 5 and not page.evaluate("document.activeElement.closest('.hit-title') !== null"):
        page.keyboard.press("Tab")
        presses += 1
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    assert page.evaluate("document.activeElement.closest('.hit-title') !== null"), (
        f"five Tabs from the search box reach {focused}, not the first result"
    )
    assert page.evaluate("document.activeElement.textContent") == "Adam", f"{presses} Tabs: {focused}"
    top = page.locator("ol.results").bounding_box()
    assert top is not None and top["y"] < SIZES[size]["height"] * 0.6, f"the results start at {top}"


def test_skip_link_is_the_first_stop_and_lands_on_the_results(full, size):
    page = full.open("/search?q=dropout")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results", page.evaluate(
        "document.activeElement.outerHTML.slice(0, 120)"
    )
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#results') !== null"), (
        "after the skip link the next Tab stays in the results"
    )


def test_facets_are_bounded_and_filters_fold_on_a_phone(full, size):
    page = full.open("/search?q=attention")
    groups = page.locator(".facets > ul")
    for index in range(groups.count()):
        shown = groups.nth(index).locator("li").count()
        assert shown <= 8, f"facet {index} shows {shown} values before 'more'"
    more = page.locator("details.facet-more").first
    assert more.count() == 1 and not more.evaluate("d => d.open"), "the rest sit in a closed 'more'"
    filters = page.locator("details.filters")
    if size == "375":
        assert not filters.evaluate("d => d.open"), "on a phone the filters start folded"
        page.get_by_role("button", name="Filters").click()
        assert filters.evaluate("d => d.open"), "the Filters button opens them"
        assert filters.bounding_box()["y"] < page.locator("ol.results").bounding_box()["y"], (
            "and brings them above the results"
        )
    else:
        assert page.get_by_role("button", name="Filters").is_hidden(), "beside the results, no button"
        box, results = filters.bounding_box(), page.locator("ol.results").bounding_box()
        assert box["x"] < results["x"] and abs(box["y"] - results["y"]) < 120, "filters sit beside results"
    full.screenshot(f"search-filters-{size}")


def test_sorting_changes_the_order(full, size):
    page = full.open("/search?q=attention")
    before = page.locator("ol.results .hit-title").all_inner_texts()
    page.locator("#sort").select_option("year")
    page.get_by_role("button", name="Sort", exact=True).click()
    page.wait_for_url(re.compile(r"sort=year"))
    after = page.locator("ol.results .hit-title").all_inner_texts()
    assert after and after != before, "sorting by year reorders the results"
    page = full.open("/collections/convolutional-neural-networks")
    by_name = page.locator(".method-rows .row-head a").all_inner_texts()
    page.get_by_role("link", name="Papers (most)").click()
    page.wait_for_url(re.compile(r"sort=papers"))
    by_papers = page.locator(".method-rows .row-head a").all_inner_texts()
    # the collection holds more than a page: the first page by papers is another slice of it
    assert len(by_name) == len(by_papers) and by_name != by_papers, "sorting by papers reorders the rows"
    papers = page.locator(".method-rows .row-meta").all_inner_texts()
    counts = [int(m.group(1).replace(",", "")) for t in papers if (m := re.search(r"([\d,]+) papers?", t))]
    assert counts == sorted(counts, reverse=True) and len(counts) > 10, f"rows by papers: {counts[:10]}"
    row = page.locator(".method-rows > li").first
    assert row.locator(".row-line").inner_text() and row.locator(".badge").count() == 1, row.inner_text()


def test_citation_copies(browser, full_server):
    context = browser.new_context(viewport=WIDE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=full_server)
    page = Page(context.new_page(), full_server).open("/methods/adam")
    bibtex = page.locator("#bibtex").inner_text()
    assert bibtex.startswith("@misc{adam2014,") and "eprint = {1412.6980}" in bibtex, bibtex
    page.get_by_role("button", name="Copy BibTeX").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == bibtex.strip(), f"the clipboard holds {copied[:80]!r}"
    paper = page.locator("dl.facts a", has_text="Adam: A Method")
    assert paper.get_attribute("href") == "https://arxiv.org/abs/1412.6980", "the paper links to arXiv"
    context.close()


def test_citation_is_selectable_without_javascript(browser, full_server):
    context = browser.new_context(java_script_enabled=False)
    page = Page(context.new_page(), full_server).open("/methods/adam")
    pre = page.locator("#bibtex")
    assert pre.is_visible() and pre.evaluate("e => getComputedStyle(e).userSelect") != "none"
    assert page.get_by_role("button", name="Copy").is_hidden(), "no dead Copy button without JavaScript"
    context.close()


def test_katex_equation_numbers_are_not_pills(browse):
    page = browse.open("/methods/bottleneck-attention-module")
    tag = page.locator(".description .katex .tag").first
    tag.wait_for()
    style = tag.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderTopStyle, s.backgroundColor] }"
    )
    assert style == ["none", "rgba(0, 0, 0, 0)"], f"KaTeX's equation number is styled as a pill: {style}"


def test_adam_update_rule_shows_no_backslash(full):
    page = full.open("/methods/adam")
    page.locator(".description .katex").first.wait_for()
    annotations = page.locator(".description annotation").all_text_contents()
    assert any("\\hat{m}_{t}" in a for a in annotations), f"m-hat-t as TeX reads it: {annotations[:3]}"
    assert not any("\\_" in a for a in annotations), f"an escaped underscore reached KaTeX: {annotations}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_ring_contrast_and_dark_mode(browser, full_server, scheme):
    context = browser.new_context(viewport=WIDE, color_scheme=scheme)
    page = Page(context.new_page(), full_server)
    for name, path in (("home", "/"), ("method", "/methods/adam"), ("search", "/search?q=adam")):
        tab = page.open(path)
        tab.wait_for_load_state("networkidle")
        tab.keyboard.press("Tab")
        tab.keyboard.press("Tab")
        ring, background = tab.evaluate(
            """() => [getComputedStyle(document.activeElement).outlineColor,
                      getComputedStyle(document.body).backgroundColor === "rgba(0, 0, 0, 0)"
                        ? getComputedStyle(document.documentElement).backgroundColor
                        : getComputedStyle(document.body).backgroundColor]"""
        )
        ratio = tab.evaluate(CONTRAST, [ring, background])
        assert ratio >= 3, f"{scheme} {path}: focus ring {ring} on {background} is {ratio:.2f}:1"
        violations = _axe(tab)
        assert violations == [], f"{scheme} {path}: {violations}"
        if scheme == "dark":
            dark = tab.evaluate(CONTRAST, ["rgb(0, 0, 0)", background])
            assert dark < 1.5, f"{path}: the dark theme's background is {background}"
        page.screenshot(f"{name}-{scheme}-1366")
    context.close()


def test_api_docs_pass_axe(browse):
    page = browse.open("/docs")
    page.locator(".opblock").first.wait_for()
    assert _axe(page) == [], "/docs has serious or critical axe violations"
