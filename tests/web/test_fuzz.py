"""Fuzzed requests: whatever arrives, the answer is a success or a clear 4xx, never a 500."""

import json
import random
from urllib.parse import quote

import pytest

ALPHABET = "abcXYZ019 -_:*\"'()[]{}<>%&?=/\\\u00e9\u4e2d\U0001f600\x00\t"
GET_ROUTES = [
    ("/api/v1/methods", ("collection", "area", "limit", "cursor", "flag")),
    (
        "/api/v1/search",
        ("q", "limit", "offset", "collection", "area", "kind", "has_implementation", "max_params"),
    ),
    ("/api/v1/suggest", ("q", "limit")),
    ("/api/v1/collections", ()),
    ("/search", ("q", "page", "collection", "area", "kind", "has_implementation")),
    ("/collections/{}", ("cursor",)),
    ("/methods/{}", ()),
    ("/api/v1/methods/{}", ()),
]


def noise(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.2:
        return str(rng.choice([-1, 0, 1, 10**6, 10**30, 2**63]))
    if kind < 0.3:
        return "x" * rng.choice([199, 201, 2000, 12_000])
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))


def test_fuzzed_get_requests_never_fail_with_500(client):
    rng = random.Random(20261126)
    for _ in range(300):
        path, names = rng.choice(GET_ROUTES)
        segment = "".join(c for c in noise(rng) if c.isprintable() and c not in "/?#%") or "x"
        url = path.format(quote(segment))
        params = {name: noise(rng) for name in names if rng.random() < 0.6}
        response = client.get(url, params=params)
        assert response.status_code < 500, (
            f"GET {url} {params!r}: {response.status_code} {response.text[:300]}"
        )
        if url.startswith("/api/") and response.status_code >= 400:
            assert set(response.json()) == {"ok", "status", "error", "errors"}, (
                f"{url}: {response.text[:200]}"
            )


def random_json(rng: random.Random, depth: int = 0):  # type: ignore[no-untyped-def]
    choice = rng.random()
    if depth > 2 or choice < 0.3:
        return rng.choice([None, True, 0, -3, 2**40, 1.5, float("1e308"), "", noise(rng)])
    if choice < 0.6:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    keys = ["inputs", "params", "device", "x", "reduction", noise(rng)]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


@pytest.mark.parametrize(
    "slug", ["sigmoid-linear-unit", "bottleneck-attention-module", "evolved-sign-momentum"]
)
def test_fuzzed_demo_requests_never_fail_with_500(client, slug):
    rng = random.Random(slug)
    bodies = [random_json(rng) for _ in range(25)]
    bodies += [
        {"inputs": {"x": [rng.randint(-5, 5000) for _ in range(rng.randint(0, 6))]}} for _ in range(15)
    ]
    bodies += [{"params": {"reduction": rng.choice([0, 1, 2, 3, 99, -1, 1.5, "8", None])}} for _ in range(6)]
    for body in bodies:
        response = client.post(f"/api/v1/methods/{slug}/demo", content=json.dumps(body))
        assert response.status_code < 500, f"{slug} {body!r}: {response.status_code} {response.text[:300]}"
    garbage = client.post(f"/api/v1/methods/{slug}/demo", content=b"\xff{not json")
    assert garbage.status_code == 422, f"invalid JSON body: {garbage.status_code} {garbage.text[:200]}"
