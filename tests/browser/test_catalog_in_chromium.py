"""End to end in a real Chromium: search, read, run, stay safe, stay accessible, work on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
MAIN_PAGES = {
    "home": "/",
    "search": "/search?q=attention",
    "method": "/methods/bottleneck-attention-module",
    "collections": "/collections",
    "quality": "/quality",
}


def test_suggestions_are_keyboard_navigable(browse):
    page = browse.open("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip", (
        "the first Tab reaches 'Skip to content'"
    )
    box = page.locator("#q")
    box.press_sequentially("ghos", delay=40)
    option = page.get_by_role("option", name=re.compile("Ghost Module"))
    option.wait_for()
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id"), "ArrowDown picks it"
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/methods/ghost-module$"))
    assert page.locator("h1").inner_text() == "Ghost Module"


def test_escape_closes_suggestions(browse):
    page = browse.open("/search?q=x")
    box = page.locator("#top-q")
    box.fill("")
    box.press_sequentially("ret", delay=40)
    page.get_by_role("listbox").wait_for()
    box.press("Escape")
    assert page.get_by_role("listbox").is_hidden() and box.get_attribute("aria-expanded") == "false"


def test_misspelled_search_offers_did_you_mean(browse):
    page = browse.open("/")
    page.locator("#q").fill("retrase")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=retrase"))
    offer = page.locator(".did-you-mean")
    assert "Did you mean" in offer.inner_text()
    offer.get_by_role("link", name="retrace").click()
    page.wait_for_url(re.compile(r"/search\?q=retrace$"))
    assert page.locator("ol.results .hit-title").first.inner_text() == "Retrace"
    assert page.locator("ol.results mark").count() > 0, "snippets highlight the matches"


def test_math_is_rendered_by_katex(browse):
    page = browse.open("/methods/bottleneck-attention-module")
    page.locator(".description .katex").first.wait_for()
    assert page.locator(".description .katex-display").count() == 4, "four display formulas"
    text = page.locator(".description").inner_text()
    assert "\\begin{align}" not in text and "\\text{BN}" not in text, "no raw TeX is visible"
    notice = page.locator(".notice.flag-math_stripped")
    assert "formulas were stripped" in notice.inner_text().lower()


def test_demo_runs_and_shows_the_shapes(browse):
    page = browse.open("/methods/sigmoid-linear-unit")
    assert page.locator("input[name='inputs.x']").input_value() == "2, 64, 32, 32"
    page.get_by_role("button", name="Run demo").click()
    result = page.locator("#demo-result")
    result.locator(".trace-tree").wait_for(timeout=60_000)
    diagram = result.locator(".io-diagram").inner_text()
    assert "2 × 64 × 32 × 32" in diagram and "output" in diagram, "input and output shapes in the diagram"
    assert result.locator("table.data tbody tr").count() >= 1, "the outputs table"
    assert "2 × 64 × 32 × 32" in page.locator(".demo-status").inner_text()
    assert "/methods/sigmoid-linear-unit?demo=1" in page.url, "the demo ran without leaving the page"
    browse.screenshot("method-demo-desktop")


def test_oversized_input_is_reported_next_to_its_field(browse):
    page = browse.open("/methods/phase-shuffle")
    field = page.locator(".field", has=page.locator("input[name='inputs.x']"))
    field.locator("input").fill("4096, 4096, 4096")
    page.get_by_role("button", name="Run demo").click()
    error = field.locator(".field-error")
    error.wait_for(timeout=30_000)
    assert "cap" in error.inner_text() and "4,194,304" in error.inner_text()
    assert field.locator("input").get_attribute("aria-invalid") == "true"
    assert page.locator("#demo-result .result-title").count() == 0, "no result for a refused request"


def test_hostile_description_executes_nothing(browse):
    page = browse.open("/methods/script-layer")
    assert page.evaluate("window.__pwned") is None, "neither the <script> nor the onerror ran"
    description = page.locator(".description")
    text = description.inner_text()
    assert "<script>window.__pwned=1</script>" in text and "onerror=window.__pwned=2" in text, text
    assert description.locator("script, img").count() == 0


def test_browsing_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.locator("#q").fill("attention")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=attention"))
    page.get_by_role("link", name="Attention Modules").first.click()
    assert page.locator(".active-filters").inner_text().startswith("Collection: Attention Modules")
    page.get_by_role("link", name="Bottleneck Attention Module").click()
    assert page.locator("h1").inner_text() == "Bottleneck Attention Module"
    assert "\\begin{align}" in page.locator(".description").inner_text(), "TeX stays readable as text"
    context.close()


@pytest.mark.parametrize("name", MAIN_PAGES)
def test_page_is_accessible_offline_and_fits_a_phone(browse, name):
    page = browse.open(MAIN_PAGES[name])
    page.wait_for_load_state("networkidle")
    # evaluated by the driver, not added as an inline script: the page's CSP forbids those
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")}`)"""
    )
    assert violations == [], f"{MAIN_PAGES[name]}: {violations}"
    assert browse.errors == [], f"{MAIN_PAGES[name]}: {browse.errors}"
    foreign = [url for url in browse.requests if not url.startswith(browse.base)]
    assert foreign == [], f"assets from elsewhere: {foreign}"
    browse.screenshot(f"{name}-desktop")
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], f"{MAIN_PAGES[name]} scrolls sideways at 375px ({overflow}px wide)"
    browse.screenshot(f"{name}-phone")


def test_api_docs_load_without_the_internet(browse):
    page = browse.open("/docs")
    page.locator(".opblock").first.wait_for()
    foreign = [url for url in browse.requests if not url.startswith(browse.base)]
    assert foreign == [], f"/docs loads assets from elsewhere: {foreign}"
    assert browse.errors == [], browse.errors


def test_api_docs_load_under_the_content_security_policy(browse):
    page = browse.open("/docs")
    page.locator(".opblock-summary-path").first.wait_for()
    assert page.locator(".opblock").count() >= 10, "Swagger UI lists the API's operations"
    assert browse.errors == [], f"/docs: {browse.errors}"
