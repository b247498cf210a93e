"""Hand-written attention, position and block methods against naive loops from their papers' equations."""

import math

import pytest
import torch

from methods import registry


@pytest.fixture(autouse=True)
def _fixed_seed():
    """Modules are built with random weights: the same ones on every run."""
    torch.manual_seed(0)


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def test_additive_attention_matches_a_loop_over_keys():
    module = registry.get("additive-attention").build(query_dim=3, key_dim=4, hidden_dim=5).double()
    g = _gen()
    s, h = (
        torch.randn(2, 3, generator=g, dtype=torch.float64),
        torch.randn(2, 6, 4, generator=g, dtype=torch.float64),
    )
    out = module(query=s, keys=h)
    for b in range(2):
        e = torch.stack(
            [
                module.v_a.weight[0]
                @ torch.tanh(module.w_a.weight @ s[b] + module.u_a.weight @ h[b, j] + module.u_a.bias)
                for j in range(6)
            ]
        )
        alpha = e.exp() / e.exp().sum()
        assert torch.allclose(out["weights"][b], alpha), "α_j = softmax(vᵀ tanh(Ws + Uh_j))"
        assert torch.allclose(out["context"][b], (alpha[:, None] * h[b]).sum(0)), "c = Σ α_j h_j"


def test_strided_and_fixed_patterns_are_the_papers_sets():
    from methods.impl.fixed_factorized_attention import fixed_pattern
    from methods.impl.strided_attention import strided_pattern

    n, stride, c = 12, 4, 1
    strided, fixed = strided_pattern(n, stride), fixed_pattern(n, stride, c)
    for i in range(n):
        for j in range(n):
            assert bool(strided[0, i, j]) == (j <= i and i - j <= stride), f"strided A1 at ({i}, {j})"
            assert bool(strided[1, i, j]) == (j <= i and (i - j) % stride == 0), f"strided A2 at ({i}, {j})"
            assert bool(fixed[0, i, j]) == (j <= i and j // stride == i // stride), f"fixed A1 at ({i}, {j})"
            assert bool(fixed[1, i, j]) == (j <= i and j % stride >= stride - c), f"fixed A2 at ({i}, {j})"


def test_sparse_attention_heads_attend_only_within_their_pattern():
    module = registry.get("strided-attention").build(dim=8, num_heads=2, stride=3).eval()
    x = torch.randn(1, 10, 8, generator=_gen())
    base = module(x=x)["output"]
    # a change at position 0 reaches position 9 only through the strided head: 9 − 0 is a multiple of 3
    moved = x.clone()
    moved[0, 0] += 5.0
    assert not torch.allclose(module(x=moved)["output"][0, 9], base[0, 9]), "position 9 must see position 0"
    moved = x.clone()
    moved[0, 1] += 5.0  # 9 − 1 = 8: neither within 3 nor a multiple of 3
    assert torch.allclose(module(x=moved)["output"][0, 9], base[0, 9], atol=1e-6), "position 9 saw position 1"
    assert torch.allclose(module(x=moved)["output"][0, 0], base[0, 0], atol=1e-6), "attention is causal"


def test_rotary_scores_depend_only_on_the_offset():
    module = registry.get("rotary-embeddings").build(head_dim=8, base=10_000.0).double()
    g = _gen()
    q = torch.randn(8, generator=g, dtype=torch.float64).expand(1, 1, 10, 8)
    k = torch.randn(8, generator=g, dtype=torch.float64).expand(1, 1, 10, 8)
    out = module(query=q, key=k)
    scores = out["scores"][0, 0]
    for offset in range(-9, 10):
        diagonal = torch.diagonal(scores, offset)
        assert torch.allclose(diagonal, diagonal[0].expand_as(diagonal)), (
            f"q_mᵀk_n varies along offset {offset}"
        )
    assert torch.allclose(out["query"].norm(dim=-1), q.norm(dim=-1)), "rotations preserve the norm"
    # position m = 1, pair i = 0 is rotated by θ_0 = 1 radian
    x0, x1 = q[0, 0, 1, 0], q[0, 0, 1, 1]
    want = torch.stack([x0 * math.cos(1) - x1 * math.sin(1), x0 * math.sin(1) + x1 * math.cos(1)])
    assert torch.allclose(out["query"][0, 0, 1, :2], want), "pair (x_0, x_1) at m = 1 rotated by θ_0 = 1"


def test_alibi_slopes_bias_and_attention():
    from methods.impl.alibi import alibi_slopes

    assert torch.allclose(alibi_slopes(8), torch.tensor([2.0**-k for k in range(1, 9)])), (
        "8 heads: 1/2 … 1/256"
    )
    assert torch.allclose(alibi_slopes(4), torch.tensor([2.0**-k for k in (2, 4, 6, 8)])), (
        "4 heads: 1/4 … 1/256"
    )
    assert len(alibi_slopes(6)) == 6, "a head count that is not a power of two still gets one slope per head"
    module = registry.get("alibi").build(num_heads=2)
    q, k, v = (torch.randn(1, 2, 5, 4, generator=_gen(s)) for s in range(3))
    out = module(query=q, key=k, value=v)
    slopes = alibi_slopes(2)
    for h in range(2):
        for i in range(5):
            scores = torch.stack([q[0, h, i] @ k[0, h, j] / 2 + slopes[h] * (j - i) for j in range(i + 1)])
            want = (scores.softmax(0)[:, None] * v[0, h, : i + 1]).sum(0)
            assert torch.allclose(out["output"][0, h, i], want, atol=1e-5), f"head {h}, query {i}"


def test_cross_attention_changes_only_the_cls_token():
    module = registry.get("cross-attention-module").build(large_dim=8, small_dim=6, num_heads=2)
    large, small = torch.randn(2, 4, 8, generator=_gen(1)), torch.randn(2, 7, 6, generator=_gen(2))
    out = module(large=large, small=small)
    assert torch.equal(out["output"][:, 1:], large[:, 1:]), "the large branch's patch tokens pass unchanged"
    assert torch.allclose(out["weights"].sum(-1), torch.ones(2, 2, 1)), "one query's weights sum to 1"
    other = small.clone()
    other[:, 0] += 3.0  # the small branch's own CLS is replaced by the projected large CLS
    assert torch.allclose(module(large=large, small=other)["output"], out["output"]), (
        "small CLS must be unused"
    )


def test_channel_and_spatial_attention_follow_their_equations():
    se = registry.get("channel-attention").build(channels=8, reduction=4).double()
    x = torch.randn(2, 8, 5, 5, generator=_gen(), dtype=torch.float64)
    z = x.mean(dim=(2, 3))
    w1, b1 = se.fc1.weight.flatten(1), se.fc1.bias
    w2, b2 = se.fc2.weight.flatten(1), se.fc2.bias
    s = torch.sigmoid(torch.relu(z @ w1.t() + b1) @ w2.t() + b2)
    out = se(x=x)
    assert torch.allclose(out["attention"], s), "s = σ(W₂ δ(W₁ z))"
    assert torch.allclose(out["output"], x * s[:, :, None, None]), "x̃_c = s_c u_c"
    sam = registry.get("spatial-attention-module").build(kernel_size=3).double()
    pooled = torch.stack([x.mean(1), x.amax(1)], dim=1)
    want = torch.sigmoid(torch.nn.functional.conv2d(pooled, sam.conv.weight, padding=1))
    assert torch.allclose(sam(x=x)["attention"], want), "M_s = σ(f([avg_c; max_c]))"


def test_temporal_attention_weights_frames_and_sums():
    module = registry.get("temporal-attention").build(dim=6, hidden_dim=4)
    x = torch.randn(3, 5, 6, generator=_gen())
    out = module(x=x)
    assert torch.allclose(out["weights"].sum(1), torch.ones(3)), "α sums to 1 over time"
    assert torch.allclose(out["output"], (out["weights"][..., None] * x).sum(1), atol=1e-6), "v = Σ α_t x_t"
    same = x[:, :1].expand(3, 5, 6)
    assert torch.allclose(module(x=same)["output"], x[:, 0], atol=1e-6), "identical frames give that frame"


def test_absolute_position_encodings_follow_the_sinusoids():
    module = registry.get("absolute-position-encodings").build(d_model=6, dropout=0.0, base=10_000.0)
    x = torch.zeros(1, 7, 6)
    encoding = module(x=x)["encoding"]
    for pos in range(7):
        for i in range(3):
            angle = pos / 10_000 ** (2 * i / 6)
            assert math.isclose(encoding[pos, 2 * i], math.sin(angle), abs_tol=1e-6), f"PE({pos}, {2 * i})"
            assert math.isclose(encoding[pos, 2 * i + 1], math.cos(angle), abs_tol=1e-6), (
                f"PE({pos}, {2 * i + 1})"
            )


def test_blocks_follow_their_equations():
    x = torch.randn(2, 5, 8, generator=_gen(), dtype=torch.float64)
    ffn = registry.get("position-wise-feed-forward-layer").build(d_model=8, d_ff=16, dropout=0.0).double()
    want = torch.relu(x @ ffn.w1.weight.t() + ffn.w1.bias) @ ffn.w2.weight.t() + ffn.w2.bias
    assert torch.allclose(ffn(x=x), want), "FFN(x) = max(0, xW₁ + b₁)W₂ + b₂"
    perm = torch.tensor([4, 2, 0, 1, 3])
    assert torch.allclose(ffn(x=x[:, perm]), ffn(x=x)[:, perm]), "the FFN acts on each position alone"
    res = registry.get("residual-connection").build(dim=8, hidden_dim=4).double()
    out = res(x=x)
    assert torch.allclose(out["output"] - x, out["residual"]), "y − x = F(x)"
    scale = registry.get("layerscale").build(dim=8, init_values=0.1).double()
    assert torch.allclose(scale(x=x), 0.1 * x), "LayerScale starts as ε·x"
    highway = registry.get("highway-layer").build(dim=8, gate_bias=-2.0).double()
    v = x[:, 0]
    h = torch.relu(v @ highway.transform.weight.t() + highway.transform.bias)
    t = torch.sigmoid(v @ highway.gate.weight.t() + highway.gate.bias)
    assert torch.allclose(highway.gate.bias, torch.full((8,), -2.0, dtype=torch.float64)), (
        "b_T starts at gate_bias"
    )
    assert torch.allclose(highway(x=v)["output"], h * t + v * (1 - t)), "y = H(x)·T(x) + x·(1 − T(x))"
    image = torch.randn(2, 6, 4, 4, dtype=torch.float64)
    concat = registry.get("concatenated-skip-connection").build(in_channels=6, growth_rate=3).double()
    out = concat(x=image)
    assert out.shape == (2, 9, 4, 4) and torch.equal(out[:, :6], image), "y = [x, H(x)] keeps x first"
    mlp = registry.get("feedforward-network").build(in_features=8, hidden_features=5, out_features=2, depth=3)
    assert sum(isinstance(m, torch.nn.Linear) for m in mlp.modules()) == 4, (
        "depth hidden layers plus the output"
    )


def test_swish_and_swiglu_follow_their_formulas():
    x = torch.randn(2, 4, 3, 3, generator=_gen(), dtype=torch.float64)
    swish = registry.get("swish").build(channels=4, beta=1.7, trainable=True).double()
    assert torch.allclose(swish(x=x), x * torch.sigmoid(1.7 * x)), "Swish: x·σ(βx)"
    one = registry.get("swish").build(channels=1, beta=1.0, trainable=False).double()
    assert torch.allclose(one(x=x), torch.nn.functional.silu(x)), "Swish with β = 1 is SiLU"
    ffn = registry.get("swiglu").build(d_model=4, d_hidden=6, bias=False).double()
    t = torch.randn(2, 3, 4, dtype=torch.float64)
    a, b = t @ ffn.w.weight.t(), t @ ffn.v.weight.t()
    assert torch.allclose(ffn(x=t), (a * torch.sigmoid(a) * b) @ ffn.w2.weight.t()), "(Swish(xW) ⊗ xV)W₂"


def test_spatial_pyramid_pooling_bins():
    x = torch.randn(2, 3, 9, 7, generator=_gen())
    out = registry.get("spatial-pyramid-pooling").build(levels=3, mode="max")(x=x)
    assert out.shape == (2, 3 * 21), "C·(1 + 4 + 16) values"
    assert torch.equal(out[:, :3], x.amax(dim=(2, 3))), "level 1×1 is the global max per channel"
    # level 2×2 bin (0, 0) covers rows ⌊0⌋ … ⌈9/2⌉ and columns ⌊0⌋ … ⌈7/2⌉ (adaptive pooling's bins)
    assert torch.equal(out[:, 3:15].view(2, 3, 4)[..., 0], x[..., :5, :4].amax(dim=(2, 3))), (
        "2×2 level, bin (0, 0)"
    )
