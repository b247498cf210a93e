"""The demo on the method page without JavaScript: the form posts, the page runs it and reports."""

from __future__ import annotations

import random
import re
from html import unescape

import pytest

from methods.demo import cuda_available

BAM = "/methods/bottleneck-attention-module"


def field_error(page: str, field: str) -> str:
    """The text of the message slot next to the control named `field` ("" when hidden)."""
    slot = re.search(
        rf'<p class="field-error" id="demo-{field.replace(".", "-")}-error"( hidden)?>([^<]*)<', page
    )
    assert slot, f"no error slot for {field}"
    return "" if slot.group(1) else unescape(slot.group(2))


def test_posting_the_form_runs_the_demo_with_the_edited_shape(client):
    response = client.post(f"{BAM}/demo", data={"inputs.x": "4, 64, 56, 56", "params.reduction": "8"})
    page = response.text
    assert response.status_code == 200, page[-2000:]
    assert 'id="demo-result-title"' in page and 'tabindex="-1"' in page, "the report has a focusable heading"
    assert "Hyperparameters: channels=64, reduction=8" in page, "channels follow x's second dimension"
    assert "4 × 64 × 56 × 56" in page, "the edited shape ran"
    assert 'value="4, 64, 56, 56"' in page, "the form keeps what was submitted"


def test_the_trace_is_a_tree_open_to_depth_two(client):
    page = client.post(f"{BAM}/demo", data={}).text
    tree = page[page.index('<ul class="trace-tree">') :]
    assert tree.count("<details open>") == 3, "the root and its two branches (channel, spatial) are open"
    assert "<details>" not in tree, "no closed branch: BAM is two levels deep"
    nested = re.search(
        r'title="channel">channel .*?<ul><li data-depth="2"><div class="trace-row leaf"><span[^>]*title="channel.fc0"',
        tree,
        re.S,
    )
    assert nested, "channel.fc0 sits inside channel's branch"
    for label in ("in ", "out ", "params ", "FLOPs "):
        assert f'<span class="cell-label">{label}</span>' in tree, f"every row labels its {label.strip()}"


def test_figures_say_median_spread_and_runs(client):
    page = client.post(f"{BAM}/demo", data={}).text
    latency = re.search(r"<dt>Latency \(median\)</dt><dd>([^<]+)</dd>", page)
    assert latency, "a latency figure"
    assert re.fullmatch(r"[\d.,]+ ms \(p10–p90 [\d.,]+–[\d.,]+, \d+ runs\)", latency.group(1)), latency.group(
        1
    )
    assert "<dt>Peak memory (CPU process)</dt><dd>" in page, "memory on the CPU is shown"


def test_flops_not_counted_say_so_with_the_reason(client):
    page = client.get("/methods/retrace?demo=1").text
    figure = re.search(r'<div title="([^"]+)"><dt>FLOPs</dt><dd>([^<]+)</dd>', page)
    assert figure, "a FLOPs figure with a title"
    assert figure.group(2) == "not counted", f"not {figure.group(2)!r}"
    assert "without a FLOP formula" in unescape(figure.group(1)), figure.group(1)
    assert "<dt>FLOPs</dt><dd>0" not in page, "FLOPs never read 0"


def test_diagram_shows_inputs_side_by_side_and_no_submodule_chain(client):
    page = client.get("/methods/retrace?demo=1").text
    inputs = re.search(r'<ul class="io-group" aria-label="Inputs">(.*?)</ul>', page, re.S)
    assert inputs and inputs.group(1).count('<li class="box io">') == 7, "Retrace's seven inputs in one group"
    bam = client.get(f"{BAM}?demo=1").text
    diagram = bam[bam.index('class="io-diagram"') : bam.index('class="trace"')]
    assert "ChannelAttention" not in diagram and "SpatialAttention" not in diagram, (
        "the diagram draws no order among BAM's parallel branches"
    )
    assert diagram.count('class="io-arrow"') == 2, "inputs into the method, the method into its outputs"


def test_a_link_carries_the_demo_in_its_query_string(client):
    response = client.get(f"{BAM}?demo=1&inputs.x=4,64,56,56&params.reduction=8&utm_source=x")
    page = response.text
    assert response.status_code == 200, page[-2000:]
    assert "Hyperparameters: channels=64, reduction=8, dilation=4." in page, "the link's values ran"
    assert 'value="4,64,56,56"' in page and 'value="8"' in page, "the form shows the link's values"
    assert response.headers.get("x-robots-tag") == "noindex, nofollow", "crawlers may index a demo link"
    plain = client.get(BAM)
    assert 'id="demo-result" class="demo-result" hidden' in plain.text, "no demo runs without ?demo=1"
    assert "x-robots-tag" not in plain.headers, "a plain method page is for crawlers too"


def test_a_hyperparameter_an_input_sets_follows_it(client):
    page = client.get(BAM).text
    channels = re.search(r'<input id="demo-params-channels"[^>]*>', page)
    assert channels, "a channels control"
    assert 'value=""' in channels.group(0) and 'placeholder="follows x"' in channels.group(0), channels.group(
        0
    )
    assert "e.g. channels=32" in unescape(page), "the Python snippet still shows the default"
    help_text = re.search(r'id="demo-inputs-x-help">([^<]*)<', page)
    assert help_text and "dimension 2 of 4 is params.channels" in help_text.group(1), help_text


