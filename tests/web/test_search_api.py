"""Search over the API: typo tolerance, completion, and filters on what implementations are."""

import pytest


@pytest.mark.parametrize(
    "q, first, suggestion",
    [
        ("retrase", "retrace", "retrace"),
        ("sigmod linear unit", "sigmoid-linear-unit", "sigmoid linear unit"),
        ("causal convolusion", "causal-convolution", "causal convolution"),
        ("wavgan", "wavegan", "wavegan"),
        ("ghsot module", "ghost-module", "ghost module"),
        ("R-FCN", "region-based-fully-convolutional-network", None),
        ("lion", "evolved-sign-momentum", None),
        ("ghos", "ghost-module", None),
    ],
)
def test_misspellings_acronyms_and_prefixes_find_the_method(client, q, first, suggestion):
    body = client.get("/api/v1/search", params={"q": q}).json()
    got = [h["slug"] for h in body["data"]][:3]
    assert got and got[0] == first, f"{q!r}: expected {first} first, got {got}"
    assert body["suggestion"] == suggestion, f"{q!r}: suggestion {body['suggestion']!r}"


def test_suggest_completes_names_by_prefix(client):
    body = client.get("/api/v1/suggest", params={"q": "gho", "limit": 8}).json()
    assert body["data"][0] == {"label": "Ghost Module", "slug": "ghost-module", "name": "Ghost Module"}, body
    aliases = client.get("/api/v1/suggest", params={"q": "vilb"}).json()["data"]
    assert aliases and aliases[0]["slug"] == "vision-and-language-bert", f"aliases complete too: {aliases}"
    words = [c["slug"] for c in client.get("/api/v1/suggest", params={"q": "attention"}).json()["data"]]
    assert "bottleneck-attention-module" in words, f"later words of names complete: {words}"


def test_filters_on_kind_and_parameter_count(client):
    optimizers = client.get("/api/v1/search", params={"q": "gradient momentum", "kind": "optimizer"}).json()
    slugs = {h["slug"] for h in optimizers["data"]}
    assert slugs and slugs <= {"nesterov-accelerated-gradient", "evolved-sign-momentum"}, (
        f"kind filter: {slugs}"
    )
    small = client.get("/api/v1/search", params={"q": "attention", "max_params": 10_000}).json()
    big = client.get("/api/v1/search", params={"q": "attention"}).json()
    assert 0 < small["count"] < big["count"], f"max_params filter: {small['count']} of {big['count']}"
    assert big["facets"]["has_implementation"]["true"] >= small["count"], big["facets"]


def test_facet_filters_combine(client):
    implemented = client.get("/api/v1/search", params={"q": "layer", "has_implementation": "false"}).json()
    assert [h["slug"] for h in implemented["data"]] == ["script-layer"], implemented["data"]


def test_snippets_escape_what_descriptions_say(client):
    body = client.get("/api/v1/search", params={"q": "script layer"}).json()
    snippet = body["data"][0]["snippet"]
    assert "<script" not in snippet.lower() and "&lt;" in snippet, f"unsafe snippet: {snippet}"
    assert "<mark" in snippet, "matches are still marked"


def test_phrases_and_inline_field_filters(client):
    phrase = [h["slug"] for h in client.get("/api/v1/search", params={"q": '"style pooling"'}).json()["data"]]
    assert phrase == ["style-based-recalibration-module"], f"phrase query: {phrase}"
    body = client.get("/api/v1/search", params={"q": "kind:optimizer sign"}).json()
    assert [h["slug"] for h in body["data"]] == ["evolved-sign-momentum"], body["data"]
    areas = client.get("/api/v1/search", params={"q": "attention"}).json()["facets"]["area"]
    area = next(iter(areas))
    filtered = client.get("/api/v1/search", params={"q": f"attention area:{area}"}).json()
    assert filtered["count"] == areas[area], f"area:{area} gave {filtered['count']}, facet said {areas[area]}"
