"""NTM content-based addressing against a loop over memory rows, and its sharpening properties."""

import math

import torch

from methods import registry


def _inputs(device, seed=1):
    g = torch.Generator().manual_seed(seed)
    memory, key = torch.randn(2, 6, 4, generator=g), torch.randn(2, 3, 4, generator=g)
    beta = 5 * torch.rand(2, 3, generator=g)
    return memory.to(device), key.to(device), beta.to(device)


def test_content_addressing_matches_loop_over_memory_rows(device):
    """Reference: NTM eqs. (5)-(6) and the read r = sum_i w_i M_i, written with Python scalars row by row."""
    memory, key, beta = _inputs(device)
    got = registry.get("content-based-attention").build()(memory=memory, key=key, beta=beta)
    m, k, b = memory.cpu().tolist(), key.cpu().tolist(), beta.cpu().tolist()
    for n in range(2):
        for head in range(3):
            scores = []
            for row in m[n]:
                dot = sum(u * v for u, v in zip(k[n][head], row, strict=True))
                norms = math.sqrt(sum(u * u for u in k[n][head])) * math.sqrt(sum(v * v for v in row))
                scores.append(math.exp(b[n][head] * dot / norms))
            weights = [s / sum(scores) for s in scores]
            read = [sum(w * row[d] for w, row in zip(weights, m[n], strict=True)) for d in range(4)]
            assert torch.allclose(got["weights"][n, head].cpu(), torch.tensor(weights), atol=1e-5), (
                f"weights of example {n}, head {head} differ from the row loop"
            )
            assert torch.allclose(got["read"][n, head].cpu(), torch.tensor(read), atol=1e-5), (
                f"read vector of example {n}, head {head} differs from the row loop"
            )


def test_key_strength_sharpens_and_key_scale_does_not_matter(device):
    """Properties: beta = 0 gives uniform weights; a key equal to a row, with large beta, reads that row;
    cosine similarity ignores the key's length."""
    attention = registry.get("content-based-attention").build()
    memory, key, beta = _inputs(device)
    uniform = attention(memory=memory, key=key, beta=torch.zeros_like(beta))["weights"]
    assert torch.allclose(uniform, torch.full_like(uniform, 1 / 6)), "beta = 0 did not give uniform weights"
    focused = attention(
        memory=memory, key=memory[:, 2:3].expand(-1, 3, -1), beta=torch.full_like(beta, 200.0)
    )
    assert torch.allclose(focused["read"], memory[:, 2:3].expand(-1, 3, -1), atol=1e-3), (
        "a sharp key equal to row 2 did not read row 2"
    )
    scaled = attention(memory=memory, key=7.5 * key, beta=beta)["weights"]
    assert torch.allclose(scaled, attention(memory=memory, key=key, beta=beta)["weights"], atol=1e-6), (
        "scaling the key changed the content weighting"
    )