def test_a_conflict_names_both_fields_counting_as_the_help_does(client):
    response = client.post(f"{BAM}/demo", data={"inputs.x": "4, 64, 56, 56", "params.channels": "32"})
    assert response.status_code == 422, response.text[-1000:]
    at_x, at_channels = field_error(response.text, "inputs.x"), field_error(response.text, "params.channels")
    assert "dimension 2 of 4 is 64" in at_x and "params.channels is 32" in at_x, at_x
    assert at_channels == at_x, f"the same message at both fields: {at_channels!r}"
    assert 'id="demo-error-summary"' in response.text and 'href="#demo-inputs-x"' in response.text


@pytest.mark.parametrize(
    "data, field, words",
    [
        ({"inputs.x": "4096, 4096, 4096, 4"}, "inputs.x", "less than or equal to 1024"),
        ({"inputs.x": "2, 8, 4"}, "inputs.x", "expected rank 4"),
        ({"inputs.x": "two, 8, 4, 4"}, "inputs.x", "whole numbers separated by commas"),
        ({"inputs.x": "9" * 5000}, "inputs.x", "at most 200 characters"),
        ({"inputs.x": "2, 0, 4, 4"}, "inputs.x", "positive"),
        ({"params.reduction": "0"}, "params.reduction", "greater than or equal to 1"),
        ({"params.reduction": "1.5"}, "params.reduction", "whole number"),
        ({"params.dilation": "nan"}, "params.dilation", "whole number"),
        ({"device": "tpu"}, "device", "unknown device"),
    ],
)
def test_bad_input_is_a_422_page_with_the_message_at_its_field(client, data, field, words):
    response = client.post(f"{BAM}/demo", data=data)
    assert response.status_code == 422, f"{data}: {response.status_code}"
    assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
    message = field_error(response.text, field)
    assert words in message, f"{data}: {message!r}"
    assert 'aria-invalid="true"' in response.text, "the control is marked invalid"


def test_an_unknown_field_in_a_link_is_reported_not_ignored(client):
    response = client.get(f"{BAM}?demo=1&params.reducton=8")
    assert response.status_code == 422 and "this demo has no field params.reducton" in response.text


def test_oversized_elements_and_the_catalog_are_unharmed(client):
    response = client.post("/methods/phase-shuffle/demo", data={"inputs.x": "4096, 4096, 4096"})
    assert response.status_code == 422 and "cap" in field_error(response.text, "inputs.x"), response.text[
        -800:
    ]
    assert client.get("/healthz").json()["ok"] is True, "the server is fine afterwards"


def test_the_fragment_is_the_report_alone(client):
    response = client.post(f"{BAM}/demo?fragment=1", data={"params.reduction": "4"})
    assert response.status_code == 200, response.text[-800:]
    assert response.text.lstrip().startswith("{#") is False and "<html" not in response.text, (
        "no page around it"
    )
    assert 'id="demo-result"' in response.text and "reduction=4" in response.text


def test_a_checkbox_left_unchecked_sends_false(client):
    from app.demo_query import field_values

    values = field_values(
        [("params.bias", "false"), ("params.bias", "true"), ("q", "x"), ("inputs.x", " 2,3 ")]
    )
    assert values == {"params.bias": "true", "inputs.x": "2,3"}, f"last one wins, others ignored: {values}"


def test_posting_for_a_method_without_an_implementation_is_a_404_page(client):
    response = client.post("/methods/script-layer/demo", data={})
    assert response.status_code == 404 and "no implementation" in response.text, response.status_code
    page = client.get("/methods/script-layer?demo=1")
    assert page.status_code == 200 and 'id="demo"' not in page.text, (
        "a link asking for a demo shows the method"
    )


def test_cuda_is_offered_only_with_a_gpu(client):
    page = client.get(BAM).text
    offered = '<option value="cuda"' in page
    assert offered == cuda_available(), f"cuda offered: {offered}, GPU here: {cuda_available()}"


def test_fuzzed_forms_and_links_never_fail_with_500(client):
    from tests.web.test_fuzz import noise

    rng = random.Random(20261130)
    fields = ["inputs.x", "params.reduction", "params.channels", "params.dilation", "device", "params.x"]
    for _ in range(30):
        data = {rng.choice(fields): noise(rng) for _ in range(rng.randint(1, 3))}
        posted = client.post(f"{BAM}/demo", data=data)
        linked = client.get(BAM, params={"demo": "1", **data})
        for response in (posted, linked):
            assert response.status_code in (200, 422), (
                f"{data!r}: {response.status_code} {response.text[-300:]}"
            )
    garbage = client.post(
        f"{BAM}/demo",
        content=b"\xff\xfe=%%%&inputs.x=\xff",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert garbage.status_code in (200, 422), f"undecodable form: {garbage.status_code} {garbage.text[-300:]}"
    upload = client.post(f"{BAM}/demo", files={"inputs.x": ("x.txt", b"2,3")})
    assert upload.status_code in (200, 422), f"a file for a field: {upload.status_code} {upload.text[-300:]}"
