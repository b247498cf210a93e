"""The live demo in a real Chromium at 1366x900 and 375x812: tree, figures, stale results, links, no-JS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog.settings import SEED_DOCUMENT
from tests.browser.conftest import PHONE, Page, serving
from tests.conftest import make_catalog

pytestmark = pytest.mark.slow

WIDE = {"width": 1366, "height": 900}
BAM = "/methods/bottleneck-attention-module"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
RESULT = "#demo-result .result-title"


@pytest.fixture
def wide(browser, server):
    context = browser.new_context(viewport=WIDE)
    context.set_default_timeout(60_000)
    yield Page(context.new_page(), server)
    context.close()


def run(page, field: str | None = None, value: str | None = None) -> None:
    """Optionally fill `field`, press Run demo, and wait for the report or the error summary."""
    if field:
        page.locator(f"[name='{field}']").fill(value)
    with page.expect_response(lambda r: "/demo?fragment=1" in r.url):
        page.get_by_role("button", name="Run demo").click()
    # A selector, not wait_for_function: the page's CSP forbids eval, which Playwright's polling uses.
    page.locator("form.demo-form:not([aria-busy])").wait_for(state="attached")
    page.locator(f"{RESULT}, #demo-error-summary").first.wait_for()


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def fully_visible(page, locator) -> bool:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_edited_shape_runs_and_focus_moves_to_the_result(wide):
    page = wide.open(BAM)
    channels = page.locator("[name='params.channels']")
    assert channels.input_value() == "" and channels.get_attribute("placeholder") == "follows x", (
        "channels is left to follow x"
    )
    run(page, "inputs.x", "4, 64, 56, 56")
    assert page.evaluate("document.activeElement.id") == "demo-result-title", "focus moves to the result"
    notes = page.locator("#demo-result .notes").inner_text()
    assert "channels=64" in notes, f"channels followed x: {notes}"
    assert "4 × 64 × 56 × 56" in page.locator(".io-diagram").inner_text(), "the diagram shows the new shape"
    assert re.search(r"inputs\.x=4%2C64%2C56%2C56", page.url), f"the URL says how to see it again: {page.url}"
    assert wide.errors == [], wide.errors


def test_trace_tree_shows_every_figure_at_both_widths(wide):
    page = wide.open(BAM)
    run(page, "inputs.x", "4, 64, 56, 56")
    tree = page.locator(".trace-tree")
    leaf = tree.locator(".trace-row", has=page.locator("[title='spatial.reduce']"))
    assert leaf.is_visible(), "depth 2 shows when the page opens"
    for cell in ("out", "params", "flops"):
        assert fully_visible(page, leaf.locator(f".{cell}")), f"{cell} is on screen at 1366 px"
    assert sideways(page) <= 0, "no sideways scroll at 1366 px"
    wide.screenshot("demo-trace-1366")
    spatial = tree.locator("summary", has=page.locator("[title='spatial']"))
    spatial.click()
    assert leaf.is_hidden(), "closing a branch hides it"
    assert page.locator("details:has(> summary [title='spatial'])").get_attribute("open") is None
    spatial.click()
    assert leaf.is_visible(), "and opening it shows it again"
    page.set_viewport_size(PHONE)
    assert page.locator(".trace-head").is_hidden(), "cards need no header row on a phone"
    for cell in ("out", "params", "flops"):
        label = leaf.locator(f".{cell} .cell-label")
        assert label.is_visible() and fully_visible(page, leaf.locator(f".{cell}")), (
            f"{cell} labelled on a card"
        )
    assert leaf.evaluate("r => getComputedStyle(r).borderTopStyle") == "solid", "a row is a card"
    assert sideways(page) <= 0, f"no sideways scroll at 375 px ({sideways(page)} px)"
    wide.screenshot("demo-trace-375")


def test_a_deep_model_opens_its_branches_to_depth_two(wide):
    page = wide.open("/methods/stacked-hourglass-network")
    run(page)
    rows = page.evaluate(
        """() => [...document.querySelectorAll('.trace-tree li')].map(li => [Number(li.dataset.depth),
            li.querySelector(':scope > details > summary, :scope > .trace-row').checkVisibility()])"""
    )
    shown = [depth for depth, visible in rows if visible]
    hidden = [depth for depth, visible in rows if not visible]
    assert shown and max(shown) == 3, f"rows to depth 3 show (branches open to depth 2): {sorted(set(shown))}"
    assert hidden and min(hidden) == 4, f"deeper rows wait in closed branches: {sorted(set(hidden))}"
    assert len(rows) > 300 and len(shown) < 80, f"{len(shown)} of {len(rows)} rows at first, not a flat list"
    assert sideways(page) <= 0


def test_a_result_is_marked_stale_then_cleared_by_an_error(wide):
    page = wide.open(BAM)
    run(page)
    page.locator("[name='params.reduction']").fill("8")
    banner = page.locator("#demo-result .stale-banner")
    assert banner.is_visible() and "Stale" in banner.inner_text(), "the old result says it is stale"
    assert page.locator("#demo-result").get_attribute("aria-describedby") == "demo-stale"
    assert banner.get_attribute("role") == "status", "assistive technology hears it"
    run(page, "inputs.x", "2, 0, 16, 16")
    assert page.locator(RESULT).count() == 0, "an error clears the old result"
    assert page.evaluate("document.activeElement.id") == "demo-error-summary", "focus moves to the errors"
    slot = page.locator("#demo-inputs-x-error")
    assert "positive" in slot.inner_text() and slot.is_visible(), "the message sits next to x"
    run(page, "inputs.x", "2, 32, 16, 16")
    page.get_by_role("button", name="Reset").click()
    assert page.locator("#demo-result .stale-banner").is_visible(), "a reset marks the result stale too"


def test_diagram_draws_inputs_side_by_side_not_a_chain(wide):
    page = wide.open("/methods/retrace")
    run(page)
    boxes = page.locator(".io-group[aria-label=Inputs] .box")
    assert boxes.count() == 7, "Retrace's seven inputs"
    lefts = {round(boxes.nth(i).bounding_box()["x"]) for i in range(7)}
    assert len(lefts) == 1, f"the inputs stand in one column, none feeding another: {lefts}"
    assert page.locator(".io-diagram .io-arrow").count() == 2, (
        "all inputs into Retrace, Retrace into its output"
    )
    wide.screenshot("demo-retrace-1366")
    page = wide.open(BAM)
    run(page)
    drawn = page.locator(".io-diagram").inner_text()
    assert "Channel" not in drawn and "Spatial" not in drawn, f"no order among BAM's branches: {drawn}"


def test_figures_say_not_counted_and_the_spread(wide):
    page = wide.open("/methods/evolved-sign-momentum")
    run(page)
    flops = page.locator("dl.metrics > div", has=page.locator("dt", has_text="FLOPs"))
    assert flops.locator("dd").inner_text() == "not counted", "never FLOPs 0"
    assert "without a FLOP formula" in flops.get_attribute("title"), "the reason is its title"
    latency = page.locator("dl.metrics > div", has=page.locator("dt", has_text="Latency")).locator("dd")
    assert re.fullmatch(r"[\d.,]+ ms \(p10–p90 [\d.,]+–[\d.,]+, \d+ runs\)", latency.inner_text()), (
        latency.inner_text()
    )
    memory = page.locator("dl.metrics > div", has=page.locator("dt", has_text="Peak memory")).locator("dd")
    assert re.match(r"[\d.]+ [KMG]iB", memory.inner_text()), f"memory on the CPU: {memory.inner_text()}"


def test_a_copied_link_reproduces_the_demo(browser, server):
    context = browser.new_context(viewport=WIDE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(server + BAM)
    page.locator("[name='inputs.x']").fill("4, 64, 56, 56")
    page.locator("[name='params.reduction']").fill("8")
    page.get_by_role("button", name="Copy link").click()
    link = page.evaluate("navigator.clipboard.readText()")
    assert "demo=1" in link and "inputs.x=4%2C64%2C56%2C56" in link and "params.reduction=8" in link, link
    other = context.new_page()
    other.goto(link)
    assert other.locator(RESULT).is_visible(), "the link shows the result on load"
    assert "channels=64, reduction=8" in other.locator("#demo-result .notes").inner_text()
    assert other.locator("[name='inputs.x']").input_value() == "4,64,56,56", (
        "the form shows the link's values"
    )
    run(page)
    assert page.url == link, f"after Run the address is the same link: {page.url} vs {link}"
    context.close()


def test_the_demo_runs_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(server + BAM)
    page.locator("[name='inputs.x']").fill("4, 64, 56, 56")
    page.get_by_role("button", name="Run demo").click()
    page.wait_for_url(re.compile(r"/methods/bottleneck-attention-module/demo#demo-result$"))
    assert page.locator(".trace-tree details[open] details[open]").count() >= 1, (
        "the trace is nested <details>"
    )
    assert "channels=64" in page.locator("#demo-result .notes").inner_text()
    Page(page, server).screenshot("demo-no-js-1366")
    page.locator("[name='inputs.x']").fill("4096, 4096, 4096, 4")
    page.get_by_role("button", name="Run demo").click()
    slot = page.locator("#demo-inputs-x-error")
    assert slot.is_visible() and "1024" in slot.inner_text(), "the error sits next to its field"
    assert page.locator("#demo-error-summary").is_visible()
    context.close()


def test_cancel_stops_a_running_demo_on_the_server(wide):
    # HiFi-GAN at its widest runs for many seconds on one core, so Cancel always finds it running
    page = wide.open("/methods/hifi-gan")
    page.locator("[name='inputs.audio']").fill("2, 1, 16384")
    for name, value in (("upsample_initial_channel", "512"), ("msd_channels", "128"), ("mpd_channels", "32")):
        page.locator(f"[name='params.{name}']").fill(value)
    page.get_by_role("button", name="Run demo").click()
    cancel = page.get_by_role("button", name="Cancel")
    cancel.wait_for()
    with page.expect_response(lambda r: r.request.method == "DELETE") as deleted:
        cancel.click()
    assert deleted.value.status == 200, f"the server cancelled the run: {deleted.value.status}"
    page.locator(".demo-status", has_text="Cancelled.").wait_for()
    assert cancel.is_hidden(), "the button goes once nothing runs"
    page = wide.open(BAM)
    run(page, "inputs.x", "2, 32, 16, 16")
    assert page.locator(RESULT).is_visible(), "the next demo runs"


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "375"])
def test_a_page_with_a_result_is_accessible(browser, server, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(server + BAM + "?demo=1&inputs.x=4,64,56,56")
    assert page.locator(RESULT).is_visible(), "the link rendered a result"
    page.locator("[name='params.reduction']").fill("8")  # the stale banner is part of the page too
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")}`)"""
    )
    assert violations == [], f"{viewport}: {violations}"
    assert sideways(page) <= 0, f"no sideways scroll at {viewport['width']} px"
    context.close()


