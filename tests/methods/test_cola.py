"""COLA against the paper's bilinear similarity and loss written as explicit loops.

Reference: s(x_i, x'_j) = sum_{a,b} g(x_i)_a W_ab g(x'_j)_b as a double loop over pairs with
`torch.einsum`, and the loss -log(exp(s_ii) / sum_j exp(s_ij)) averaged by hand; the projection head
against `torch.tanh(F.layer_norm(...))`.
"""

import math

import torch
import torch.nn.functional as F

from methods import registry


def _model(device):
    torch.manual_seed(0)
    return registry.get("cola").build().to(device).eval()


def _segments(device, batch=4, seed=1):
    g = torch.Generator().manual_seed(seed)
    shape = (batch, 1, 64, 48)
    return torch.randn(shape, generator=g).to(device), torch.randn(shape, generator=g).to(device)


def test_bilinear_similarity_and_loss_match_explicit_loops(device):
    """Reference: per-pair einsum g_i^T W g'_j and the per-anchor cross-entropy written out."""
    model = _model(device)
    anchor, positive = _segments(device)
    with torch.no_grad():
        out = model(anchor, positive)
        g_a, g_p = model.embed(anchor), model.embed(positive)
        want = torch.empty(4, 4, device=device)
        for i in range(4):
            for j in range(4):
                want[i, j] = torch.einsum("a,ab,b->", g_a[i], model.bilinear, g_p[j])
    assert torch.allclose(out["similarities"], want, atol=1e-5), "similarities differ from g_i^T W g'_j"
    losses = [-(want[i, i] - torch.logsumexp(want[i], dim=0)) for i in range(4)]
    want_loss = sum(losses) / 4
    assert math.isclose(float(out["loss"]), float(want_loss), rel_tol=1e-5, abs_tol=1e-6), (
        f"loss {float(out['loss'])} != explicit cross-entropy {float(want_loss)}"
    )


def test_projection_is_dense_layernorm_tanh_after_global_max_pooling(device):
    """Reference: tanh(LN(dense(max over frequency and time of the conv features)))."""
    model = _model(device)
    anchor, _ = _segments(device)
    with torch.no_grad():
        pooled = model.encoder.blocks(anchor).flatten(2).max(dim=2).values
        dense, norm, _ = model.projection
        want = torch.tanh(F.layer_norm(dense(pooled), (32,), norm.weight, norm.bias, norm.eps))
        got = model.embed(anchor)
    assert torch.allclose(got, want, atol=1e-6), "g(x) is not tanh(LN(dense(maxpool(h))))"
    assert got.abs().max() <= 1.0, "projection escaped tanh's range"


def test_similarity_is_bilinear_not_symmetric(device):
    """Property of a bilinear form: s(x, x'; W) = s(x', x; W^T); a general (non-symmetric) W, as
    in the paper, makes the anchor-positive matrix non-symmetric."""
    model = _model(device)
    anchor, positive = _segments(device)
    with torch.no_grad():
        forward = model(anchor, positive)["similarities"]
        model.bilinear.copy_(model.bilinear.t().clone())
        swapped = model(positive, anchor)["similarities"]
    assert torch.allclose(forward, swapped.t(), atol=1e-5), "s(x, x'; W) != s(x', x; W^T)"
    assert not torch.allclose(forward, forward.t(), atol=1e-3), "similarity matrix is unexpectedly symmetric"