def test_the_page_says_torch_is_loading_while_the_worker_warms(browser, tmp_path):
    catalog = make_catalog(tmp_path / "data", SEED_DOCUMENT)
    with serving(catalog.settings.data_dir, tmp_path / "server.log", CATALOG_DEMO_WARM="true") as base:
        context = browser.new_context(viewport=WIDE)
        page = context.new_page()
        with page.expect_response(re.compile(r"/api/v1/demo/status$")) as first:
            page.goto(base + BAM)
        state = first.value.json()
        assert state["loading"] or state["ready"], f"CATALOG_DEMO_WARM starts the worker at start-up: {state}"
        if state["loading"]:
            said = page.locator(".demo-status", has_text="Loading PyTorch… first run takes a few seconds.")
            said.wait_for(timeout=5_000)
        page.locator(".demo-status", has_text="Loading").wait_for(state="detached", timeout=120_000)
        run(page)
        assert page.locator(RESULT).is_visible(), "the warmed worker runs the demo"
        context.close()


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "375"])
def test_wide_traces_fit_on_the_full_catalog(browser, full_server, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(60_000)
    page = context.new_page()
    for slug in ("bottleneck-attention-module", "deformable-detr", "stacked-hourglass-network", "retrace"):
        page.goto(f"{full_server}/methods/{slug}?demo=1")
        assert page.locator(RESULT).is_visible(), f"{slug}: the link rendered a result"
        cells = page.evaluate(
            """() => [...document.querySelectorAll('.trace-tree .trace-row')].filter(r => r.checkVisibility())
                .flatMap(r => [...r.querySelectorAll('.out, .params, .flops')])
                .map(c => c.getBoundingClientRect()).map(b => b.width > 0 && b.right <= innerWidth)"""
        )
        assert cells and all(cells), f"{slug}: {cells.count(False)} of {len(cells)} figures off screen"
        assert sideways(page) <= 0, f"{slug}: scrolls sideways at {viewport['width']} px"
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v => v.id)"""
        )
        assert violations == [], f"{slug} at {viewport['width']} px: {violations}"
    context.close()
